package org.rnn4j.losses;

/**
 * Keras's binary cross-entropy: {@code p' = clip(p, eps, 1 - eps)},
 * {@code mean_last_axis(-(y log p' + (1 - y) log(1 - p')))}. With {@code fromLogits} the predictions are logits
 * and the loss is the numerically stable sigmoid cross-entropy.
 *
 * <pre>{@code
 * model.compile(new BinaryCrossentropy(false), new Adam(1e-3), "accuracy");   // or compile("binary_crossentropy", "adam")
 * model.compile(new BinaryCrossentropy(true), new Adam(1e-3));                // a last layer without sigmoid
 * }</pre>
 */
public final class BinaryCrossentropy extends Loss {
    private final boolean fromLogits;

    public BinaryCrossentropy(boolean fromLogits) { this.fromLogits = fromLogits; }

    public boolean fromLogits() { return fromLogits; }

    @Override public String name() { return "binary_crossentropy"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                if (fromLogits) {
                    double x = p[i];
                    // max(x, 0) - x*y + log(1 + e^-|x|)
                    s += Math.max(x, 0) - x * y[i] + Math.log1p(Math.exp(-Math.abs(x)));
                    if (grad != null) grad[i] = (float) ((1.0 / (1.0 + Math.exp(-x)) - y[i]) / cols);
                } else {
                    float pc = Math.min(Math.max(p[i], EPSILON), 1f - EPSILON);
                    s += -(y[i] * Math.log(pc) + (1.0 - y[i]) * Math.log(1.0 - pc));
                    if (grad != null) {
                        boolean clipped = p[i] < EPSILON || p[i] > 1f - EPSILON;
                        grad[i] = clipped ? 0f : (float) ((-y[i] / pc + (1.0 - y[i]) / (1.0 - pc)) / cols);
                    }
                }
            }
            loss[r] = s / cols;
        }
    }
}
