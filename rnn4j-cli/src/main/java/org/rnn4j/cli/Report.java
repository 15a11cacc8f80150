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
        out.println("Test part: " + testPart(f.data, e, f.settings.horizon) + " (in units of " + f.data.targetName() + ")");
        int width = 16;
        for (Forecaster.Scores s : e.scores()) width = Math.max(width, s.name().length());
        out.println(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %9s", "forecaster", "RMSE", "MAE", "MAPE"));
        for (Forecaster.Scores s : e.scores()) {
            String mape = Double.isNaN(s.mape()) ? "-" : String.format(Locale.ROOT, "%.2f%%", s.mape());
            out.println(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %9s", s.name(), number(s.rmse()),
                    number(s.mae()), mape));
        }
        if (Double.isNaN(e.model().mape())) {
            out.println("  (MAPE omitted: the test part's actual values include zeros, where a percentage error is undefined)");
        }
    }

    /**
     * What the test part holds, in the words both the table and the plot's title use: {@code 48 forecasts one step
     * ahead, 1957-01 to 1960-12} or {@code 46 forecasts of 1 to 3 steps ahead, 1957-01 to 1960-12}.
     */
    static String testPart(SeriesData data, Forecaster.Evaluation e, int horizon) {
        int[] t = e.times();
        return t.length + " forecasts " + (horizon == 1 ? "one step ahead" : "of 1 to " + horizon + " steps ahead") + ", "
                + data.label(t[0]) + " to " + data.label(t[t.length - 1] + horizon - 1);
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
