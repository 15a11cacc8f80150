package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's SGD: {@code w -= lr*g}; with momentum m, {@code v = m*v - lr*g; w += v}; Nesterov:
 * {@code v = m*v - lr*g; w += m*v - lr*g}.
 *
 * <pre>{@code
 * model.compile(Loss.get("mse"), new SGD(0.01));                  // or compile("mse", "sgd")
 * model.compile(Loss.get("mse"), new SGD(0.01, 0.9, true));       // Nesterov momentum 0.9
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    public SGD(double learningRate) { this(learningRate, 0.0, false); }

    /** With a learning-rate schedule (Keras's {@code learning_rate=schedule}) and the other defaults. */
    public SGD(org.rnn4j.optimizers.schedules.LearningRateSchedule learningRate) {
        this(0.0);
        learningRate(learningRate);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("SGD momentum must be in [0, 1], got " + momentum);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override public String className() { return "SGD"; }

    @Override protected int slotCount() { return momentum > 0 ? 1 : 0; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float l = (float) lr;
        if (momentum == 0) {
            for (int i = 0; i < w.length; i++) w[i] -= l * g[i];
            return;
        }
        float m = (float) momentum;
        float[] v = s[0];
        for (int i = 0; i < w.length; i++) {
            v[i] = m * v[i] - l * g[i];
            w[i] += nesterov ? m * v[i] - l * g[i] : v[i];
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }
}
