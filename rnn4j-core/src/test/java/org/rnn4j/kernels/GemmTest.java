package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every matrix multiply kernel against the double-accumulating {@link ReferenceGemm}. */
class GemmTest {
    private static final int[] SIZES = {1, 3, 17, 1000};

    static List<GemmKernel> kernels() {
        List<GemmKernel> ks = new ArrayList<>();
        ks.add(new JavaGemm());
        if (Kernels.vectorApiPresent()) {
            try {
                ks.add((GemmKernel) Class.forName("org.rnn4j.kernels.VectorGemm").getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return ks;
    }

    @Test
    void handCheckedTwoByTwo() {
        for (GemmKernel g : kernels()) {
            float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
            g.gemm(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, c, 0, 2, false);
            assertEquals(19f, c[0], g.name());
            assertEquals(22f, c[1], g.name());
            assertEquals(43f, c[2], g.name());
            assertEquals(50f, c[3], g.name());
        }
    }

    @Test
    void theActiveKernelIsThePlans() {
        // Surefire runs with --add-modules jdk.incubator.vector, so the fast path is the one in use unless a kernel
        // variant's run forces plain Java (-Drnn4j.kernel=scalar).
        KernelPlan plan = KernelPlan.active();
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "tests run with the Vector API module");
        if (plan.vectorBits() == 0) {
            assertEquals("java", MatMul.kernel().name(), plan.describe());
        } else {
            assertEquals("vector-" + plan.vectorBits() + "bit", MatMul.kernel().name(), plan.describe());
        }
    }

    @Test
    void oddShapesAllTransposesOffsetsAndAccumulate() {
        SplittableRandom r = new SplittableRandom(42);
        for (GemmKernel g : kernels()) {
            for (int m : SIZES) for (int n : SIZES) for (int k : SIZES) {
                if ((long) m * n * k > 20_000_000L) continue; // 1000^3 would take the reference too long
                for (int mode = 0; mode < 8; mode++) {
                    check(g, r, mode / 4 == 1, (mode / 2) % 2 == 1, mode % 2 == 1, m, n, k);
                }
            }
        }
    }

    @Test
    void recurrentShapesAndSplitWork() {
        // Batch 1 and the workloads' shapes: per-step (batch x 4H x H), the projection and the weight gradients.
        int[][] shapes = {{1, 1024, 256}, {1, 1024, 32}, {32, 256, 64}, {64, 1024, 256}, {64, 2048, 512},
                {3200, 256, 8}, {8, 256, 1600}, {1600, 8, 256}, {33, 70, 300}, {1, 20, 5}, {5, 20, 5}};
        SplittableRandom r = new SplittableRandom(7);
        for (GemmKernel g : kernels()) {
            for (int[] s : shapes) {
                check(g, r, false, false, false, s[0], s[1], s[2]);
                check(g, r, true, false, true, s[0], s[1], s[2]);
                check(g, r, false, true, true, s[0], s[1], s[2]);
            }
        }
    }

    @Test
    void packedMatchesUnpacked() {
        SplittableRandom r = new SplittableRandom(11);
        for (GemmKernel g : kernels()) {
            // Single rows take four panels at a time: 13 and 7 rows leave 1 and 3 single rows; 200 and 130 columns leave
            // whole panels and a part panel after the groups of four.
            for (int[] s : new int[][] {{1, 1024, 256}, {64, 1024, 256}, {3, 17, 1}, {17, 3, 1000}, {5, 20, 5}, {32, 256, 64},
                    {13, 200, 33}, {7, 130, 9}, {1, 288, 300}}) {
                int m = s[0], n = s[1], k = s[2];
                for (boolean transB : new boolean[] {false, true}) {
                    for (boolean transA : new boolean[] {false, true}) {
                        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
                        float[] a = random(r, (transA ? k : m) * lda + 5);
                        float[] b = random(r, (transB ? n : k) * ldb + 4);
                        float[] c = random(r, m * ldc + 6);
                        float[] want = c.clone();
                        new ReferenceGemm().gemm(transA, transB, m, n, k, a, 5, lda, b, 4, ldb, want, 6, ldc, true);
                        PackedMatrix pb = new PackedMatrix();
                        g.pack(transB, k, n, b, 4, ldb, pb);
                        g.gemmPacked(transA, m, a, 5, lda, pb, c, 6, ldc, true);
                        assertClose(want, c, k, g.name() + " packed " + m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB);
                    }
                }
            }
        }
    }

    @Test
    void packingTwoStackedSourcesEqualsPackingTheirStackedCopy() {
        SplittableRandom r = new SplittableRandom(13);
        for (GemmKernel g : kernels()) {
            // An LSTM step's [W; U]: part panels (130 columns), one-row parts, and the large workload's shape.
            for (int[] s : new int[][] {{8, 64, 256}, {3, 1, 130}, {1, 5, 20}, {512, 512, 2048}, {33, 17, 40}}) {
                int k1 = s[0], k2 = s[1], n = s[2];
                float[] b1 = random(r, k1 * n), b2 = random(r, k2 * n), stacked = new float[(k1 + k2) * n];
                System.arraycopy(b1, 0, stacked, 0, k1 * n);
                System.arraycopy(b2, 0, stacked, k1 * n, k2 * n);
                PackedMatrix want = new PackedMatrix(), got = new PackedMatrix();
                g.pack(false, k1 + k2, n, stacked, 0, n, want);
                got.data = new float[want.data.length]; // stale values where padding goes: packing must overwrite them
                Arrays.fill(got.data, Float.NaN);
                g.packStacked(k1, b1, k2, b2, n, got);
                String what = g.name() + " [" + k1 + "; " + k2 + "] x " + n;
                assertEquals(k1 + k2, got.rows(), what);
                assertEquals(n, got.cols(), what);
                assertArrayEquals(want.data, got.data, what);
                float[] a = random(r, 3 * (k1 + k2)), c1 = new float[3 * n], c2 = new float[3 * n];
                g.gemmPacked(false, 3, a, 0, k1 + k2, want, c1, 0, n, false);
                g.gemmPacked(false, 3, a, 0, k1 + k2, got, c2, 0, n, false);
                assertArrayEquals(c1, c2, what + " product");
            }
        }
    }

    private static void check(GemmKernel g, SplittableRandom r, boolean transA, boolean transB, boolean accumulate,
                              int m, int n, int k) {
        // Leading dimensions wider than the matrices and non-zero offsets, as views into larger arrays.
        int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
        int aOff = 7, bOff = 5, cOff = 3;
        float[] a = random(r, aOff + (transA ? k : m) * lda);
        float[] b = random(r, bOff + (transB ? n : k) * ldb);
        float[] c = random(r, cOff + m * ldc);
        float[] want = c.clone();
        new ReferenceGemm().gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, want, cOff, ldc, accumulate);
        g.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        assertClose(want, c, k, g.name() + " " + m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB
                + " accumulate=" + accumulate);
    }

    /** Values in [-1, 1): a float32 sum of k products is within about sqrt(k) * 2^-24 * k of the exact one. */
    private static void assertClose(float[] want, float[] got, int k, String what) {
        double tol = 1e-5 * Math.max(1, Math.sqrt(k)) * 4;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                fail(what + ": element " + i + " expected " + want[i] + " got " + got[i]);
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }
}
