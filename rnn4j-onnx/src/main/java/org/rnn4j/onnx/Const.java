package org.rnn4j.onnx;

import java.util.Arrays;

/**
 * A constant tensor during import: an initializer, a {@code Constant} node, or a value folded from constants.
 * Floating-point values are kept as floats, integer (and boolean) values as longs.
 */
final class Const {
    final long[] dims;
    final float[] floats;
    final long[] longs;

    private Const(long[] dims, float[] floats, long[] longs) {
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
    }

    static Const ofFloats(long[] dims, float[] v) { return new Const(dims, v, null); }

    static Const ofLongs(long[] dims, long[] v) { return new Const(dims, null, v); }

    static Const scalar(long v) { return ofLongs(new long[0], new long[] {v}); }

    boolean isFloat() { return floats != null; }

    int size() { return isFloat() ? floats.length : longs.length; }

    int rank() { return dims.length; }

    double get(int i) { return isFloat() ? floats[i] : longs[i]; }

    long getLong(int i) { return isFloat() ? (long) floats[i] : longs[i]; }

    long[] asLongs() {
        long[] v = new long[size()];
        for (int i = 0; i < v.length; i++) v[i] = getLong(i);
        return v;
    }

    float[] asFloats() {
        if (isFloat()) return floats;
        float[] v = new float[longs.length];
        for (int i = 0; i < v.length; i++) v[i] = longs[i];
        return v;
    }

    boolean allEqual(double value) {
        for (int i = 0; i < size(); i++) if (get(i) != value) return false;
        return true;
    }

    @Override
    public String toString() { return "constant " + Arrays.toString(dims); }
}
