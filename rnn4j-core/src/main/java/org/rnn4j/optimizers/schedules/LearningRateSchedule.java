package org.rnn4j.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Keras learning-rate schedule: the rate as a function of the optimizer step (the number of updates applied
 * before this one, so the first update uses step 0). Computed in float32 as Keras computes it with a float
 * initial rate.
 *
 * <pre>{@code
 * Optimizer sgd = new SGD(new ExponentialDecay(0.1, 1000, 0.96));
 * }</pre>
 */
public abstract class LearningRateSchedule {
    /** Keras's class name ({@code ExponentialDecay}). */
    public abstract String className();

    /** The learning rate at this optimizer step. */
    public abstract double rate(long step);

    /** Keras's {@code get_config()}. */
    public abstract Map<String, Object> getConfig();

    /** Keras 3's serialized form, as it appears as an optimizer's {@code learning_rate}. */
    public Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.optimizers.schedules");
        m.put("class_name", className());
        m.put("config", getConfig());
        m.put("registered_name", null);
        return m;
    }

    /** The schedule of a serialized config ({@code class_name} and {@code config}). */
    @SuppressWarnings("unchecked")
    public static LearningRateSchedule fromConfig(Map<String, Object> m) {
        Object cls = m.get("class_name");
        Map<String, Object> c = (Map<String, Object>) m.getOrDefault("config", Map.of());
        if ("ExponentialDecay".equals(cls)) return ExponentialDecay.fromKerasConfig(c);
        if ("CosineDecay".equals(cls)) return CosineDecay.fromKerasConfig(c);
        if ("PiecewiseConstantDecay".equals(cls)) return PiecewiseConstantDecay.fromKerasConfig(c);
        throw new IllegalArgumentException("Unknown learning rate schedule \"" + cls
                + "\"; expected ExponentialDecay, CosineDecay or PiecewiseConstantDecay");
    }

    static double num(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number)) throw new IllegalArgumentException("Learning rate schedule config needs a number \"" + key + "\", got " + v);
        return ((Number) v).doubleValue();
    }

    static void checkDecaySteps(long decaySteps) {
        if (decaySteps <= 0) throw new IllegalArgumentException("Argument `decay_steps` must be > 0. Received: decay_steps=" + decaySteps);
    }

    @Override
    public String toString() { return className() + getConfig(); }
}
