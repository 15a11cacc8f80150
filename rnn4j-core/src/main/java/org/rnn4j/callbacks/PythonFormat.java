package org.rnn4j.callbacks;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * The two pieces of Python's string formatting that Keras callbacks show users: {@code str(float)} (CSVLogger's
 * values) and {@code str.format(**values)} with format specs (ModelCheckpoint's {@code "{epoch:02d}-{val_loss:.2f}"}).
 */
final class PythonFormat {
    private PythonFormat() {}

    /** Python's {@code repr(float)}: shortest digits, {@code 1e-05} below 1e-4, {@code 1e+16} from 1e16. */
    static String repr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Python's {@code str(value)} for the numbers callbacks log: ints as ints, floats as {@link #repr}. */
    static String str(Object v) {
        if (v instanceof Double || v instanceof Float) return repr(((Number) v).doubleValue());
        return String.valueOf(v);
    }

    /**
     * Python's {@code template.format(**values)} for {@code {name}} and {@code {name:spec}} fields with specs
     * {@code [[fill]align][sign][0][width][.precision][type]}, type one of d, f, F, e, E, g, G, %, s or none.
     * A missing name throws {@link IllegalArgumentException} naming it (Python's KeyError).
     */
    static String format(String template, Map<String, Object> values) {
        StringBuilder out = new StringBuilder();
        int i = 0, n = template.length();
        while (i < n) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < n && template.charAt(i + 1) == '{') { out.append('{'); i += 2; continue; }
            if (c == '}' && i + 1 < n && template.charAt(i + 1) == '}') { out.append('}'); i += 2; continue; }
            if (c != '{') { out.append(c); i++; continue; }
            int close = template.indexOf('}', i);
            if (close < 0) throw new IllegalArgumentException("Single '{' encountered in format string \"" + template + "\"");
            String field = template.substring(i + 1, close);
            int colon = field.indexOf(':');
            String key = colon < 0 ? field : field.substring(0, colon);
            String spec = colon < 0 ? "" : field.substring(colon + 1);
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is not one of the available values " + values.keySet());
            }
            out.append(formatValue(values.get(key), spec, key));
            i = close + 1;
        }
        return out.toString();
    }

    private static String formatValue(Object v, String spec, String key) {
        if (spec.isEmpty()) return str(v);
        int p = 0;
        char fill = ' ', align = 0;
        if (spec.length() >= 2 && "<>^=".indexOf(spec.charAt(1)) >= 0) { fill = spec.charAt(0); align = spec.charAt(1); p = 2; }
        else if (!spec.isEmpty() && "<>^=".indexOf(spec.charAt(0)) >= 0) { align = spec.charAt(0); p = 1; }
        char sign = '-';
        if (p < spec.length() && "+- ".indexOf(spec.charAt(p)) >= 0) sign = spec.charAt(p++);
        if (p < spec.length() && spec.charAt(p) == '0') {
            if (align == 0) { fill = '0'; align = '='; }
            p++;
        }
        int width = 0;
        while (p < spec.length() && Character.isDigit(spec.charAt(p))) width = width * 10 + (spec.charAt(p++) - '0');
        int precision = -1;
        if (p < spec.length() && spec.charAt(p) == '.') {
            p++;
            precision = 0;
            while (p < spec.length() && Character.isDigit(spec.charAt(p))) precision = precision * 10 + (spec.charAt(p++) - '0');
        }
        char type = p < spec.length() ? spec.charAt(p++) : 0;
        if (p != spec.length()) throw new IllegalArgumentException("Invalid format specifier '" + spec + "' for '" + key + "'");
        boolean isInt = v instanceof Integer || v instanceof Long;
        String body;
        double d = v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
        switch (type) {
            case 'd':
                if (!isInt) {
                    throw new IllegalArgumentException("Unknown format code 'd' for object of type 'float' ('" + key + "')");
                }
                body = Long.toString(Math.abs(((Number) v).longValue()));
                break;
            case 'f': case 'F': body = fixed(Math.abs(d), precision < 0 ? 6 : precision); break;
            case 'e': case 'E': body = sci(Math.abs(d), precision < 0 ? 6 : precision); break;
            case '%': body = fixed(Math.abs(d) * 100, precision < 0 ? 6 : precision) + "%"; break;
            case 'g': case 'G': body = general(Math.abs(d), precision < 0 ? 6 : Math.max(precision, 1)); break;
            case 's': body = str(v); break;
            case 0:
                body = isInt ? Long.toString(Math.abs(((Number) v).longValue()))
                        : precision >= 0 ? general(Math.abs(d), Math.max(precision, 1)) : str(Math.abs(d));
                break;
            default: throw new IllegalArgumentException("Unknown format code '" + type + "' for '" + key + "'");
        }
        if (Character.isUpperCase(type)) body = body.toUpperCase(Locale.ROOT);
        boolean negative = v instanceof Number && (isInt ? ((Number) v).longValue() < 0 : (d < 0 || (d == 0 && 1 / d < 0)));
        String signText = negative ? "-" : sign == '+' ? "+" : sign == ' ' ? " " : "";
        if (type == 's') signText = "";
        int pad = width - signText.length() - body.length();
        if (pad <= 0) return signText + body;
        String fillText = String.valueOf(fill).repeat(pad);
        char a = align == 0 ? (type == 's' ? '<' : '>') : align;
        switch (a) {
            case '<': return signText + body + fillText;
            case '^': return fillText.substring(0, pad / 2) + signText + body + fillText.substring(pad / 2);
            case '=': return signText + fillText + body;
            default: return fillText + signText + body;
        }
    }

    private static String fixed(double d, int precision) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return "inf";
        return new BigDecimal(d).setScale(precision, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String sci(double d, int precision) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return "inf";
        String s = String.format(Locale.ROOT, "%." + precision + "e", d); // e.g. 1.50e-05
        int e = s.indexOf('e');
        String mant = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Python's 'g': precision significant digits, scientific when the exponent is < -4 or >= precision. */
    private static String general(double d, int precision) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return "inf";
        if (d == 0) return "0";
        BigDecimal rounded = new BigDecimal(d).round(new java.math.MathContext(precision, java.math.RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - 1 - rounded.scale();
        if (exp < -4 || exp >= precision) {
            String s = sci(d, precision - 1);
            int e = s.indexOf('e');
            return stripZeros(s.substring(0, e)) + s.substring(e);
        }
        return stripZeros(rounded.setScale(Math.max(0, precision - 1 - exp), java.math.RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
