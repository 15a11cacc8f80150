package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keras's abs-max quantizer by hand, then both int8 kernels against a plain loop and against each other, bit for bit. */
class Int8MatMulTest {
    @Test
    void quantizesPerColumnAsKerasAbsMaxQuantize() {
        // Column 0: max |w| = 2, and 2 + 1e-7 is 2 in float32 (half an ulp of 2 is 1.2e-7), so scale = 63.5 exactly:
        // 1 * scale = 63.5 rounds half to even, to 64; -2 to -127. Column 1: max 0.5, 0.5 + 1e-7 = 0.50000012 in
        // float32, scale 253.99994; 0.25 * scale = 63.49998 -> 63. Column 2 all zero: q 0.
        float[] w = {1f, 0.25f, 0f, -2f, 0.5f, 0f};
        QuantizedMatrix q = QuantizedMatrix.quantize(w, 2, 3);
        assertEquals(127f / (2f + 1e-7f), q.scale(0));
        assertEquals(127f / (0.5f + 1e-7f), q.scale(1));
        assertEquals(63.5f, q.scale(0));
        assertEquals(64, q.value(0, 0));
        assertEquals(-127, q.value(1, 0));
        assertEquals(63, q.value(0, 1));
        assertEquals(127, q.value(1, 1));
        assertEquals(0, q.value(0, 2));
        // Round half to even: with scale exactly 2 (amax 63.5 - 1e-7 is not representable, so test quantize() itself).
        assertEquals(2, Int8MatMul.quantize(1.25f, 2f));   // 2.5 -> 2
        assertEquals(4, Int8MatMul.quantize(1.75f, 2f));   // 3.5 -> 4
        assertEquals(-2, Int8MatMul.quantize(-1.25f, 2f)); // -2.5 -> -2
        assertEquals(127, Int8MatMul.quantize(100f, 2f));  // clipped
        assertEquals(-127, Int8MatMul.quantize(-100f, 2f));
    }

    @Test
    void dequantizedWeightsAreWithinHalfAStepOfTheFloatOnes() {
        SplittableRandom r = new SplittableRandom(3);
        int k = 37, n = 29;
        float[] w = rnd(r, k * n, 2);
        QuantizedMatrix q = QuantizedMatrix.quantize(w, k, n);
        float[] dq = q.dequantize();
        for (int j = 0; j < n; j++) {
            float amax = 0;
            for (int p = 0; p < k; p++) amax = Math.max(amax, Math.abs(w[p * n + j]));
            double half = (amax + 1e-7) / 254 * (1 + 1e-6);
            for (int p = 0; p < k; p++) {
                assertEquals(w[p * n + j], dq[p * n + j], half, "w[" + p + ", " + j + "]");
            }
        }
    }

    @Test
    void kernelsAgreeBitForBitWithThePlainLoop() throws Exception {
        Int8Kernel[] kernels = {new JavaInt8Kernel(),
                (Int8Kernel) Class.forName("org.rnn4j.kernels.VectorInt8Kernel").getDeclaredConstructor().newInstance()};
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : new int[][] {{1, 1, 1}, {1, 256, 64}, {3, 40, 10}, {5, 97, 13}, {2, 300, 70}, {7, 64, 1}}) {
            int m = s[0], n = s[1], k = s[2];
            int lda = k + 2, ldq = n + 3, ldc = n + 1, aOff = 1, qOff = 2, cOff = 3;
            float[] a = rnd(r, aOff + m * lda, 3);
            byte[] q = new byte[qOff + k * ldq];
            for (int i = 0; i < q.length; i++) q[i] = (byte) (r.nextInt(255) - 127);
            float[] scale = new float[n + 1];
            for (int j = 0; j < scale.length; j++) scale[j] = (float) (1 + 100 * r.nextDouble());
            float[] c0 = rnd(r, cOff + m * ldc, 1);
            // Expected: the documented sequence of float operations, element by element (one fused multiply-add a term).
            float[] want = c0.clone(), wantAcc = c0.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) acc = Math.fma(q[qOff + p * ldq + j], a[aOff + i * lda + p], acc);
                    float y = acc / scale[1 + j];
                    want[cOff + i * ldc + j] = y;
                    wantAcc[cOff + i * ldc + j] = c0[cOff + i * ldc + j] + y;
                }
            }
            byte[] aq = new byte[m * k];
            float[] as = new float[m];
            for (int i = 0; i < aq.length; i++) aq[i] = (byte) (r.nextInt(255) - 127);
            for (int i = 0; i < m; i++) as[i] = (float) (1 + 50 * r.nextDouble());
            float[] wantInt = c0.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int acc = 0;
                    for (int p = 0; p < k; p++) acc += aq[i * k + p] * q[qOff + p * ldq + j];
                    wantInt[cOff + i * ldc + j] = acc / (as[i] * scale[1 + j]);
                }
            }
            for (Int8Kernel kernel : kernels) {
                String what = kernel.name() + " " + m + "x" + n + "x" + k;
                float[] c = c0.clone();
                kernel.gemmWeights(m, n, k, a, aOff, lda, q, qOff, ldq, scale, 1, c, cOff, ldc, false);
                assertArrayEquals(want, c, what);
                c = c0.clone();
                kernel.gemmWeights(m, n, k, a, aOff, lda, q, qOff, ldq, scale, 1, c, cOff, ldc, true);
                assertArrayEquals(wantAcc, c, what + " accumulate");
                c = c0.clone();
                kernel.gemmInt8(m, n, k, aq, 0, k, as, 0, q, qOff, ldq, scale, 1, c, cOff, ldc, false);
                assertArrayEquals(wantInt, c, what + " int8");
            }
        }
    }

    @Test
    void rowsSplitOverThreadsGiveTheSameBitsAsOneRowAtATime() {
        SplittableRandom r = new SplittableRandom(5);
        int m = 64, k = 128, n = 256;
        QuantizedMatrix w = QuantizedMatrix.quantize(rnd(r, k * n, 1), k, n);
        float[] a = rnd(r, m * k, 1), whole = new float[m * n], dyn = new float[m * n];
        Int8MatMul.gemm(m, a, 0, k, w, whole, 0, n, false);
        Int8MatMul.gemmDynamic(m, a, 0, k, w, dyn, 0, n, false);
        for (int i = 0; i < m; i++) {
            float[] row = new float[n], rowDyn = new float[n];
            Int8MatMul.gemm(1, a, i * k, k, w, row, 0, n, false);
            Int8MatMul.gemmDynamic(1, a, i * k, k, w, rowDyn, 0, n, false);
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, i * n, (i + 1) * n), row, "row " + i);
            assertArrayEquals(java.util.Arrays.copyOfRange(dyn, i * n, (i + 1) * n), rowDyn, "row " + i + " dynamic");
        }
    }

    @Test
    void aStreamingRowCutByColumnsGivesTheBitsOfOneUncutCall() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        int k = 256, n = 1024 + 40;
        QuantizedMatrix w = QuantizedMatrix.quantize(rnd(r, k * n, 1), k, n);
        float[] a = rnd(r, 2 * k, 1), cut = rnd(r, 2 * n, 1), whole = cut.clone();
        Int8MatMul.gemm(2, a, 0, k, w, cut, 0, n, true); // cut into column blocks when the pool has threads
        new JavaInt8Kernel().gemmWeights(2, n, k, a, 0, k, w.values, 0, n, w.scale, 0, whole, 0, n, true);
        assertArrayEquals(whole, cut);
    }

    @Test
    void storedValuesOutsideInt8AreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantizedMatrix.of(new float[] {1, 200}, new float[] {1, 1}, 1, 2));
        assertEquals("int8 value 200.0 at row 0, column 1 is not a whole number in [-128, 127]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.of(new float[] {0.5f}, new float[] {1}, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> QuantizedMatrix.of(new float[] {1}, new float[] {0}, 1, 1));
    }

    private static float[] rnd(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }
}
