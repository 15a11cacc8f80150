package org.rnn4j.losses;

/**
 * Keras's {@code log_cosh}: {@code mean_last_axis(x + softplus(-2x) - log 2)} with {@code x = p - y} (that is
 * {@code log(cosh(x))} without overflow); its gradient is {@code tanh(x)}.
 *
 * <pre>{@code
 * Loss l = Loss.get("log_cosh");   // or new LogCosh()
 * }</pre>
 */
public final class LogCosh extends Loss {
    private static final double LOG2 = Math.log(2);

    @Override public String name() { return "log_cosh"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double x = (double) p[i] - y[i];
                double z = -2 * x; // softplus(z) = max(z, 0) + log1p(exp(-|z|))
                s += x + Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - LOG2;
                if (grad != null) grad[i] = (float) (Math.tanh(x) / cols);
            }
            loss[r] = s / cols;
        }
    }
}
