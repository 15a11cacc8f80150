package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's Adamax (Adam with the infinity norm): {@code m = b1 m + (1-b1) g}, {@code u = max(b2 u, |g|)},
 * {@code w -= lr m / ((1 - b1^t)(u + eps))}. Defaults: lr 0.001, b1 0.9, b2 0.999, eps 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new Adamax(0.002);   // or Optimizer.get("adamax")
 * }</pre>
 */
public final class Adamax extends Optimizer {
    private final double beta1, beta2, epsilon;

    /** Keras's defaults. */
    public Adamax() { this(0.001); }

    public Adamax(double learningRate) { this(learningRate, 0.9, 0.999, 1e-7); }

    public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override public String className() { return "Adamax"; }

    /** m, then u (Keras 3's order). */
    @Override protected int slotCount() { return 2; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float[] m = s[0], u = s[1];
        float b1 = (float) beta1, b2 = (float) beta2, eps = (float) epsilon;
        float a = (float) (lr / (1 - Math.pow(beta1, t)));
        for (int i = 0; i < w.length; i++) {
            m[i] += (g[i] - m[i]) * (1f - b1);
            u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
            w[i] -= a * m[i] / (u[i] + eps);
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
