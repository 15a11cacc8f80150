package org.rnn4j.optimizers;

import java.util.Map;

/**
 * Keras's Adagrad: {@code acc += g^2}; {@code w -= lr*g / sqrt(acc + eps)}. Defaults: lr 0.001,
 * initial_accumulator_value 0.1, eps 1e-7.
 *
 * <pre>{@code
 * model.compile(Loss.get("mse"), new Adagrad(0.01));   // or compile("mse", "adagrad") for lr 0.001
 * }</pre>
 */
public final class Adagrad extends Optimizer {
    private final double initialAccumulatorValue, epsilon;

    public Adagrad(double learningRate) { this(learningRate, 0.1, 1e-7); }

    /** With a learning-rate schedule (Keras's {@code learning_rate=schedule}) and the other defaults. */
    public Adagrad(org.rnn4j.optimizers.schedules.LearningRateSchedule learningRate) {
        this(0.0);
        learningRate(learningRate);
    }

    public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        super(learningRate);
        this.initialAccumulatorValue = initialAccumulatorValue;
        this.epsilon = epsilon;
    }

    @Override public String className() { return "Adagrad"; }

    @Override protected int slotCount() { return 1; }

    @Override protected float initialSlotValue() { return (float) initialAccumulatorValue; }

    @Override
    protected void update(float[] w, float[] g, float[][] s, long t, double lr) {
        float l = (float) lr, eps = (float) epsilon;
        float[] acc = s[0];
        for (int i = 0; i < w.length; i++) {
            acc[i] += g[i] * g[i];
            w[i] -= l * g[i] / (float) Math.sqrt(acc[i] + eps);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("initial_accumulator_value", initialAccumulatorValue);
        c.put("epsilon", epsilon);
        return c;
    }
}
