package org.rnn4j.tensor;

/**
 * Shape helpers. A shape is an {@code int[]}; {@link #NONE} (-1) stands for an unknown dimension,
 * usually the batch, printed as {@code None} as Keras does.
 *
 * <pre>{@code
 * int[] s = Shapes.withBatch(Shapes.NONE, new int[] {5, 1});   // {-1, 5, 1}
 * String text = Shapes.toString(s);                            // "(None, 5, 1)"
 * long n = Shapes.size(new int[] {32, 5, 1});                  // 160
 * }</pre>
 *
 * <p>Thread safety: thread-safe (static functions of their arguments).
 */
public final class Shapes {
    /** An unknown dimension (Keras's {@code None}). */
    public static final int NONE = -1;

    private Shapes() {}

    /** Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile). */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("Shape " + toString(shape) + " has an unknown dimension");
            n *= d;
        }
        return n;
    }

    static int offset(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("Index of rank " + index.length + " into a tensor of shape " + toString(shape));
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("Index " + java.util.Arrays.toString(index) + " outside shape " + toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** {@code [batch] + rest}. Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile). */
    public static int[] withBatch(int batch, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = batch;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }

    /**
     * The shape without its first (batch) axis.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static int[] dropBatch(int[] shape) {
        return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }

    /**
     * Keras's Python tuple form: {@code (None, 5, 1)}.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static String toString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i] < 0 ? "None" : Integer.toString(shape[i]));
        }
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /**
     * True when {@code actual} fits {@code expected}, where {@link #NONE} in {@code expected} matches anything.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static boolean compatible(int[] expected, int[] actual) {
        if (expected.length != actual.length) return false;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0 && expected[i] != actual[i]) return false;
        }
        return true;
    }
}
