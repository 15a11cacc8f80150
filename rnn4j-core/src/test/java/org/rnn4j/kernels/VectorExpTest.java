package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector exp gives, lane for lane, exactly the scalar {@link FastMath#exp}: so vector bodies and scalar tails of
 * the gate math agree, and results do not depend on whether the JIT has compiled the code yet.
 */
class VectorExpTest {
    private static final int L = Vectors.FLOAT.length();

    @Test
    void equalsTheScalarExpBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[L * 20_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * (i % 3 == 0 ? 5 : 100));
        // The edges: overflow and underflow limits, k = 128, signed zeros, infinities, NaN, rounding of k.
        float[] edges = {0f, -0f, 88.7228f, Math.nextUp(88.7228f), Math.nextDown(88.7228f), 88.5f, 88.0f, -87.3365f,
                Math.nextDown(-87.3365f), Math.nextUp(-87.3365f), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, 0.34657359f, -0.34657359f, 0.5f * 0.6931472f, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE,
                1e9f, -1e9f, 44.36142f, -44.36142f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (float scale : new float[] {-1f, -2f}) {
            float[] want = new float[x.length], got = new float[x.length];
            for (int i = 0; i < x.length; i++) want[i] = FastMath.exp(scale * x[i]);
            for (int i = 0; i < x.length; i += L) VectorExp.into(x, i, scale, got, i);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i]) || (want[i] != want[i] && got[i] != got[i]),
                        true, "exp(" + scale + " * " + x[i] + "): scalar " + want[i] + ", vector " + got[i]);
            }
        }
    }

    @Test
    void vectorLstmForwardEqualsTheScalarOneBitForBit() {
        SplittableRandom r = new SplittableRandom(3);
        int units = 4 * L, batch = 3;
        float[] z = random(r, batch * 4 * units, 6), c = random(r, 2 * batch * units, 2);
        float[][] gates = new float[2][batch * 4 * units], cs = {c.clone(), c.clone()}, hs = new float[2][batch * units];
        LstmGates[] impls = {new JavaLstmGates(), new VectorLstmGates()};
        for (int k = 0; k < 2; k++) impls[k].forward(batch, units, z.clone(), 0, gates[k], 0, cs[k], 0, batch * units, hs[k], 0);
        assertArrayEquals(gates[0], gates[1], "gates");
        assertArrayEquals(cs[0], cs[1], "cell states");
        assertArrayEquals(hs[0], hs[1], "hidden states");
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return a;
    }
}
