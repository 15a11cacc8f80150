package org.rnn4j.kernels;

/**
 * {@link Int8Kernel} in plain Java: the reference the Vector API version is held equal to (bit for bit), and the
 * kernel that runs without the {@code jdk.incubator.vector} module. Row by row, the k loop outside the column loop
 * so the int8 matrix is read row after row. With float activations each term is one fused multiply-add
 * ({@link Math#fma}, one rounding), in p order: one instruction per lane where the Vector API kernel runs.
 *
 * <p>Thread safety: thread-safe: each call allocates its own accumulator row.
 */
final class JavaInt8Kernel implements Int8Kernel {
    /** Thread-safe: writes only {@code c}. */
    @Override
    public void gemmWeights(int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff, int ldq,
                            float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate) {
        float[] acc = new float[n];
        for (int r = 0; r < m; r++) {
            java.util.Arrays.fill(acc, 0f);
            int ar = aOff + r * lda;
            for (int p = 0, qr = qOff; p < k; p++, qr += ldq) {
                float x = a[ar + p];
                for (int j = 0; j < n; j++) acc[j] = Math.fma(q[qr + j], x, acc[j]);
            }
            finishWeights(acc, 0, n, scale, sOff, c, cOff + r * ldc, accumulate);
        }
    }

    /** Columns {@code j0 <= j < j1} of one row: the Vector API kernel's tail. */
    static void weightsColumns(int j0, int j1, int k, float[] a, int ar, byte[] q, int qOff, int ldq,
                               float[] scale, int sOff, float[] c, int cr, boolean accumulate) {
        for (int j = j0; j < j1; j++) {
            float acc = 0f;
            for (int p = 0, qi = qOff + j; p < k; p++, qi += ldq) acc = Math.fma(q[qi], a[ar + p], acc);
            float y = acc / scale[sOff + j];
            c[cr + j] = accumulate ? c[cr + j] + y : y;
        }
    }

    private static void finishWeights(float[] acc, int j0, int j1, float[] scale, int sOff, float[] c, int cr,
                                      boolean accumulate) {
        for (int j = j0; j < j1; j++) {
            float y = acc[j] / scale[sOff + j];
            c[cr + j] = accumulate ? c[cr + j] + y : y;
        }
    }

    /** Thread-safe: writes only {@code c}. */
    @Override
    public void gemmInt8(int m, int n, int k, byte[] a, int aOff, int lda, float[] aScale, int asOff, byte[] q, int qOff,
                         int ldq, float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate) {
        int[] acc = new int[n];
        for (int r = 0; r < m; r++) {
            java.util.Arrays.fill(acc, 0);
            int ar = aOff + r * lda;
            for (int p = 0, qr = qOff; p < k; p++, qr += ldq) {
                int x = a[ar + p];
                if (x == 0) continue; // an exact integer sum: skipping zeros changes nothing
                for (int j = 0; j < n; j++) acc[j] += q[qr + j] * x;
            }
            float s = aScale[asOff + r];
            int cr = cOff + r * ldc;
            for (int j = 0; j < n; j++) {
                float y = acc[j] / (s * scale[sOff + j]);
                c[cr + j] = accumulate ? c[cr + j] + y : y;
            }
        }
    }

    /** Columns {@code j0 <= j < j1} of one row of {@link #gemmInt8}: the Vector API kernel's tail. */
    static void int8Columns(int j0, int j1, int k, byte[] a, int ar, float s, byte[] q, int qOff, int ldq,
                            float[] scale, int sOff, float[] c, int cr, boolean accumulate) {
        for (int j = j0; j < j1; j++) {
            int acc = 0;
            for (int p = 0, qi = qOff + j; p < k; p++, qi += ldq) acc += q[qi] * a[ar + p];
            float y = acc / (s * scale[sOff + j]);
            c[cr + j] = accumulate ? c[cr + j] + y : y;
        }
    }

    /** Thread-safe: a constant. */
    @Override
    public String name() { return "java-int8"; }
}
