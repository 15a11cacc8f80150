package org.rnn4j.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file read whole into memory: the numeric columns a model learns from and a date column kept for plots.
 * Parsed by Apache Commons CSV as RFC 4180: quoted fields may hold delimiters, quotes ({@code ""}) and line breaks;
 * CRLF or LF line ends; a UTF-8 byte-order mark is skipped; blank lines are skipped; spaces around fields are
 * trimmed. The delimiter is a comma, tab or semicolon, detected from the first row unless given ({@link CsvOptions});
 * without a header row the columns are named 1, 2, 3, ... Every problem is a {@link CsvException} naming the file,
 * row and column and what was expected: a row with too few or too many fields, a named column in a file read as a
 * single column (a wrong delimiter), a cell that is not a number or a date.
 *
 * <pre>{@code
 * CsvTable t = CsvTable.read(Path.of("airline-passengers.csv"));
 * float[] passengers = t.numeric("Passengers");
 * String dates = t.dateColumn();                       // "Month": its first value parses as a date
 * LocalDateTime first = t.dates(dates)[0];
 * }</pre>
 *
 * <p>Thread-safe once read: a table is immutable.
 */
public final class CsvTable {
    private static final char[] DELIMITERS = {',', '\t', ';'};
    /** Column names that announce dates: such a column must parse as dates, or reading it is an error. */
    private static final java.util.Set<String> DATE_NAMES = java.util.Set.of("date", "time", "datetime", "timestamp",
            "month", "day", "ds", "period");

    private final String file;
    private final String[] header;
    private final List<String[]> rows;
    private final int[] lines;
    private final char delimiter;
    private final DateTimeFormatter dateFormat;
    private final String dateFormatText;

    private CsvTable(String file, String[] header, List<String[]> rows, int[] lines, char delimiter, String dateFormat) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.lines = lines;
        this.delimiter = delimiter;
        this.dateFormatText = dateFormat;
        this.dateFormat = dateFormat == null ? null : DateTimeFormatter.ofPattern(dateFormat, java.util.Locale.ROOT);
    }

    /** Reads a file with the default options (delimiter detected, header row, ISO dates). Thread-safe. */
    public static CsvTable read(Path path) { return read(path, CsvOptions.defaults()); }

    /** Reads a file; the name in messages is the path as given. Thread-safe. */
    public static CsvTable read(Path path, CsvOptions options) {
        String name = path.toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(path);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new CsvException(name, 0, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new CsvException(name, 0, null, "permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(path)) throw new CsvException(name, 0, null, "is a directory, expected a CSV file");
            throw new CsvException(name, 0, null, "cannot be read as UTF-8 text (" + e.getMessage() + ")");
        }
        return parse(name, text, options);
    }

    /** Parses lines of CSV text (joined with line feeds) with the default options; {@code name} is used in messages. */
    public static CsvTable parse(String name, List<String> text) {
        return parse(name, String.join("\n", text), CsvOptions.defaults());
    }

    /** Parses CSV text; {@code name} is used in messages. Thread-safe. */
    public static CsvTable parse(String name, String text, CsvOptions options) {
        if (text.startsWith("\uFEFF")) text = text.substring(1); // byte-order mark
        char delimiter = options.delimiter() == CsvOptions.AUTO ? detectDelimiter(text) : options.delimiter();
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true).setTrim(true).get();
        int[] lineStarts = lineStarts(text);
        String[] header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int lastLine = 1;
        try (CSVParser parser = CSVParser.parse(text, format)) {
            java.util.Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                CSVRecord r;
                try {
                    if (!it.hasNext()) break;
                    r = it.next();
                } catch (java.io.UncheckedIOException | IllegalStateException e) {
                    throw new CsvException(name, lastLine + 1, null, "cannot be parsed as CSV ("
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                            + "); a quoted field may not be closed, expected a closing \"");
                }
                // The parser's position is where it started reading, before any blank lines it skipped.
                int pos = (int) r.getCharacterPosition();
                while (pos < text.length() && Character.isWhitespace(text.charAt(pos)) && text.charAt(pos) != delimiter) pos++;
                int line = lineOf(lineStarts, pos);
                lastLine = line;
                String[] fields = r.values();
                if (fields.length == 1 && fields[0].isEmpty()) continue; // a line of spaces
                if (header == null) {
                    if (options.header()) {
                        header = fields;
                        checkHeader(name, line, header);
                        continue;
                    }
                    header = new String[fields.length];
                    for (int c = 0; c < header.length; c++) header[c] = Integer.toString(c + 1);
                }
                if (fields.length != header.length) {
                    String where = fields.length < header.length
                            ? "column \"" + header[fields.length] + "\" is missing"
                            : "field " + (header.length + 1) + " (\"" + fields[header.length] + "\") has no column";
                    throw new CsvException(name, line, fields.length < header.length ? header[fields.length] : null,
                            "expected " + header.length + " fields as in " + (options.header() ? "the header (" : "the first row (")
                            + String.join(String.valueOf(delimiter), header) + "), got " + fields.length + ": " + where);
                }
                rows.add(fields);
                lines.add(line);
            }
        } catch (IOException e) {
            throw new CsvException(name, 0, null, "cannot be parsed as CSV (" + e.getMessage() + ")");
        }
        if (header == null) throw new CsvException(name, 0, null, "the file is empty, expected a header row and data rows");
        if (rows.isEmpty()) throw new CsvException(name, 0, null, "has a header row but no data rows");
        return new CsvTable(name, header, rows, lines.stream().mapToInt(Integer::intValue).toArray(), delimiter,
                options.dateFormat());
    }

    private static void checkHeader(String name, int line, String[] header) {
        for (int c = 0; c < header.length; c++) {
            if (header[c].isEmpty()) throw new CsvException(name, line, null, "header field " + (c + 1) + " is empty, expected a column name");
            for (int d = 0; d < c; d++) {
                if (header[d].equals(header[c])) throw new CsvException(name, line, header[c], "appears twice in the header");
            }
        }
    }

    /** The candidate that occurs most often in the first non-blank row outside quotes; comma when none does. */
    static char detectDelimiter(String text) {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false, seen = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (!quoted && (ch == '\n' || ch == '\r')) {
                if (seen) break;
            } else if (!quoted) {
                if (!Character.isWhitespace(ch) || ch == '\t') seen = true;
                for (int d = 0; d < DELIMITERS.length; d++) if (ch == DELIMITERS[d]) counts[d]++;
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) if (counts[d] > counts[best]) best = d;
        return counts[best] > 0 ? DELIMITERS[best] : ',';
    }

    /** Offsets at which lines start (CRLF, LF or CR ends). */
    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n' || (ch == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The 1-based line holding character {@code pos}. */
    private static int lineOf(int[] lineStarts, long pos) {
        int i = java.util.Arrays.binarySearch(lineStarts, (int) pos);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The file name as given. */
    public String file() { return file; }

    /** Column names in file order. */
    public List<String> columns() { return List.of(header); }

    /** Number of data rows (the header not counted). */
    public int size() { return rows.size(); }

    /** The spreadsheet row number (header = 1) of data row {@code i}. */
    public int rowNumber(int i) { return lines[i]; }

    /** Index of a column; the error lists the columns there are. */
    public int columnIndex(String column) {
        for (int c = 0; c < header.length; c++) if (header[c].equals(column)) return c;
        for (int c = 0; c < header.length; c++) {
            if (header[c].equalsIgnoreCase(column)) {
                throw new CsvException(file, 0, column, "no such column; did you mean \"" + header[c] + "\"? (columns: "
                        + String.join(", ", header) + ")");
            }
        }
        if (header.length == 1) {
            throw new CsvException(file, 0, column, "no such column: the file was read as a single column (\"" + header[0]
                    + "\") with the delimiter " + delimiterName(delimiter) + "; expected a delimiter between columns: give"
                    + " the delimiter (comma, tab, semicolon) or check the file");
        }
        throw new CsvException(file, 0, column, "no such column, expected one of: " + String.join(", ", header));
    }

    public boolean hasColumn(String column) { return Arrays.asList(header).contains(column); }

    /** A column's raw text. */
    public String[] strings(String column) {
        int c = columnIndex(column);
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) out[i] = rows.get(i)[c];
        return out;
    }

    /** A column as numbers; every cell must be a finite number. */
    public float[] numeric(String column) {
        int c = columnIndex(column);
        float[] out = new float[rows.size()];
        for (int i = 0; i < out.length; i++) {
            String cell = rows.get(i)[c];
            if (cell.isEmpty()) throw new CsvException(file, lines[i], column, "expected a number, got an empty cell");
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw new CsvException(file, lines[i], column, "expected a number, got \"" + cell + "\"");
            }
            if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                throw new CsvException(file, lines[i], column, "expected a finite number, got \"" + cell + "\"");
            }
            out[i] = (float) v;
        }
        return out;
    }

    private static String delimiterName(char d) {
        return d == ',' ? "comma" : d == '\t' ? "tab" : d == ';' ? "semicolon" : "'" + d + "'";
    }

    /**
     * The first column whose first cell parses as a date (ISO, or the table's date format), or null when there is
     * none. A column named like a date ({@code Date}, {@code Time}, {@code Timestamp}, {@code Month}, ...) whose cells
     * are not plain numbers must parse: otherwise this is an error, not a silent fall-back to row numbers.
     */
    public String dateColumn() {
        for (int c = 0; c < header.length; c++) {
            String first = rows.get(0)[c];
            if (!isPlainNumber(first) && parseDateOrNull(first) != null) return header[c];
        }
        for (int c = 0; c < header.length; c++) {
            String first = rows.get(0)[c];
            if (DATE_NAMES.contains(header[c].toLowerCase(java.util.Locale.ROOT)) && !first.isEmpty() && !isPlainNumber(first)) {
                throw new CsvException(file, lines[0], header[c], notADate(first));
            }
        }
        return null;
    }

    private String notADate(String cell) {
        return dateFormat != null
                ? "expected a date in the format " + dateFormatText + ", got \"" + cell + "\""
                : "expected a date like 1949-01, 1981-01-31, 1981-01-31T06:00 or 1981-01-31T06:00+02:00, got \"" + cell
                        + "\" (give a date format for other forms, e.g. dd/MM/yyyy)";
    }

    /** A column of dates; every cell must parse. */
    public LocalDateTime[] dates(String column) {
        int c = columnIndex(column);
        LocalDateTime[] out = new LocalDateTime[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseDateOrNull(rows.get(i)[c]);
            if (out[i] == null) throw new CsvException(file, lines[i], column, notADate(rows.get(i)[c]));
        }
        return out;
    }

    private static boolean isPlainNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Parses an ISO date: {@code 1949-01} (a month), {@code 1981-01-31} (a day), {@code 1981-01-31T06:00[:00]} or
     * {@code 1981-01-31 06:00[:00]}, and date-times with an offset or zone ({@code 1981-01-31T06:00Z},
     * {@code 1981-01-31T06:00+02:00}, {@code 1981-01-31T06:00+01:00[Europe/Paris]}), which are converted to UTC;
     * months and days start at midnight of their first day. Thread-safe.
     */
    public static LocalDateTime parseDate(String s) {
        LocalDateTime d = parseIso(s);
        if (d == null) throw new IllegalArgumentException("Not a date: \"" + s + "\" (expected e.g. 1949-01 or 1981-01-31)");
        return d;
    }

    private LocalDateTime parseDateOrNull(String s) {
        if (dateFormat == null) return parseIso(s);
        try {
            java.time.temporal.TemporalAccessor t = dateFormat.parseBest(s.strip(), java.time.ZonedDateTime::from,
                    LocalDateTime::from, LocalDate::from, YearMonth::from);
            if (t instanceof java.time.ZonedDateTime) return utc(((java.time.ZonedDateTime) t).toInstant());
            if (t instanceof LocalDateTime) return (LocalDateTime) t;
            if (t instanceof LocalDate) return ((LocalDate) t).atStartOfDay();
            return ((YearMonth) t).atDay(1).atStartOfDay();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDateTime utc(java.time.Instant i) { return LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC); }

    private static LocalDateTime parseIso(String s) {
        String t = s.strip();
        try {
            if (t.length() == 7) return YearMonth.parse(t).atDay(1).atStartOfDay();
            if (t.length() == 10) return LocalDate.parse(t).atStartOfDay();
            if (t.length() > 10) {
                String iso = t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
                java.time.temporal.TemporalAccessor a = DateTimeFormatter.ISO_DATE_TIME.parseBest(iso,
                        java.time.ZonedDateTime::from, LocalDateTime::from);
                return a instanceof java.time.ZonedDateTime ? utc(((java.time.ZonedDateTime) a).toInstant()) : (LocalDateTime) a;
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }
}
