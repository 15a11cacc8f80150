package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The im2col + GEMM convolution against the plain loops of {@link ReferenceConv1d}, and a hand-checked case. */
class Conv1dTest {

    @Test
    void handCheckedCausalDilatedCase() {
        // x = [1, 2, 3, 4] (one channel), kernel [2, 1, 1] = [10, 1], causal, dilation 2: y[t] = 10 x[t-2] + x[t].
        ConvGeometry g = ConvGeometry.of("causal", 1, 4, 1, 1, 2, 1, 2, 1);
        float[] y = new float[4];
        Conv1d.forward(g, new float[] {1, 2, 3, 4}, new float[] {10, 1}, y);
        assertArrayEquals(new float[] {1, 2, 13, 24}, y);
    }

    @Test
    void sameWithStrideTwoPadsAsTensorFlow() {
        // T = 7, k = 3, s = 2: ceil(7/2) = 4 steps, total padding (4-1)*2 + 3 - 7 = 2, one step on each side.
        assertEquals(4, ConvGeometry.outputLength("same", 7, 3, 2, 1));
        assertEquals(1, ConvGeometry.padLeft("same", 7, 3, 2, 1));
        // T = 8, k = 2, s = 1: total padding 1, none on the left (the smaller half).
        assertEquals(0, ConvGeometry.padLeft("same", 8, 2, 1, 1));
        assertEquals(6, ConvGeometry.outputLength("valid", 8, 3, 1, 1));
        assertEquals(4, ConvGeometry.outputLength("valid", 6, 2, 1, 2)); // 6 - (2-1)*2
    }

    @Test
    void fastEqualsReferenceForEveryPaddingStrideDilationAndGroup() {
        SplittableRandom r = new SplittableRandom(5);
        String[] paddings = {"valid", "same", "causal"};
        int[][] options = {{1, 1, 1}, {2, 1, 1}, {3, 1, 1}, {1, 2, 1}, {1, 3, 2}, {1, 1, 2}, {2, 1, 4}};
        for (String padding : paddings) {
            for (int[] o : options) {
                for (int kernel : new int[] {1, 2, 3, 5}) {
                    int stride = o[0], dilation = o[1], groups = o[2];
                    int batch = 3, steps = 11, in = 3 * groups, out = 2 * groups;
                    ConvGeometry g = ConvGeometry.of(padding, batch, steps, in, out, kernel, stride, dilation, groups);
                    if (g.outLength() <= 0) continue;
                    String what = padding + " k" + kernel + " s" + stride + " d" + dilation + " g" + groups;
                    float[] x = random(r, batch * steps * in), w = random(r, kernel * g.groupIn() * out);
                    float[] dy = random(r, g.rows() * out);
                    float[] y1 = new float[g.rows() * out], y2 = new float[y1.length];
                    Conv1d.forward(g, x, w, y1);
                    ReferenceConv1d.forward(g, x, w, y2);
                    assertClose(y2, y1, what + " forward");
                    float[] dx1 = random(r, x.length), dx2 = new float[x.length]; // the fast one must overwrite dx
                    Conv1d.backwardData(g, dy, w, dx1);
                    ReferenceConv1d.backwardData(g, dy, w, dx2);
                    assertClose(dx2, dx1, what + " backwardData");
                    float[] dw1 = new float[w.length], dw2 = new float[w.length];
                    java.util.Arrays.fill(dw1, 0.5f);
                    java.util.Arrays.fill(dw2, 0.5f); // both accumulate
                    Conv1d.backwardKernel(g, x, dy, dw1);
                    ReferenceConv1d.backwardKernel(g, x, dy, dw2);
                    assertClose(dw2, dw1, what + " backwardKernel");
                }
            }
        }
    }

    @Test
    void backwardDataIsTheAdjointOfForward() {
        // <conv(x), dy> = <x, conv^T(dy)> for a grouped, strided SAME convolution.
        SplittableRandom r = new SplittableRandom(9);
        ConvGeometry g = ConvGeometry.of("same", 2, 9, 4, 6, 3, 2, 1, 2);
        float[] x = random(r, 2 * 9 * 4), w = random(r, 3 * 2 * 6), dy = random(r, g.rows() * 6);
        float[] y = new float[dy.length], dx = new float[x.length];
        Conv1d.forward(g, x, w, y);
        Conv1d.backwardData(g, dy, w, dx);
        double a = 0, b = 0;
        for (int i = 0; i < y.length; i++) a += (double) y[i] * dy[i];
        for (int i = 0; i < x.length; i++) b += (double) x[i] * dx[i];
        assertEquals(a, b, 1e-4 * Math.max(1, Math.abs(a)));
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * r.nextDouble() - 1);
        return v;
    }

    private static void assertClose(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5f * Math.max(1f, Math.abs(want[i])), what + " [" + i + "]");
        }
    }
}
