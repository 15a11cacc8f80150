package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's Lion (sign momentum): {@code w -= lr sign(b1 m + (1-b1) g)}, then {@code m = b2 m + (1-b2) g}.
 * Defaults: lr 0.001, b1 0.9, b2 0.99; no epsilon.
 *
 * <pre>{@code
 * Optimizer opt = new Lion(1e-4);   // or Optimizer.get("lion")
 * }</pre>
 */
public final class Lion extends Optimizer {
    private final double beta1, beta2;

    /** Keras's defaults. */
    public Lion() { this(0.001); }

    public Lion(double learningRate) { this(learningRate, 0.9, 0.99); }

    public Lion(double learningRate, double beta1, double beta2) {
        super(learningRate);
        if (!(beta1 > 0 && beta1 <= 1)) {
            throw new IllegalArgumentException("Lion: beta_1 must be in (0, 1], got " + beta1);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override public String className() { return "Lion"; }

    @Override protected int slotCount() { return 1; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float[] m = s[0];
        float b1 = (float) beta1, b2 = (float) beta2, l = (float) lr;
        for (int i = 0; i < w.length; i++) {
            w[i] -= l * Math.signum(b1 * m[i] + (1f - b1) * g[i]);
            m[i] = b2 * m[i] + (1f - b2) * g[i];
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        return c;
    }
}
