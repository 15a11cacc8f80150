package org.rnn4j.constraints;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras weight constraint: a projection applied to a weight after each optimizer step.
 *
 * <pre>{@code
 * new Dense(8).kernelConstraint(Constraint.maxNorm(2.0));
 * new LSTM(8).recurrentConstraint(Constraint.get("unit_norm"));
 * }</pre>
 */
public abstract class Constraint {
    /** Keras's fuzz factor in the norm divisions. */
    protected static final float EPSILON = 1e-7f;

    /** Keras's class name ({@code MaxNorm}). */
    public abstract String className();

    /** Projects the values of a weight of this shape in place. */
    public abstract void apply(float[] w, int[] shape);

    /** Keras's {@code get_config()}. */
    public Map<String, Object> getConfig() { return new LinkedHashMap<>(); }

    /** Keras 3's serialized form. */
    public Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.constraints");
        m.put("class_name", className());
        m.put("config", getConfig());
        m.put("registered_name", null);
        return m;
    }

    /** Norms along axis 0 capped at {@code maxValue}. */
    public static Constraint maxNorm(double maxValue) { return new MinMaxNorm.MaxNorm(maxValue, 0); }

    public static Constraint nonNeg() { return new NonNeg(); }

    /** Norms along axis 0 set to one. */
    public static Constraint unitNorm() { return new MinMaxNorm.UnitNorm(0); }

    public static List<String> names() { return List.of("max_norm", "non_neg", "unit_norm", "min_max_norm"); }

    /** The constraint of a Keras name with Keras's defaults (max_norm 2, axis 0). Class names work too. */
    public static Constraint get(String name) {
        if (name == null) return null;
        switch (name) {
            case "max_norm": case "MaxNorm": return new MinMaxNorm.MaxNorm(2, 0);
            case "non_neg": case "NonNeg": return new NonNeg();
            case "unit_norm": case "UnitNorm": return new MinMaxNorm.UnitNorm(0);
            case "min_max_norm": case "MinMaxNorm": return new MinMaxNorm(0, 1, 1, 0);
            default: throw new IllegalArgumentException("Could not interpret constraint identifier: " + name + "; expected one of " + names());
        }
    }

    /** The constraint of a Keras config: a name, or a map with {@code class_name} and {@code config}. */
    @SuppressWarnings("unchecked")
    public static Constraint fromConfig(Object config) {
        if (config == null) return null;
        if (config instanceof String) return get((String) config);
        if (!(config instanceof Map)) throw new IllegalArgumentException("Could not interpret constraint identifier: " + config);
        Map<String, Object> m = (Map<String, Object>) config;
        Object cls = m.get("class_name");
        Map<String, Object> c = m.get("config") instanceof Map ? (Map<String, Object>) m.get("config") : Map.of();
        int axis = c.get("axis") instanceof Number ? ((Number) c.get("axis")).intValue() : 0;
        if ("MaxNorm".equals(cls)) return new MinMaxNorm.MaxNorm(num(c.get("max_value"), 2), axis);
        if ("NonNeg".equals(cls)) return new NonNeg();
        if ("UnitNorm".equals(cls)) return new MinMaxNorm.UnitNorm(axis);
        if ("MinMaxNorm".equals(cls)) {
            return new MinMaxNorm(num(c.get("min_value"), 0), num(c.get("max_value"), 1), num(c.get("rate"), 1), axis);
        }
        throw new IllegalArgumentException("Unknown constraint class \"" + cls + "\"; expected MaxNorm, NonNeg, UnitNorm or MinMaxNorm");
    }

    private static double num(Object v, double dflt) { return v == null ? dflt : ((Number) v).doubleValue(); }

    @Override
    public String toString() { return className() + getConfig(); }
}
