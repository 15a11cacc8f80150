package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras 3's Nadam (Adam with Nesterov momentum; tf.keras 2.11 and later): with the momentum schedule
 * {@code mu_t = b1 (1 - 0.5 * 0.96^t)} and {@code P_t = mu_1 ... mu_t},
 * {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code m_hat = mu_{t+1} m / (1 - P_t mu_{t+1}) + (1 - mu_t) g / (1 - P_t)}, {@code v_hat = v / (1 - b2^t)},
 * {@code w -= lr m_hat / (sqrt(v_hat) + eps)}. Defaults: lr 0.001, b1 0.9, b2 0.999, eps 1e-7. {@code P_t} depends only
 * on the step, so it is recomputed from the iteration count (Keras keeps it as a variable).
 *
 * <pre>{@code
 * Optimizer opt = new Nadam(0.01);   // or Optimizer.get("nadam")
 * }</pre>
 */
public final class Nadam extends Optimizer {
    private final double beta1, beta2, epsilon;

    /** Keras's defaults. */
    public Nadam() { this(0.001); }

    public Nadam(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7); }

    public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override public String className() { return "Nadam"; }

    /** m, then v. */
    @Override protected int slotCount() { return 2; }

    private double mu(long t) { return beta1 * (1 - 0.5 * Math.pow(0.96, t)); }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        double product = 1;
        for (long k = 1; k <= t; k++) product *= mu(k);
        double muT = mu(t), muNext = mu(t + 1);
        float cm = (float) (muNext / (1 - product * muNext)), cg = (float) ((1 - muT) / (1 - product));
        float cv = (float) (1 / (1 - Math.pow(beta2, t)));
        float b1 = (float) beta1, b2 = (float) beta2, eps = (float) epsilon, l = (float) lr;
        float[] m = s[0], v = s[1];
        for (int i = 0; i < w.length; i++) {
            m[i] += (g[i] - m[i]) * (1f - b1);
            v[i] += (g[i] * g[i] - v[i]) * (1f - b2);
            float mHat = cm * m[i] + cg * g[i];
            w[i] -= l * mHat / ((float) Math.sqrt(v[i] * cv) + eps);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
