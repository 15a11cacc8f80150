package org.rnn4j.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.data.CsvException;
import org.rnn4j.data.CsvTable;

/**
 * The columns of a CSV a forecasting model reads: the target first, then the feature columns, and the date column
 * (found automatically: the first column whose first value is a date) kept for plots and forecast dates.
 *
 * <pre>{@code
 * SeriesData d = SeriesData.read(Path.of("airline-passengers.csv"), "Passengers", List.of());
 * float[] passengers = d.target();
 * }</pre>
 */
final class SeriesData {
    final String file;
    final List<String> names;
    final float[][] columns;
    final String dateColumn;
    final LocalDateTime[] dates;
    final String[] dateLabels;

    private SeriesData(String file, List<String> names, float[][] columns, String dateColumn, LocalDateTime[] dates,
                       String[] dateLabels) {
        this.file = file;
        this.names = names;
        this.columns = columns;
        this.dateColumn = dateColumn;
        this.dates = dates;
        this.dateLabels = dateLabels;
    }

    static SeriesData read(Path csv, String target, List<String> features) {
        return of(CsvTable.read(csv), target, features);
    }

    static SeriesData of(CsvTable table, String target, List<String> features) {
        List<String> names = new ArrayList<>();
        names.add(target);
        for (String f : features) if (!names.contains(f)) names.add(f);
        // Check every name before reading any column, so a typo is reported before a bad cell elsewhere.
        for (String n : names) table.columnIndex(n);
        float[][] columns = new float[names.size()][];
        for (int c = 0; c < columns.length; c++) columns[c] = table.numeric(names.get(c));
        String dateColumn = table.dateColumn();
        if (dateColumn != null && names.contains(dateColumn)) dateColumn = null;
        LocalDateTime[] dates = dateColumn == null ? null : table.dates(dateColumn);
        String[] labels = dateColumn == null ? null : table.strings(dateColumn);
        if (dates != null) {
            for (int i = 1; i < dates.length; i++) {
                if (!dates[i].isAfter(dates[i - 1])) {
                    throw new CsvException(table.file(), table.rowNumber(i), dateColumn, "expected dates in increasing order, got "
                            + labels[i] + " after " + labels[i - 1]);
                }
            }
        }
        return new SeriesData(table.file(), List.copyOf(names), columns, dateColumn, dates, labels);
    }

    /** Number of time steps (data rows). */
    int size() { return columns[0].length; }

    float[] target() { return columns[0]; }

    String targetName() { return names.get(0); }

    /** The label of step {@code t}: its date text, or its row number. */
    String label(int t) { return dateLabels != null ? dateLabels[t] : "row " + (t + 2); }
}
