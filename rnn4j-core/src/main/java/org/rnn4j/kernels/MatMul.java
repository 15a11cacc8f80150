package org.rnn4j.kernels;

/**
 * Matrix multiply entry point: {@code C = (accumulate ? C : 0) + op(A)·op(B)} on row-major float arrays.
 *
 * <p>Dispatches to the fastest kernel available on this JVM, chosen once at class load.
 *
 * <pre>{@code
 * MatMul.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false); // C = A·B
 * }</pre>
 *
 * <p>Thread safety: thread-safe; the kernel is chosen once when the class is initialised.
 */
public final class MatMul {
    private static final GemmKernel KERNEL = Kernels.gemm();

    private MatMul() {}

    /**
     * See {@link GemmKernel#gemm}. Arrays a, b: not modified. c: modified.
     * Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) return;
        KERNEL.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Packs {@code op(B) [k, n]} into {@code dst} (reusing its buffer) for {@link #gemmPacked}: done once when the
     * same B multiplies many A's, as the recurrent kernel does at every timestep. {@code b}: not modified.
     * Thread-safe: writes only {@code dst}.
     */
    public static void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix dst) {
        KERNEL.pack(transB, k, n, b, bOff, ldb, dst);
    }

    /**
     * Packs {@code [b1; b2]}, {@code b1 [k1, n]} above {@code b2 [k2, n]} (both row-major, leading dimension n), for
     * {@link #gemmPacked} without copying them into one array first (an LSTM step's {@code [W; U]}).
     * {@code b1}, {@code b2}: not modified. Thread-safe: writes only {@code dst}.
     */
    public static void packStacked(int k1, float[] b1, int k2, float[] b2, int n, PackedMatrix dst) {
        KERNEL.packStacked(k1, b1, k2, b2, n, dst);
    }

    /**
     * {@code C = (accumulate ? C : 0) + op(A)·B} with B packed by {@link #pack}. a, b: not modified. c: modified.
     * Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly.
     */
    public static void gemmPacked(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                                  float[] c, int cOff, int ldc, boolean accumulate) {
        if (m == 0 || b.n == 0) return;
        if (b.packedBy != KERNEL) {
            throw new IllegalStateException("PackedMatrix was packed by " + (b.packedBy == null ? "nothing" : b.packedBy.name())
                    + ", not by the active kernel " + KERNEL.name() + ": pack it with MatMul.pack first");
        }
        KERNEL.gemmPacked(transA, m, a, aOff, lda, b, c, cOff, ldc, accumulate);
    }

    /**
     * {@code C = A·B} for dense {@code A [m, k]}, {@code B [k, n]}, {@code C [m, n]}.
     * Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly.
     */
    public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
        gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
    }

    /** The kernel in use. Thread-safe: chosen once when the class is initialised. */
    public static GemmKernel kernel() { return KERNEL; }
}
