package org.rnn4j.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** The test-part table {@code fit}, {@code evaluate} and {@code demo} print. */
final class Report {
    private Report() {}

    /**
     * <pre>
     * Test part: 48 forecasts of 1 step, 1957-01 to 1960-12 (units of Passengers)
     *   forecaster           RMSE       MAE     MAPE
     *   lstm:32             22.41     17.30    4.12%
     *   persistence         48.04     ...
     * </pre>
     */
    static void table(PrintWriter out, Forecaster f, Forecaster.Evaluation e) {
        int[] t = e.times();
        int h = f.settings.horizon;
        out.println("Test part: " + e.forecasts() + " forecasts " + (h == 1 ? "one step ahead" : "1 to " + h + " steps ahead")
                + ", " + f.data.label(t[0]) + " to " + f.data.label(t[t.length - 1] + h - 1) + " (in units of "
                + f.data.targetName() + ")");
        int width = 16;
        for (Forecaster.Scores s : e.scores()) width = Math.max(width, s.name().length());
        out.println(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %9s", "forecaster", "RMSE", "MAE", "MAPE"));
        for (Forecaster.Scores s : e.scores()) {
            out.println(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %8.2f%%", s.name(), number(s.rmse()),
                    number(s.mae()), s.mape()));
        }
    }

    /** 4 significant digits, at least 2 decimals below 100. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.2f", v);
        if (a >= 1 || a == 0) return String.format(Locale.ROOT, "%.3f", v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
