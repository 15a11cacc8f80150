package org.rnn4j.losses;

/**
 * Keras's {@code poisson}: {@code mean_last_axis(p - y log(p + eps))}, for predicted rates {@code p >= 0}.
 *
 * <pre>{@code
 * Loss l = Loss.get("poisson");   // or new Poisson()
 * }</pre>
 */
public final class Poisson extends Loss {
    @Override public String name() { return "poisson"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double q = (double) p[i] + EPSILON;
                s += p[i] - y[i] * Math.log(q);
                if (grad != null) grad[i] = (float) ((1 - y[i] / q) / cols);
            }
            loss[r] = s / cols;
        }
    }
}
