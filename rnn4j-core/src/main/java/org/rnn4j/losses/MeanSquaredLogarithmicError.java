package org.rnn4j.losses;

/**
 * Keras's {@code mean_squared_logarithmic_error}: {@code mean_last_axis((log(max(p, eps) + 1) - log(max(y, eps) + 1))^2)}.
 * Predictions below {@code eps} are clipped, so their gradient is 0.
 *
 * <pre>{@code
 * Loss msle = Loss.get("msle");   // or new MeanSquaredLogarithmicError()
 * }</pre>
 */
public final class MeanSquaredLogarithmicError extends Loss {
    @Override public String name() { return "mean_squared_logarithmic_error"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double pc = Math.max(p[i], EPSILON);
                double d = Math.log(pc + 1) - Math.log(Math.max(y[i], EPSILON) + 1);
                s += d * d;
                if (grad != null) grad[i] = p[i] < EPSILON ? 0f : (float) (2 * d / (pc + 1) / cols);
            }
            loss[r] = s / cols;
        }
    }
}
