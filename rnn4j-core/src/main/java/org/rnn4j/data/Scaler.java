package org.rnn4j.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-column affine rescaling {@code x' = (x - offset) / scale}, fitted on the training rows only (so the test
 * part stays unseen) and saved as a JSON-compatible map with the model. {@link MinMaxScaler} maps each column's
 * training range to [0, 1]; {@link StandardScaler} to mean 0 and standard deviation 1. A constant column gets
 * scale 1, as in scikit-learn.
 *
 * <pre>{@code
 * Scaler s = new MinMaxScaler().fit(columns, 0, split.trainEnd());   // columns[c][t]
 * float[][] scaled = s.transform(columns);
 * model.attachments().put("scaler", s.toMap());
 * Scaler again = Scaler.fromMap((Map<String, Object>) model.attachments().get("scaler"));
 * }</pre>
 */
public abstract class Scaler {
    protected double[] offset;
    protected double[] scale;

    /** Keras-style class name, stored under {@code class_name}. */
    public abstract String className();

    /** Computes the offset and scale of one column from its values {@code [from, to)}. */
    protected abstract double[] fitColumn(float[] values, int from, int to);

    /** The per-column statistics in the {@code config} map, by their scikit-learn names. */
    protected abstract Map<String, Object> config();

    protected abstract void fromConfig(Map<String, Object> config);

    /** Fits every column on its rows {@code [from, to)} (the training part). */
    public Scaler fit(float[][] columns, int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException(className() + ": cannot fit on no rows (rows " + from + " to " + to + ")");
        }
        offset = new double[columns.length];
        scale = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            double[] os = fitColumn(columns[c], from, to);
            offset[c] = os[0];
            scale[c] = os[1] == 0 || !Double.isFinite(os[1]) ? 1 : os[1];
        }
        return this;
    }

    /** Number of columns fitted. */
    public int columns() {
        requireFitted();
        return offset.length;
    }

    public float transform(float value, int column) {
        requireFitted();
        return (float) ((value - offset[column]) / scale[column]);
    }

    public float inverse(float value, int column) {
        requireFitted();
        return (float) (value * scale[column] + offset[column]);
    }

    /** Scaled copies of all columns. */
    public float[][] transform(float[][] columns) {
        checkColumns(columns);
        float[][] out = new float[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            out[c] = new float[columns[c].length];
            for (int t = 0; t < columns[c].length; t++) out[c][t] = transform(columns[c][t], c);
        }
        return out;
    }

    /** Original-unit copies of values of one column. */
    public float[] inverse(float[] values, int column) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = inverse(values[i], column);
        return out;
    }

    private void checkColumns(float[][] columns) {
        if (columns.length != columns()) {
            throw new IllegalArgumentException(className() + " was fitted on " + columns() + " columns, got " + columns.length);
        }
    }

    private void requireFitted() {
        if (offset == null) throw new IllegalStateException(className() + " is not fitted: call fit(...) first");
    }

    /** {@code {"class_name": ..., "config": {...}}}. */
    public Map<String, Object> toMap() {
        requireFitted();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", className());
        m.put("config", config());
        return m;
    }

    /** The scaler {@link #toMap} saved. */
    @SuppressWarnings("unchecked")
    public static Scaler fromMap(Map<String, Object> map) {
        Object name = map == null ? null : map.get("class_name");
        Object config = map == null ? null : map.get("config");
        if (!(config instanceof Map)) throw new IllegalArgumentException("Not a saved scaler (no \"config\" map): " + map);
        Scaler s = byName(String.valueOf(name));
        s.fromConfig((Map<String, Object>) config);
        return s;
    }

    /** {@code "minmax"} / {@code "MinMaxScaler"} or {@code "standard"} / {@code "StandardScaler"}. */
    public static Scaler byName(String name) {
        switch (name) {
            case "minmax": case "MinMaxScaler": return new MinMaxScaler();
            case "standard": case "StandardScaler": return new StandardScaler();
            default: throw new IllegalArgumentException("Unknown scaler: " + name + " (expected minmax or standard)");
        }
    }

    protected static List<Double> list(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double d : v) out.add(d);
        return out;
    }

    protected static double[] array(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof List)) throw new IllegalArgumentException("Saved scaler has no list \"" + key + "\": " + config);
        List<?> l = (List<?>) v;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
        return out;
    }
}
