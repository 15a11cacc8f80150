package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The specialised tanh/sigmoid gate math against the same formulas in double precision. */
class LstmGatesTest {
    @Test
    void fastMathIsFloatAccurate() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) ((r.nextDouble() * 2 - 1) * (i % 2 == 0 ? 10 : 90));
            double e = Math.exp(x);
            if (e < 1e-37 || e > 1e38) continue;
            assertEquals(e, FastMath.exp(x), Math.ulp((float) e) * 2, "exp(" + x + ")");
            assertEquals(1 / (1 + Math.exp(-x)), FastMath.sigmoid(x), 2e-7, "sigmoid(" + x + ")");
            assertEquals(Math.tanh(x), FastMath.tanh(x), 2e-7, "tanh(" + x + ")");
        }
        assertEquals(0f, FastMath.sigmoid(-200f));
        assertEquals(1f, FastMath.sigmoid(200f));
        assertEquals(-1f, FastMath.tanh(-200f));
        assertEquals(1f, FastMath.tanh(200f));
        assertTrue(Float.isNaN(FastMath.sigmoid(Float.NaN)));
    }

    @Test
    void bothImplementationsMatchDoublePrecisionForOddUnitCounts() throws Exception {
        LstmGates[] impls = {new JavaLstmGates(),
                (LstmGates) Class.forName("org.rnn4j.kernels.VectorLstmGates").getDeclaredConstructor().newInstance()};
        SplittableRandom r = new SplittableRandom(2);
        for (LstmGates g : impls) {
            for (int units : new int[] {1, 3, 17, 64, 100}) {
                for (int batch : new int[] {1, 3}) check(g, r, batch, units);
            }
        }
    }

    private static void check(LstmGates impl, SplittableRandom r, int batch, int units) {
        int w = 4 * units, n = batch * units;
        float[] z = rnd(r, batch * w, 6), c = new float[2 * n], h = new float[2 * n], gates = new float[batch * w];
        float[] cp = rnd(r, n, 2);
        System.arraycopy(cp, 0, c, 0, n);
        impl.forward(batch, units, z, 0, gates, 0, c, 0, n, h, n);
        float[] dh = rnd(r, n, 1), dc = rnd(r, n, 1), dz = new float[batch * w];
        float[] dh0 = dh.clone(), dc0 = dc.clone();
        impl.backward(batch, units, gates, 0, c, 0, n, dh, dc, 0, dz, 0);
        String what = impl.getClass().getSimpleName() + " batch " + batch + " units " + units;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                int zr = b * w, s = b * units + j;
                double i = sig(z[zr + j]), f = sig(z[zr + units + j]), g = Math.tanh(z[zr + 2 * units + j]), o = sig(z[zr + 3 * units + j]);
                double cn = f * cp[s] + i * g, hn = o * Math.tanh(cn);
                assertEquals(cn, c[n + s], 4e-7 * Math.max(1, Math.abs(cn)), what + " c");
                assertEquals(hn, h[n + s], 4e-7, what + " h");
                double ac = Math.tanh(cn), dcj = dc0[s] + dh0[s] * o * (1 - ac * ac);
                assertEquals(dcj * g * i * (1 - i), dz[zr + j], 2e-6 * Math.max(1, Math.abs(dcj)), what + " dz_i");
                assertEquals(dcj * cp[s] * f * (1 - f), dz[zr + units + j], 2e-6 * Math.max(1, Math.abs(dcj)), what + " dz_f");
                assertEquals(dcj * i * (1 - g * g), dz[zr + 2 * units + j], 2e-6 * Math.max(1, Math.abs(dcj)), what + " dz_c");
                assertEquals(dh0[s] * ac * o * (1 - o), dz[zr + 3 * units + j], 2e-6 * Math.max(1, Math.abs(dcj)), what + " dz_o");
                assertEquals(dcj * f, dc[s], 2e-6 * Math.max(1, Math.abs(dcj)), what + " dc_prev");
            }
        }
    }

    private static double sig(double x) { return 1 / (1 + Math.exp(-x)); }

    private static float[] rnd(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }
}
