package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's RMSprop: {@code s = rho*s + (1-rho)*g^2}; {@code inc = lr*g / sqrt(s + eps)} (centered: the variance
 * {@code s - mg^2} with {@code mg = rho*mg + (1-rho)*g}); with momentum {@code mom = momentum*mom + inc}, else
 * {@code mom = inc}; {@code w -= mom}. Defaults: lr 0.001, rho 0.9, momentum 0, eps 1e-7.
 *
 * <pre>{@code
 * model.compile(Loss.get("mse"), new RMSprop(1e-3));                           // or compile("mse", "rmsprop")
 * model.compile(Loss.get("mse"), new RMSprop(1e-3, 0.9, 0.0, 1e-7, true));     // centered
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private final double rho, momentum, epsilon;
    private final boolean centered;

    public RMSprop(double learningRate) { this(learningRate, 0.9, 0.0, 1e-7, false); }

    /** With a learning-rate schedule (Keras's {@code learning_rate=schedule}) and the other defaults. */
    public RMSprop(org.rnn4j.optimizers.schedules.LearningRateSchedule learningRate) {
        this(0.0);
        learningRate(learningRate);
    }

    public RMSprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
        super(learningRate);
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.centered = centered;
    }

    @Override public String className() { return "RMSprop"; }

    @Override protected int slotCount() { return 3; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float r = (float) rho, l = (float) lr, eps = (float) epsilon, mo = (float) momentum;
        float[] sq = s[0], mom = s[1], mg = s[2];
        for (int i = 0; i < w.length; i++) {
            sq[i] = r * sq[i] + (1f - r) * g[i] * g[i];
            float denom = sq[i];
            if (centered) {
                mg[i] = r * mg[i] + (1f - r) * g[i];
                denom -= mg[i] * mg[i];
            }
            float inc = l * g[i] / (float) Math.sqrt(denom + eps);
            if (momentum > 0) {
                mom[i] = mo * mom[i] + inc;
                w[i] -= mom[i];
            } else {
                w[i] -= inc;
            }
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rho", rho);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("centered", centered);
        return c;
    }
}
