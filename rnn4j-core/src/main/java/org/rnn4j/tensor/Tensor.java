package org.rnn4j.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor: a shape and a contiguous row-major (C order) array.
 *
 * <p>Tensors are plain holders; the math lives in {@code org.rnn4j.kernels}. The array is exposed on
 * purpose so kernels can work on it without copies.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[] {0f, .2f, .4f, .6f, .8f}, 5, 1, 1); // 5 samples, 1 step, 1 feature
 * float first = x.data()[0];
 * }</pre>
 *
 * <p>Thread safety: not thread-safe for writes ({@link #data()} is the live, mutable array); safe to share among
 * threads that only read it.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    private Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * Wraps {@code data} (not copied) as a tensor of the given shape.
     * Thread-safe: returns a new tensor sharing {@code data}; writes to either are writes to both.
     */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.clone();
        long n = Shapes.size(s);
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor data has " + data.length + " values but shape "
                    + Shapes.toString(s) + " needs " + n);
        }
        return new Tensor(data, s);
    }

    /**
     * A zero tensor of the given shape.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor zeros(int... shape) {
        long n = Shapes.size(shape);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Tensor shape " + Shapes.toString(shape) + " is too large: " + n + " values");
        }
        return new Tensor(new float[(int) n], shape.clone());
    }

    /**
     * A tensor from nested rows, e.g. {@code fromRows(new float[][] {{1, 2}, {3, 4}})} of shape [2, 2].
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor fromRows(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] d = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Row " + r + " has " + rows[r].length + " values, expected " + cols);
            }
            System.arraycopy(rows[r], 0, d, r * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    /** Not thread-safe for writes: the live array; threads that only read it may share it. */
    public float[] data() { return data; }

    /** The shape (a copy). Thread-safe for readers: safe while no thread writes this tensor. */
    public int[] shape() { return shape.clone(); }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    public int shape(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    public int rank() { return shape.length; }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    public int size() { return data.length; }

    /** Number of rows along axis 0 (the batch). Thread-safe for readers: safe while no thread writes this tensor. */
    public int rows() { return shape.length == 0 ? 1 : shape[0]; }

    /** Values per row along axis 0. Thread-safe for readers: safe while no thread writes this tensor. */
    public int rowSize() { return shape.length == 0 ? 1 : data.length / Math.max(1, shape[0]); }

    /**
     * The same data under another shape with the same number of values.
     * Thread-safe for readers: safe while no thread writes this tensor.
     */
    public Tensor reshape(int... newShape) { return of(data, newShape); }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    public Tensor copy() { return new Tensor(data.clone(), shape.clone()); }

    /**
     * Rows {@code [from, to)} along axis 0, copied.
     * Thread-safe for readers: safe while no thread writes this tensor.
     */
    public Tensor slice(int from, int to) {
        int rs = rowSize();
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(Arrays.copyOfRange(data, from * rs, to * rs), s);
    }

    /**
     * Rows in the given order along axis 0, copied.
     * Thread-safe for readers: safe while no thread writes this tensor.
     */
    public Tensor gather(int[] rowIndices) {
        int rs = rowSize();
        float[] d = new float[rowIndices.length * rs];
        for (int i = 0; i < rowIndices.length; i++) {
            System.arraycopy(data, rowIndices[i] * rs, d, i * rs, rs);
        }
        int[] s = shape.clone();
        s[0] = rowIndices.length;
        return new Tensor(d, s);
    }

    /** Value at a multi-index. Thread-safe for readers: safe while no thread writes this tensor. */
    public float get(int... index) {
        return data[Shapes.offset(shape, index)];
    }

    /** Not thread-safe: writes the tensor; no other thread may read or write it meanwhile. */
    public void set(float value, int... index) {
        data[Shapes.offset(shape, index)] = value;
    }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    public boolean sameShape(Tensor other) { return Arrays.equals(shape, other.shape); }

    /** Thread-safe for readers: safe while no thread writes this tensor. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.toString(shape)).append(' ');
        int n = Math.min(data.length, 10);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(data[i]);
        }
        if (data.length > n) sb.append(", ...");
        return sb.append(']').toString();
    }
}
