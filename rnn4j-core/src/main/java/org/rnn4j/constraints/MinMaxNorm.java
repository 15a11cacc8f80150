package org.rnn4j.constraints;

import java.util.Map;

/**
 * Keras's norm constraints, along one axis (0: each column of a {@code [input_dim, units]} kernel, the weights
 * into one unit). MinMaxNorm rescales each slice to {@code rate * clip(norm, min, max) + (1 - rate) * norm}:
 * {@code w * desired / (eps + norm)}. MaxNorm caps the norm ({@code w * clip(norm, 0, max) / (eps + norm)});
 * UnitNorm divides by {@code eps + norm}.
 *
 * <pre>{@code
 * model.add(new Dense(8).kernelConstraint(new MinMaxNorm(0.5, 1.0, 1.0, 0)));   // each unit's weights: norm in [0.5, 1]
 * model.add(new Dense(8).kernelConstraint(new MinMaxNorm.MaxNorm(2, 0)));      // keras.constraints.MaxNorm(2)
 * model.add(new LSTM(16).recurrentConstraint(new MinMaxNorm.UnitNorm(0)));
 * }</pre>
 */
public class MinMaxNorm extends Constraint {
    protected final double minValue, maxValue, rate;
    protected final int axis;

    public MinMaxNorm(double minValue, double maxValue, double rate, int axis) {
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
        this.axis = axis;
    }

    @Override public String className() { return "MinMaxNorm"; }

    /** The new norm for a slice of norm n. */
    protected double desired(double n) { return rate * Math.min(Math.max(n, minValue), maxValue) + (1 - rate) * n; }

    /** The factor a slice of norm n is multiplied by. */
    protected float scale(float n) { return (float) desired(n) / (EPSILON + n); }

    @Override
    public void apply(float[] w, int[] shape) {
        int ax = axis < 0 ? axis + shape.length : axis;
        if (ax < 0 || ax >= shape.length) {
            throw new IllegalArgumentException(className() + " axis " + axis + " is out of range for a weight of rank " + shape.length);
        }
        // Slices along ax: for each (outer, inner) pair the values w[outer, 0..n-1, inner].
        int n = shape[ax], inner = 1, outer = 1;
        for (int i = ax + 1; i < shape.length; i++) inner *= shape[i];
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                float sq = 0;
                for (int k = 0; k < n; k++) {
                    float v = w[base + k * inner];
                    sq += v * v;
                }
                float s = scale((float) Math.sqrt(sq));
                for (int k = 0; k < n; k++) w[base + k * inner] *= s;
            }
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("min_value", minValue);
        c.put("max_value", maxValue);
        c.put("rate", rate);
        c.put("axis", axis);
        return c;
    }

    /** Keras's MaxNorm(max_value=2, axis=0). */
    public static final class MaxNorm extends MinMaxNorm {
        public MaxNorm(double maxValue, int axis) { super(0, maxValue, 1, axis); }

        @Override public String className() { return "MaxNorm"; }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("max_value", maxValue);
            c.put("axis", axis);
            return c;
        }
    }

    /** Keras's UnitNorm(axis=0). */
    public static final class UnitNorm extends MinMaxNorm {
        public UnitNorm(int axis) { super(1, 1, 1, axis); }

        @Override public String className() { return "UnitNorm"; }

        @Override protected float scale(float n) { return 1f / (EPSILON + n); }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("axis", axis);
            return c;
        }
    }
}
