package org.rnn4j.data;

import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How to read a CSV file: the delimiter (comma, tab, semicolon, or detected from the first row), whether the first row
 * is a header, and a date pattern for dates that are not ISO. Immutable: each setter returns a new options object.
 * Thread-safe: may be shared.
 *
 * <pre>{@code
 * CsvTable t = CsvTable.read(path, CsvOptions.defaults().delimiter("tab").header(false).dateFormat("dd/MM/yyyy"));
 * }</pre>
 */
public final class CsvOptions {
    /** The delimiter value that means "detect it from the first row". */
    public static final char AUTO = 0;

    private final char delimiter;
    private final boolean header;
    private final String dateFormat;

    private CsvOptions(char delimiter, boolean header, String dateFormat) {
        this.delimiter = delimiter;
        this.header = header;
        this.dateFormat = dateFormat;
    }

    /** Delimiter detected, a header row, ISO dates. Thread-safe. */
    public static CsvOptions defaults() { return new CsvOptions(AUTO, true, null); }

    /**
     * The delimiter by name: {@code comma} (or {@code ,}), {@code tab} (or a tab character, or {@code \t}),
     * {@code semicolon} (or {@code ;}), or {@code auto}: the one of the three that occurs most often in the first row
     * outside quotes (comma when none does). Thread-safe.
     */
    public CsvOptions delimiter(String name) {
        if (name == null) throw new IllegalArgumentException("CSV delimiter is null, expected comma, tab, semicolon or auto");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "comma": case ",": return delimiter(',');
            case "tab": case "\t": case "\\t": return delimiter('\t');
            case "semicolon": case ";": return delimiter(';');
            case "auto": return delimiter(AUTO);
            default: throw new IllegalArgumentException("CSV delimiter \"" + name + "\" is not supported, expected comma, tab, semicolon or auto");
        }
    }

    /** The delimiter as a character ({@code ','}, {@code '\t'}, {@code ';'}) or {@link #AUTO}. Thread-safe. */
    public CsvOptions delimiter(char c) {
        if (c != AUTO && c != ',' && c != '\t' && c != ';') {
            throw new IllegalArgumentException("CSV delimiter '" + c + "' is not supported, expected ',', tab, ';' or AUTO");
        }
        return new CsvOptions(c, header, dateFormat);
    }

    /** Whether the first row names the columns; without one the columns are named 1, 2, 3, ... Thread-safe. */
    public CsvOptions header(boolean v) { return new CsvOptions(delimiter, v, dateFormat); }

    /**
     * A {@link DateTimeFormatter} pattern for the date column (e.g. {@code dd/MM/yyyy} or {@code MM/dd/yyyy HH:mm});
     * null for ISO dates. A pattern with an offset or zone ({@code XXX}, {@code VV}) gives instants, read in UTC.
     * Thread-safe.
     */
    public CsvOptions dateFormat(String pattern) {
        if (pattern != null) {
            try {
                DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("date format \"" + pattern + "\" is not a valid pattern: " + e.getMessage(), e);
            }
        }
        return new CsvOptions(delimiter, header, pattern);
    }

    /** The delimiter, or {@link #AUTO}. Thread-safe. */
    public char delimiter() { return delimiter; }

    /** Whether the first row is a header. Thread-safe. */
    public boolean header() { return header; }

    /** The date pattern, or null for ISO. Thread-safe. */
    public String dateFormat() { return dateFormat; }
}
