package org.rnn4j.data;

/**
 * Bad CSV input, with the file, row and column it is about. Rows are counted as a spreadsheet shows them: the
 * header is row 1, the first data row is row 2 (so the row is also the line number).
 *
 * <pre>{@code
 * try { table.numeric("Temp"); } catch (CsvException e) { System.err.println(e.getMessage()); }
 * // temps.csv: row 8, column "Temp": expected a number, got "?0.2"
 * }</pre>
 */
public final class CsvException extends IllegalArgumentException {
    private final String file;
    private final int row;
    private final String column;

    public CsvException(String file, int row, String column, String problem) {
        super(file + (row > 0 ? ": row " + row : "") + (column != null ? (row > 0 ? ", " : ": ") + "column \"" + column + "\"" : "")
                + ": " + problem);
        this.file = file;
        this.row = row;
        this.column = column;
    }

    /** The file name as given. */
    public String file() { return file; }

    /** The 1-based row (header = 1), or 0 when the problem is not about one row. */
    public int row() { return row; }

    /** The column name, or null. */
    public String column() { return column; }
}
