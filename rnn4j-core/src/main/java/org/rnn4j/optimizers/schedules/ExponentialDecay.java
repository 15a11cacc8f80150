package org.rnn4j.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's ExponentialDecay: {@code initial * decay_rate ^ (step / decay_steps)}, with the exponent floored when
 * {@code staircase}.
 *
 * <pre>{@code
 * new Adam(new ExponentialDecay(0.01, 100, 0.5));  // 0.01 at step 0, 0.005 at step 100
 * }</pre>
 */
public final class ExponentialDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        checkDecaySteps(decaySteps);
        this.initialLearningRate = initialLearningRate;
        this.decaySteps = decaySteps;
        this.decayRate = decayRate;
        this.staircase = staircase;
    }

    @Override public String className() { return "ExponentialDecay"; }

    @Override
    public double rate(long step) {
        // float32 as Keras: p = step / decay_steps; lr = initial * rate^p.
        float p = (float) step / (float) decaySteps;
        if (staircase) p = (float) Math.floor(p);
        return (float) initialLearningRate * (float) Math.pow((float) decayRate, p);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        c.put("name", "ExponentialDecay");
        return c;
    }

    static ExponentialDecay fromKerasConfig(Map<String, Object> c) {
        return new ExponentialDecay(num(c, "initial_learning_rate"), (long) num(c, "decay_steps"), num(c, "decay_rate"),
                Boolean.TRUE.equals(c.get("staircase")));
    }
}
