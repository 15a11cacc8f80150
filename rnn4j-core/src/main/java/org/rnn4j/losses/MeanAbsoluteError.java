package org.rnn4j.losses;

/**
 * {@code mean_last_axis(|p - y|)}; the gradient at {@code p == y} is 0, as Keras's sign().
 *
 * <pre>{@code
 * model.compile(new MeanAbsoluteError(), new Adam(1e-3));   // or compile("mae", "adam")
 * float mae = new MeanAbsoluteError().compute(yTrue, yPred, null, null);
 * }</pre>
 */
public final class MeanAbsoluteError extends Loss {
    @Override public String name() { return "mean_absolute_error"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float d = p[i] - y[i];
                s += Math.abs(d);
                if (grad != null) grad[i] = Math.signum(d) / cols;
            }
            loss[r] = s / cols;
        }
    }
}
