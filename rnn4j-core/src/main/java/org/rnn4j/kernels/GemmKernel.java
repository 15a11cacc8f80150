package org.rnn4j.kernels;

/**
 * One implementation of the single-precision matrix multiply
 * {@code C = beta*C + op(A)·op(B)} on row-major arrays with leading dimensions, where {@code beta} is 0 or 1.
 *
 * <p>{@code op(A)} is {@code [m, k]}: {@code A} itself ({@code transA = false}, stored {@code [m, lda]}) or the
 * transpose of a stored {@code [k, lda]} matrix. Likewise {@code op(B)} is {@code [k, n]}. Arrays {@code a} and
 * {@code b} are not modified; {@code c} is modified.
 *
 * <pre>{@code
 * GemmKernel g = MatMul.kernel();   // the one chosen at start-up: g.name() is "vector-512bit", "java", ...
 * // C [m, n] = A [m, k] · B [k, n], row-major, leading dimensions k, n and n; C overwritten (accumulate = false)
 * g.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
 * }</pre>
 *
 * <p>Thread safety: implementations are thread-safe: a call writes only {@code c} (or {@code dst}) and keeps its
 * scratch per thread.
 */
public interface GemmKernel {
    /** Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly. */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Rearranges {@code op(B) [k, n]} into {@code dst} for {@link #gemmPacked}. The default layout is {@code op(B)}
     * itself, row-major {@code [k, n]}. {@code b} is not modified; {@code dst} is modified.
     * Thread-safe: writes only {@code dst}.
     */
    default void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix dst) {
        float[] d = dst.ensure(k * n);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) d[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }
        dst.k = k;
        dst.n = n;
        dst.packedBy = this;
    }

    /**
     * Packs the matrix {@code [B1; B2]} stacked from two row-major sources, {@code b1 [k1, n]} above {@code b2 [k2, n]}
     * (each with leading dimension {@code n}), as {@link #pack} would pack the stacked copy, without making the copy.
     * {@code b1}, {@code b2} are not modified; {@code dst} is. Thread-safe: writes only {@code dst}.
     */
    default void packStacked(int k1, float[] b1, int k2, float[] b2, int n, PackedMatrix dst) {
        float[] d = dst.ensure((k1 + k2) * n);
        System.arraycopy(b1, 0, d, 0, k1 * n);
        System.arraycopy(b2, 0, d, k1 * n, k2 * n);
        dst.k = k1 + k2;
        dst.n = n;
        dst.packedBy = this;
    }

    /**
     * {@code C = beta*C + op(A)·B} with {@code B} packed by this kernel's {@link #pack}.
     * Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly.
     */
    default void gemmPacked(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(transA, false, m, b.n, b.k, a, aOff, lda, b.data, 0, b.n, c, cOff, ldc, accumulate);
    }

    /** A short name for logs and benchmarks. Thread-safe: a constant. */
    String name();
}
