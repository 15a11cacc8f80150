package org.rnn4j.kernels;

/**
 * One implementation of the single-precision matrix multiply
 * {@code C = beta*C + op(A)·op(B)} on row-major arrays with leading dimensions, where {@code beta} is 0 or 1.
 *
 * <p>{@code op(A)} is {@code [m, k]}: {@code A} itself ({@code transA = false}, stored {@code [m, lda]}) or the
 * transpose of a stored {@code [k, lda]} matrix. Likewise {@code op(B)} is {@code [k, n]}. Arrays {@code a} and
 * {@code b} are not modified; {@code c} is modified.
 */
public interface GemmKernel {
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /** A short name for logs and benchmarks. */
    String name();
}
