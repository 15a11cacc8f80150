package org.rnn4j.models;

import java.util.List;
import java.util.Locale;

/**
 * Renders Keras 2's {@code model.summary()} table: fields cut at fixed column stops, the character before each
 * stop forced to a space, rows separated by {@code _} lines, totals with thousands separators.
 *
 * <pre>{@code
 * String table = Summary.render("sequential", new String[] {"Layer (type)", "Output Shape", "Param #"},
 *         new int[] {29, 55, 65}, List.of(new Summary.Row("lstm (LSTM)", "(None, 10)", "480")), 480, 480);
 * // Model: "sequential", the ruled table, then "Total params: 480", as model.summary() prints it
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state).
 */
public final class Summary {
    private Summary() {}

    /** One table row: its cells, each possibly several lines (the first line goes on the row itself). */
    public static final class Row {
        final String[] cells;

        /** Thread-safe: no shared mutable state. */
        public Row(String... cells) { this.cells = cells; }
    }

    /**
     * Thread-safe: no shared mutable state.
     * @param stops column end positions, e.g. {29, 55, 65}; the last is the line width
     */
    public static String render(String modelName, String[] header, int[] stops, List<Row> rows,
                                long total, long trainable) {
        int width = stops[stops.length - 1];
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        sb.append(line(header, stops)).append('\n');
        sb.append("=".repeat(width)).append('\n');
        for (int r = 0; r < rows.size(); r++) {
            sb.append(line(rows.get(r).cells, stops)).append('\n');
            sb.append((r == rows.size() - 1 ? "=" : "_").repeat(width)).append('\n');
        }
        if (rows.isEmpty()) sb.append("=".repeat(width)).append('\n');
        sb.append("Total params: ").append(thousands(total)).append('\n');
        sb.append("Trainable params: ").append(thousands(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(thousands(total - trainable)).append('\n');
        sb.append("_".repeat(width));
        return sb.toString();
    }

    /** Cells of one or more lines: extra lines (a second connection, say) print under the first. */
    static String line(String[] cells, int[] stops) {
        int lines = 1;
        for (String c : cells) lines = Math.max(lines, c.split("\n", -1).length);
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines; l++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                String[] parts = cells[i].split("\n", -1);
                String field = l < parts.length ? parts[l] : "";
                sb.append(field);
                if (sb.length() > stops[i] - 1) sb.setLength(stops[i] - 1);
                while (sb.length() < stops[i]) sb.append(' ');
            }
            if (l > 0) out.append('\n');
            out.append(sb);
        }
        return out.toString();
    }

    static String thousands(long v) { return String.format(Locale.ROOT, "%,d", v); }
}
