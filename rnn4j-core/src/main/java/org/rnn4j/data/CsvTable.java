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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file with a header row, read whole into memory: the numeric columns a model learns from and a date column
 * kept for plots. Fields may be quoted ({@code "a,b"}, {@code ""} for a quote); blank lines are skipped. Every
 * problem is a {@link CsvException} naming the file, row and column and what was expected.
 *
 * <pre>{@code
 * CsvTable t = CsvTable.read(Path.of("airline-passengers.csv"));
 * float[] passengers = t.numeric("Passengers");
 * String dates = t.dateColumn();                       // "Month": its first value parses as a date
 * LocalDateTime first = CsvTable.parseDate(t.strings(dates)[0]);
 * }</pre>
 */
public final class CsvTable {
    private final String file;
    private final String[] header;
    private final List<String[]> rows;
    private final int[] lines;

    private CsvTable(String file, String[] header, List<String[]> rows, int[] lines) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.lines = lines;
    }

    /** Reads a file; the name in messages is the path as given. */
    public static CsvTable read(Path path) {
        String name = path.toString();
        List<String> text;
        try {
            text = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CsvException(name, 0, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new CsvException(name, 0, null, "permission denied");
        } catch (IOException e) {
            if (Files.isDirectory(path)) throw new CsvException(name, 0, null, "is a directory, expected a CSV file");
            throw new CsvException(name, 0, null, "cannot be read as UTF-8 text (" + e.getMessage() + ")");
        }
        return parse(name, text);
    }

    /** Parses lines of CSV text; {@code name} is used in messages. */
    public static CsvTable parse(String name, List<String> text) {
        String[] header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) line = line.substring(1); // byte-order mark
            if (line.isBlank()) continue;
            String[] fields = split(line, name, i + 1);
            if (header == null) {
                header = fields;
                for (int c = 0; c < header.length; c++) {
                    if (header[c].isEmpty()) throw new CsvException(name, i + 1, null, "header field " + (c + 1) + " is empty, expected a column name");
                    for (int d = 0; d < c; d++) {
                        if (header[d].equals(header[c])) throw new CsvException(name, i + 1, header[c], "appears twice in the header");
                    }
                }
            } else {
                if (fields.length != header.length) {
                    throw new CsvException(name, i + 1, null, "expected " + header.length + " fields as in the header ("
                            + String.join(",", header) + "), got " + fields.length);
                }
                rows.add(fields);
                lines.add(i + 1);
            }
        }
        if (header == null) throw new CsvException(name, 0, null, "the file is empty, expected a header row and data rows");
        if (rows.isEmpty()) throw new CsvException(name, 0, null, "has a header row but no data rows");
        return new CsvTable(name, header, rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    private static String[] split(String line, String name, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') { sb.append('"'); i++; }
                    else quoted = false;
                } else {
                    sb.append(ch);
                }
            } else if (ch == '"' && sb.toString().isBlank()) {
                quoted = true;
                sb.setLength(0);
            } else if (ch == ',') {
                out.add(sb.toString().strip());
                sb.setLength(0);
            } else {
                sb.append(ch);
            }
        }
        if (quoted) throw new CsvException(name, lineNo, null, "a quoted field is not closed, expected a closing \"");
        out.add(sb.toString().strip());
        return out.toArray(new String[0]);
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

    /** The first column whose first cell parses as a date ({@link #parseDate}), or null. */
    public String dateColumn() {
        for (int c = 0; c < header.length; c++) {
            String first = rows.get(0)[c];
            if (!isPlainNumber(first) && parseDateOrNull(first) != null) return header[c];
        }
        return null;
    }

    /** A column of dates; every cell must parse. */
    public LocalDateTime[] dates(String column) {
        int c = columnIndex(column);
        LocalDateTime[] out = new LocalDateTime[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseDateOrNull(rows.get(i)[c]);
            if (out[i] == null) {
                throw new CsvException(file, lines[i], column, "expected a date like 1949-01, 1981-01-31 or 1981-01-31T06:00, got \""
                        + rows.get(i)[c] + "\"");
            }
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
     * Parses {@code 1949-01} (a month), {@code 1981-01-31} (a day), {@code 1981-01-31T06:00[:00]} or
     * {@code 1981-01-31 06:00[:00]}; months and days start at midnight of their first day.
     */
    public static LocalDateTime parseDate(String s) {
        LocalDateTime d = parseDateOrNull(s);
        if (d == null) throw new IllegalArgumentException("Not a date: \"" + s + "\" (expected e.g. 1949-01 or 1981-01-31)");
        return d;
    }

    private static LocalDateTime parseDateOrNull(String s) {
        String t = s.strip();
        try {
            if (t.length() == 7) return YearMonth.parse(t).atDay(1).atStartOfDay();
            if (t.length() == 10) return LocalDate.parse(t).atStartOfDay();
            if (t.length() > 10) return LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }
}
