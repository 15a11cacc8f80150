package org.rnn4j.regularizers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Keras weight or activity regularizer: a penalty {@code value(x)} added to the training loss, and its gradient
 * {@code d value / d x} added to the gradient of {@code x}. Keras 3 sums each penalty as is (activity penalties are
 * not divided by the batch size).
 *
 * <pre>{@code
 * new Dense(8).kernelRegularizer(Regularizer.l2(0.01));    // 0.01 * sum(w^2)
 * new LSTM(8).recurrentRegularizer(Regularizer.get("l1"));  // 0.01 * sum(|u|)
 * }</pre>
 */
public abstract class Regularizer {
    /** Keras's class name ({@code L2}). */
    public abstract String className();

    /** The penalty of the values. */
    public abstract double value(float[] x);

    /** Adds {@code d value / d x} into {@code grad} (same layout as {@code x}). */
    public abstract void addGradient(float[] x, float[] grad);

    /** Keras's {@code get_config()}. */
    public abstract Map<String, Object> getConfig();

    /** Keras 3's serialized form: {@code {"module", "class_name", "config", "registered_name"}}. */
    public Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.regularizers");
        m.put("class_name", className());
        m.put("config", getConfig());
        m.put("registered_name", null);
        return m;
    }

    /** {@code l1 * sum(|x|)}. */
    public static Regularizer l1(double l1) { return new L1(l1); }

    /** {@code l2 * sum(x^2)}. */
    public static Regularizer l2(double l2) { return new L2(l2); }

    /** {@code l1 * sum(|x|) + l2 * sum(x^2)}. */
    public static Regularizer l1l2(double l1, double l2) { return new L1L2(l1, l2); }

    public static List<String> names() { return List.of("l1", "L1", "l2", "L2", "l1_l2", "L1L2"); }

    /**
     * The regularizer of a Keras name with Keras's defaults: {@code l1}/{@code L1} and {@code l2}/{@code L2} with
     * 0.01, {@code l1_l2}/{@code L1L2} with l1 = l2 = 0 (Keras 3's class defaults).
     */
    public static Regularizer get(String name) {
        if (name == null) return null;
        switch (name) {
            case "l1": case "L1": return new L1(0.01);
            case "l2": case "L2": return new L2(0.01);
            case "l1_l2": case "L1L2": return new L1L2(0.0, 0.0);
            default: throw new IllegalArgumentException("Could not interpret regularizer identifier: " + name + "; expected one of " + names());
        }
    }

    /** The regularizer of a Keras config: a name, or a map with {@code class_name} and {@code config}. */
    @SuppressWarnings("unchecked")
    public static Regularizer fromConfig(Object config) {
        if (config == null) return null;
        if (config instanceof String) return get((String) config);
        if (!(config instanceof Map)) throw new IllegalArgumentException("Could not interpret regularizer identifier: " + config);
        Map<String, Object> m = (Map<String, Object>) config;
        Object cls = m.get("class_name");
        Map<String, Object> c = m.get("config") instanceof Map ? (Map<String, Object>) m.get("config") : Map.of();
        if ("L1".equals(cls)) return new L1(num(c.get("l1"), 0.01));
        if ("L2".equals(cls)) return new L2(num(c.get("l2"), 0.01));
        if ("L1L2".equals(cls)) return new L1L2(num(c.get("l1"), 0.0), num(c.get("l2"), 0.0));
        throw new IllegalArgumentException("Unknown regularizer class \"" + cls + "\"; expected L1, L2 or L1L2");
    }

    private static double num(Object v, double dflt) { return v == null ? dflt : ((Number) v).doubleValue(); }

    /** Keras's check: a finite, non-negative factor. */
    static double checkFactor(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Invalid value for argument " + name + ": expected a non-negative float. Received: "
                    + name + "=" + v);
        }
        return v;
    }

    @Override
    public String toString() { return className() + getConfig(); }
}
