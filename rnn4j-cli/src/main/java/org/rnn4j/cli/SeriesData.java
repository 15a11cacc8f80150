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
        return read(csv, target, features, null);
    }

    /** With the CSV layout given ({@code null}: delimiter detected, header row, ISO dates). */
    static SeriesData read(Path csv, String target, List<String> features, org.rnn4j.data.CsvOptions options) {
        return of(CsvTable.read(csv, options == null ? org.rnn4j.data.CsvOptions.defaults() : options), target, features);
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

    /**
     * The dates of {@code steps} steps past the end, at the data's own spacing: whole months when the dates are
     * first days of months a fixed number of months apart (so February follows January), else the last interval.
     * Null without a date column.
     */
    List<LocalDateTime> futureDates(int steps) {
        if (dates == null) return null;
        int n = dates.length;
        LocalDateTime last = dates[n - 1];
        List<LocalDateTime> out = new ArrayList<>();
        if (n < 2) {
            for (int k = 1; k <= steps; k++) out.add(last.plusDays(k));
            return out;
        }
        long months = java.time.temporal.ChronoUnit.MONTHS.between(dates[n - 2], last);
        boolean monthly = months > 0;
        for (int i = Math.max(1, n - 12); i < n && monthly; i++) {
            monthly = dates[i].getDayOfMonth() == 1 && dates[i].toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                    && dates[i - 1].plusMonths(months).equals(dates[i]);
        }
        java.time.Duration step = java.time.Duration.between(dates[n - 2], last);
        for (int k = 1; k <= steps; k++) out.add(monthly ? last.plusMonths(months * k) : last.plus(step.multipliedBy(k)));
        return out;
    }

    /** A future date written like the data's dates (1961-01, 1991-01-01 or ISO date-time). */
    String labelOf(LocalDateTime d) {
        int len = dateLabels[dateLabels.length - 1].length();
        if (len == 7) return java.time.YearMonth.from(d).toString();
        if (len == 10) return d.toLocalDate().toString();
        return d.toString();
    }

    /** The label of step {@code t}: its date text, or its row number. */
    String label(int t) { return dateLabels != null ? dateLabels[t] : "row " + (t + 2); }
}
