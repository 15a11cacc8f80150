package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's Adadelta: {@code A = rho A + (1-rho) g^2}; {@code d = -sqrt(D + eps) / sqrt(A + eps) g} (with the updated
 * {@code A}); {@code D = rho D + (1-rho) d^2}; {@code w += lr d}. Defaults: lr 0.001, rho 0.95, eps 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new Adadelta(1.0, 0.95, 1e-6);   // or Optimizer.get("adadelta")
 * }</pre>
 */
public final class Adadelta extends Optimizer {
    private final double rho, epsilon;

    /** Keras's defaults. */
    public Adadelta() { this(0.001); }

    public Adadelta(double learningRate) { this(learningRate, 0.95, 1e-7); }

    public Adadelta(double learningRate, double rho, double epsilon) {
        super(learningRate);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override public String className() { return "Adadelta"; }

    /** The accumulated squared gradient, then the accumulated squared update (Keras 3's order). */
    @Override protected int slotCount() { return 2; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float[] acc = s[0], accDelta = s[1];
        float r = (float) rho, eps = (float) epsilon, l = (float) lr;
        for (int i = 0; i < w.length; i++) {
            acc[i] = r * acc[i] + (1f - r) * g[i] * g[i];
            float delta = -(float) Math.sqrt(accDelta[i] + eps) * g[i] / (float) Math.sqrt(acc[i] + eps);
            accDelta[i] = r * accDelta[i] + (1f - r) * delta * delta;
            w[i] += l * delta;
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rho", rho);
        c.put("epsilon", epsilon);
        return c;
    }
}
