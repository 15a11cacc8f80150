package org.rnn4j.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Int8Kernel} on the Vector API: one float (or int) vector of columns per accumulator, four accumulators a
 * row (or four rows by two vectors, when a product has rows to share each widened slice), the int8 row segment of each step loaded as a quarter-width byte vector and widened ({@code B2F} or
 * {@code B2I}) to the full width. Each lane does exactly what {@link JavaInt8Kernel} does for its column (one fused
 * multiply-add per term, in p order), so the two give the same bits; the columns left over after whole vectors run
 * through the plain-Java column loop.
 *
 * <p>Only loaded when the module is present ({@link Int8MatMul} instantiates it reflectively), and only where the
 * preferred float vector has at least 8 lanes (a 64-bit byte vector: AVX2 and wider); otherwise the plain-Java
 * kernel runs.
 *
 * <p>Thread safety: thread-safe: no state; every call writes only its {@code c}.
 */
final class VectorInt8Kernel implements Int8Kernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Bytes of one float vector's worth of columns: a quarter of the register width. */
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;

    VectorInt8Kernel() {
        if (B == null || I.length() != L) {
            throw new UnsupportedOperationException("int8 Vector kernel needs at least 8 float lanes, the preferred species has " + L);
        }
    }

    /** Thread-safe: writes only {@code c}. */
    @Override
    public void gemmWeights(int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff, int ldq,
                            float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate) {
        int r = 0;
        // Four rows at a time share each widened slice of the int8 matrix (a batch's projection); a lane's operations
        // are the same as one row's, so the grouping changes no bit.
        for (; r + 4 <= m && n >= 2 * L; r += 4) {
            int ar = aOff + r * lda, cr = cOff + r * ldc, j = 0;
            for (; j + 2 * L <= n; j += 2 * L) {
                rows4(k, a, ar, lda, q, qOff + j, ldq, scale, sOff + j, c, cr + j, ldc, accumulate);
            }
            for (int i = 0; i < 4 && j < n; i++) {
                int ri = ar + i * lda, ci = cr + i * ldc, jj = j;
                for (; jj + L <= n; jj += L) weights1(k, a, ri, q, qOff + jj, ldq, scale, sOff + jj, c, ci + jj, accumulate);
                if (jj < n) JavaInt8Kernel.weightsColumns(jj, n, k, a, ri, q, qOff, ldq, scale, sOff, c, ci, accumulate);
            }
        }
        for (; r < m; r++) {
            int ar = aOff + r * lda, cr = cOff + r * ldc, j = 0;
            for (; j + 4 * L <= n; j += 4 * L) weights4(k, a, ar, q, qOff + j, ldq, scale, sOff + j, c, cr + j, accumulate);
            for (; j + L <= n; j += L) weights1(k, a, ar, q, qOff + j, ldq, scale, sOff + j, c, cr + j, accumulate);
            if (j < n) JavaInt8Kernel.weightsColumns(j, n, k, a, ar, q, qOff, ldq, scale, sOff, c, cr, accumulate);
        }
    }

    // Small methods so C2 intrinsifies every vector operation; no vector crosses a method boundary.

    private static void weights4(int k, float[] a, int ar, byte[] q, int qo, int ldq, float[] scale, int so,
                                 float[] c, int co, boolean accumulate) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int p = 0; p < k; p++, qo += ldq) {
            FloatVector x = FloatVector.broadcast(F, a[ar + p]);
            acc0 = ((FloatVector) ByteVector.fromArray(B, q, qo).convertShape(VectorOperators.B2F, F, 0)).fma(x, acc0);
            acc1 = ((FloatVector) ByteVector.fromArray(B, q, qo + L).convertShape(VectorOperators.B2F, F, 0)).fma(x, acc1);
            acc2 = ((FloatVector) ByteVector.fromArray(B, q, qo + 2 * L).convertShape(VectorOperators.B2F, F, 0)).fma(x, acc2);
            acc3 = ((FloatVector) ByteVector.fromArray(B, q, qo + 3 * L).convertShape(VectorOperators.B2F, F, 0)).fma(x, acc3);
        }
        store(acc0, scale, so, c, co, accumulate);
        store(acc1, scale, so + L, c, co + L, accumulate);
        store(acc2, scale, so + 2 * L, c, co + 2 * L, accumulate);
        store(acc3, scale, so + 3 * L, c, co + 3 * L, accumulate);
    }

    /** Rows ar, ar + lda, ar + 2 lda, ar + 3 lda by two vectors of columns. */
    private static void rows4(int k, float[] a, int ar, int lda, byte[] q, int qo, int ldq, float[] scale, int so,
                              float[] c, int co, int ldc, boolean accumulate) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int p = 0; p < k; p++, qo += ldq) {
            FloatVector w0 = (FloatVector) ByteVector.fromArray(B, q, qo).convertShape(VectorOperators.B2F, F, 0);
            FloatVector w1 = (FloatVector) ByteVector.fromArray(B, q, qo + L).convertShape(VectorOperators.B2F, F, 0);
            FloatVector x0 = FloatVector.broadcast(F, a[ar + p]);
            a00 = w0.fma(x0, a00);
            a01 = w1.fma(x0, a01);
            FloatVector x1 = FloatVector.broadcast(F, a[ar + lda + p]);
            a10 = w0.fma(x1, a10);
            a11 = w1.fma(x1, a11);
            FloatVector x2 = FloatVector.broadcast(F, a[ar + 2 * lda + p]);
            a20 = w0.fma(x2, a20);
            a21 = w1.fma(x2, a21);
            FloatVector x3 = FloatVector.broadcast(F, a[ar + 3 * lda + p]);
            a30 = w0.fma(x3, a30);
            a31 = w1.fma(x3, a31);
        }
        store(a00, scale, so, c, co, accumulate);
        store(a01, scale, so + L, c, co + L, accumulate);
        store(a10, scale, so, c, co + ldc, accumulate);
        store(a11, scale, so + L, c, co + ldc + L, accumulate);
        store(a20, scale, so, c, co + 2 * ldc, accumulate);
        store(a21, scale, so + L, c, co + 2 * ldc + L, accumulate);
        store(a30, scale, so, c, co + 3 * ldc, accumulate);
        store(a31, scale, so + L, c, co + 3 * ldc + L, accumulate);
    }

    private static void weights1(int k, float[] a, int ar, byte[] q, int qo, int ldq, float[] scale, int so,
                                 float[] c, int co, boolean accumulate) {
        FloatVector acc = FloatVector.zero(F);
        for (int p = 0; p < k; p++, qo += ldq) {
            FloatVector x = FloatVector.broadcast(F, a[ar + p]);
            acc = ((FloatVector) ByteVector.fromArray(B, q, qo).convertShape(VectorOperators.B2F, F, 0)).fma(x, acc);
        }
        store(acc, scale, so, c, co, accumulate);
    }

    private static void store(FloatVector acc, float[] scale, int so, float[] c, int co, boolean accumulate) {
        FloatVector y = acc.div(FloatVector.fromArray(F, scale, so));
        if (accumulate) y = FloatVector.fromArray(F, c, co).add(y);
        y.intoArray(c, co);
    }

    /** Thread-safe: writes only {@code c}. */
    @Override
    public void gemmInt8(int m, int n, int k, byte[] a, int aOff, int lda, float[] aScale, int asOff, byte[] q, int qOff,
                         int ldq, float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int r = 0; r < m; r++) {
            int ar = aOff + r * lda, cr = cOff + r * ldc, j = 0;
            float s = aScale[asOff + r];
            for (; j + 4 * L <= n; j += 4 * L) int8x4(k, a, ar, s, q, qOff + j, ldq, scale, sOff + j, c, cr + j, accumulate);
            for (; j + L <= n; j += L) int8x1(k, a, ar, s, q, qOff + j, ldq, scale, sOff + j, c, cr + j, accumulate);
            if (j < n) JavaInt8Kernel.int8Columns(j, n, k, a, ar, s, q, qOff, ldq, scale, sOff, c, cr, accumulate);
        }
    }

    private static void int8x4(int k, byte[] a, int ar, float s, byte[] q, int qo, int ldq, float[] scale, int so,
                               float[] c, int co, boolean accumulate) {
        IntVector acc0 = IntVector.zero(I), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int p = 0; p < k; p++, qo += ldq) {
            int xi = a[ar + p];
            if (xi == 0) continue; // an exact integer sum: skipping zeros changes nothing
            IntVector x = IntVector.broadcast(I, xi);
            acc0 = acc0.add(((IntVector) ByteVector.fromArray(B, q, qo).convertShape(VectorOperators.B2I, I, 0)).mul(x));
            acc1 = acc1.add(((IntVector) ByteVector.fromArray(B, q, qo + L).convertShape(VectorOperators.B2I, I, 0)).mul(x));
            acc2 = acc2.add(((IntVector) ByteVector.fromArray(B, q, qo + 2 * L).convertShape(VectorOperators.B2I, I, 0)).mul(x));
            acc3 = acc3.add(((IntVector) ByteVector.fromArray(B, q, qo + 3 * L).convertShape(VectorOperators.B2I, I, 0)).mul(x));
        }
        storeInt(acc0, s, scale, so, c, co, accumulate);
        storeInt(acc1, s, scale, so + L, c, co + L, accumulate);
        storeInt(acc2, s, scale, so + 2 * L, c, co + 2 * L, accumulate);
        storeInt(acc3, s, scale, so + 3 * L, c, co + 3 * L, accumulate);
    }

    private static void int8x1(int k, byte[] a, int ar, float s, byte[] q, int qo, int ldq, float[] scale, int so,
                               float[] c, int co, boolean accumulate) {
        IntVector acc = IntVector.zero(I);
        for (int p = 0; p < k; p++, qo += ldq) {
            int xi = a[ar + p];
            if (xi == 0) continue;
            acc = acc.add(((IntVector) ByteVector.fromArray(B, q, qo).convertShape(VectorOperators.B2I, I, 0))
                    .mul(IntVector.broadcast(I, xi)));
        }
        storeInt(acc, s, scale, so, c, co, accumulate);
    }

    private static void storeInt(IntVector acc, float s, float[] scale, int so, float[] c, int co, boolean accumulate) {
        FloatVector denom = FloatVector.broadcast(F, s).mul(FloatVector.fromArray(F, scale, so));
        FloatVector y = ((FloatVector) acc.convertShape(VectorOperators.I2F, F, 0)).div(denom);
        if (accumulate) y = FloatVector.fromArray(F, c, co).add(y);
        y.intoArray(c, co);
    }

    /** Thread-safe: a constant. */
    @Override
    public String name() { return "vector-int8-" + F.vectorBitSize() + "bit"; }
}
