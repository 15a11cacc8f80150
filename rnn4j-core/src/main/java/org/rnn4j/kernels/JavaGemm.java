package org.rnn4j.kernels;

/**
 * Plain-Java matrix multiply: the fallback when the Vector API module is absent. Loops are ordered so the
 * innermost loop runs over contiguous rows of B and C, which the JIT auto-vectorises.
 */
public final class JavaGemm implements GemmKernel {
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (transB) {
            // C[i,j] += sum_p A[i,p] * B[j,p]: dot products over contiguous rows of B.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    if (!transA) {
                        int ai = aOff + i * lda;
                        for (int p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
                    } else {
                        for (int p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bj + p];
                    }
                    c[ci + j] += s;
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (av == 0f) continue;
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
            }
        }
    }

    @Override
    public String name() { return "java"; }
}
