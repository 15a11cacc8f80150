package org.rnn4j.losses;

/**
 * Keras's {@code 100 * mean_last_axis(|y - p| / max(|y|, eps))}.
 *
 * <pre>{@code
 * model.compile(new MeanAbsolutePercentageError(), new Adam(1e-3));   // or compile("mape", "adam")
 * }</pre>
 */
public final class MeanAbsolutePercentageError extends Loss {
    @Override public String name() { return "mean_absolute_percentage_error"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float denom = Math.max(Math.abs(y[i]), EPSILON);
                float d = p[i] - y[i];
                s += Math.abs(d) / denom;
                if (grad != null) grad[i] = 100f * Math.signum(d) / denom / cols;
            }
            loss[r] = 100.0 * s / cols;
        }
    }
}
