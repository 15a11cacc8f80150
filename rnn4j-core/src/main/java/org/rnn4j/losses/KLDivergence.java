package org.rnn4j.losses;

/**
 * Keras's {@code kl_divergence}: {@code sum_last_axis(y' log(y' / p'))} with {@code y' = clip(y, eps, 1)} and
 * {@code p' = clip(p, eps, 1)}; a zero target still contributes {@code eps log(eps / p')}. Clipped predictions get
 * no gradient.
 *
 * <pre>{@code
 * Loss kl = Loss.get("kld");   // or new KLDivergence()
 * }</pre>
 */
public final class KLDivergence extends Loss {
    @Override public String name() { return "kl_divergence"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double yc = Math.min(Math.max(y[i], EPSILON), 1.0), pc = Math.min(Math.max(p[i], EPSILON), 1.0);
                s += yc * Math.log(yc / pc);
                if (grad != null) grad[i] = p[i] < EPSILON || p[i] > 1f ? 0f : (float) (-yc / pc);
            }
            loss[r] = s;
        }
    }
}
