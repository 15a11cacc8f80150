package org.rnn4j.losses;

/**
 * {@code mean_last_axis((p - y)^2)}.
 *
 * <pre>{@code
 * model.compile(new MeanSquaredError(), new Adam(1e-3), "mae");   // or compile("mse", "adam", "mae")
 * float mse = new MeanSquaredError().compute(yTrue, yPred, null, null);
 * }</pre>
 */
public final class MeanSquaredError extends Loss {
    @Override public String name() { return "mean_squared_error"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float d = p[i] - y[i];
                s += (double) d * d;
                if (grad != null) grad[i] = 2f * d / cols;
            }
            loss[r] = s / cols;
        }
    }
}
