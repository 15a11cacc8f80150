package org.rnn4j.kernels;

/**
 * The plain triple loop, accumulated in double: the yardstick the fast kernels are tested against.
 *
 * <pre>{@code
 * new ReferenceGemm().gemm(false, false, m, n, k, a, 0, k, b, 0, n, expected, 0, n, false);
 * MatMul.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);   // the fast kernel, compared with expected
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no state).
 */
public final class ReferenceGemm implements GemmKernel {
    /** Thread-safe: writes only {@code c}. */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                c[cOff + i * ldc + j] = (float) s;
            }
        }
    }

    /** Thread-safe: a constant. */
    @Override
    public String name() { return "reference"; }
}
