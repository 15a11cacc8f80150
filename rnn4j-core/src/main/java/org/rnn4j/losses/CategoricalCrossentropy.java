package org.rnn4j.losses;

/**
 * Keras's categorical cross-entropy on one-hot (or soft) targets: {@code p' = clip(p / sum(p), eps, 1 - eps)},
 * {@code -sum_last_axis(y log p')}. With {@code fromLogits} the predictions are logits (log-softmax inside).
 *
 * <pre>{@code
 * model.add(new Dense(3).activation("softmax"));
 * model.compile(new CategoricalCrossentropy(false), new Adam(1e-3), "accuracy");   // one-hot targets [n, 3]
 * }</pre>
 */
public class CategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    public CategoricalCrossentropy(boolean fromLogits) { this.fromLogits = fromLogits; }

    public boolean fromLogits() { return fromLogits; }

    @Override public String name() { return "categorical_crossentropy"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        float[] target = new float[cols];
        for (int r = 0; r < rows; r++) {
            target(y, tc, r, cols, target);
            loss[r] = fromLogits ? logits(target, p, r * cols, cols, grad) : probabilities(target, p, r * cols, cols, grad);
        }
    }

    /** Row r's target as a distribution over {@code cols} classes. */
    protected void target(float[] y, int tc, int r, int cols, float[] out) {
        System.arraycopy(y, r * cols, out, 0, cols);
    }

    /** Clip bounds applied to p before normalising (only the sparse loss clips first, as the reference). */
    protected boolean clipBeforeNormalising() { return false; }

    private double probabilities(float[] y, float[] p, int o, int cols, float[] grad) {
        double sum = 0;
        boolean preclip = clipBeforeNormalising();
        for (int j = 0; j < cols; j++) sum += preclip ? clip(p[o + j]) : p[o + j];
        double loss = 0;
        double gradSumTerm = 0; // sum_k y_k / (sum) over unclipped normalised entries
        double[] q = new double[cols];
        for (int j = 0; j < cols; j++) {
            double pj = preclip ? clip(p[o + j]) : p[o + j];
            q[j] = pj / sum;
            double qc = Math.min(Math.max(q[j], EPSILON), 1 - EPSILON);
            loss -= y[j] * Math.log(qc);
        }
        if (grad != null) {
            // L = -sum_k y_k log(q_k), q_k = p_k / S: dL/dp_j = -y_j/p_j + (sum_k y_k)/S for unclipped q_k.
            for (int k = 0; k < cols; k++) {
                if (q[k] > EPSILON && q[k] < 1 - EPSILON) gradSumTerm += y[k] / sum;
            }
            for (int j = 0; j < cols; j++) {
                boolean inside = q[j] > EPSILON && q[j] < 1 - EPSILON;
                boolean pInside = !preclip || (p[o + j] > EPSILON && p[o + j] < 1 - EPSILON);
                double pj = preclip ? clip(p[o + j]) : p[o + j];
                double g = (inside ? -y[j] / pj : 0) + gradSumTerm;
                grad[o + j] = pInside ? (float) g : 0f;
            }
        }
        return loss;
    }

    private static double clip(float v) { return Math.min(Math.max(v, EPSILON), 1 - EPSILON); }

    private static double logits(float[] y, float[] x, int o, int cols, float[] grad) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
        double sumExp = 0;
        for (int j = 0; j < cols; j++) sumExp += Math.exp(x[o + j] - max);
        double logZ = max + Math.log(sumExp);
        double loss = 0, ySum = 0;
        for (int j = 0; j < cols; j++) {
            loss -= y[j] * (x[o + j] - logZ);
            ySum += y[j];
        }
        if (grad != null) {
            for (int j = 0; j < cols; j++) grad[o + j] = (float) (Math.exp(x[o + j] - logZ) * ySum - y[j]);
        }
        return loss;
    }
}
