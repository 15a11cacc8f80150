package org.rnn4j.kernels;

/**
 * An int8 matrix {@code Q [rows, cols]} (row-major: Keras's kernel layout, input axis first) with one scale per
 * column: the float value of {@code Q[p, j]} is {@code Q[p, j] / scale[j]} (Keras 3's {@code kernel_scale}). The
 * operand of {@link Int8MatMul}. Made by {@link #quantize} from a float matrix (Keras's {@code abs_max_quantize}
 * over the input axis) or by {@link #of} from stored int8 values and scales.
 *
 * <pre>{@code
 * QuantizedMatrix w = QuantizedMatrix.quantize(kernel, inputDim, units);
 * Int8MatMul.gemm(batch, x, 0, inputDim, w, y, 0, units, false);   // y = x · (Q / scale)
 * }</pre>
 *
 * <p>Thread safety: immutable once made (the arrays are not exposed): safe to share among threads.
 */
public final class QuantizedMatrix {
    final byte[] values;
    final float[] scale;
    final int rows, cols;

    private QuantizedMatrix(byte[] values, float[] scale, int rows, int cols) {
        this.values = values;
        this.scale = scale;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Quantizes a float matrix {@code w [rows, cols]} per column (Keras's {@code abs_max_quantize(w, axis=0)}).
     * {@code w}: not modified. Thread-safe: a pure function.
     */
    public static QuantizedMatrix quantize(float[] w, int rows, int cols) {
        byte[] q = new byte[rows * cols];
        float[] s = new float[cols];
        Int8MatMul.quantizeColumns(rows, cols, w, 0, cols, q, s);
        return new QuantizedMatrix(q, s, rows, cols);
    }

    /**
     * The matrix of stored values {@code q [rows, cols]} (whole numbers in [-128, 127], held as floats, as a weight
     * tensor holds them) and {@code scale [cols]}; both copied. Thread-safe: a pure function.
     * @throws IllegalArgumentException when a value is not a whole number in [-128, 127] or a scale is not a
     *         positive finite number
     */
    public static QuantizedMatrix of(float[] q, float[] scale, int rows, int cols) {
        if (q.length != rows * cols || scale.length != cols) {
            throw new IllegalArgumentException("QuantizedMatrix of " + rows + " x " + cols + " needs " + rows * cols
                    + " values and " + cols + " scales, got " + q.length + " and " + scale.length);
        }
        byte[] v = new byte[q.length];
        for (int i = 0; i < q.length; i++) {
            float x = q[i];
            if (!(x >= -128 && x <= 127) || x != Math.rint(x)) {
                throw new IllegalArgumentException("int8 value " + x + " at row " + i / cols + ", column " + i % cols
                        + " is not a whole number in [-128, 127]");
            }
            v[i] = (byte) x;
        }
        for (int j = 0; j < cols; j++) {
            if (!(scale[j] > 0) || Float.isInfinite(scale[j])) {
                throw new IllegalArgumentException("scale " + scale[j] + " of column " + j + " is not a positive finite number");
            }
        }
        return new QuantizedMatrix(v, scale.clone(), rows, cols);
    }

    /** Thread-safe: immutable. */
    public int rows() { return rows; }

    /** Thread-safe: immutable. */
    public int cols() { return cols; }

    /** {@code Q[p, j]}. Thread-safe: immutable. */
    public int value(int p, int j) { return values[p * cols + j]; }

    /** {@code scale[j]}. Thread-safe: immutable. */
    public float scale(int j) { return scale[j]; }

    /** The stored values as floats {@code [rows, cols]} (a new array). Thread-safe: immutable. */
    public float[] valuesAsFloats() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) out[i] = values[i];
        return out;
    }

    /** A copy of the scales {@code [cols]}. Thread-safe: immutable. */
    public float[] scales() { return scale.clone(); }

    /** The float matrix the int8 one stands for, {@code Q[p, j] / scale[j]} (a new array). Thread-safe: immutable. */
    public float[] dequantize() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) out[i] = values[i] / scale[i % cols];
        return out;
    }
}
