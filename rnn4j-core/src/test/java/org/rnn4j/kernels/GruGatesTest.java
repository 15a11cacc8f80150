package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The specialised tanh/sigmoid GRU gate math ({@code reset_after}) against the same formulas in double precision. */
class GruGatesTest {
    @Test
    void bothImplementationsMatchDoublePrecisionForOddUnitCounts() throws Exception {
        GruGates[] impls = {new JavaGruGates(),
                (GruGates) Class.forName("org.rnn4j.kernels.VectorGruGates").getDeclaredConstructor().newInstance()};
        SplittableRandom r = new SplittableRandom(2);
        for (GruGates g : impls) {
            for (int units : new int[] {1, 3, 17, 64, 100}) {
                for (int batch : new int[] {1, 3}) check(g, r, batch, units);
            }
        }
    }

    private static void check(GruGates impl, SplittableRandom r, int batch, int units) {
        // Every array starts one row in, as a second row block's rows do.
        int w = 3 * units, n = batch * units, pOff = w, sOff = units;
        float[] pre = rnd(r, (batch + 1) * w, 6), pre0 = pre.clone(), rech = rnd(r, (batch + 1) * units, 3);
        float[] hPrev = rnd(r, (batch + 1) * units, 1), h = new float[(batch + 1) * units], gates = new float[(batch + 1) * w];
        impl.forwardResetAfter(batch, units, pre, pOff, rech, sOff, gates, pOff, hPrev, sOff, h, sOff);
        float[] dh = rnd(r, (batch + 1) * units, 1), dh0 = dh.clone();
        float[] dPre = new float[(batch + 1) * w], dRech = new float[(batch + 1) * units];
        impl.backwardResetAfter(batch, units, rech, sOff, gates, pOff, hPrev, sOff, dh, sOff, dPre, pOff, dRech);
        String what = impl.getClass().getSimpleName() + " batch " + batch + " units " + units;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                int pr = pOff + b * w, s = sOff + b * units + j;
                double z = sig(pre0[pr + j]), rr = sig(pre0[pr + units + j]);
                double ph = pre0[pr + 2 * units + j] + rr * rech[s], hh = Math.tanh(ph);
                assertEquals(ph, pre[pr + 2 * units + j], 1e-6 * Math.max(1, Math.abs(ph)), what + " pre_h");
                assertEquals(z * hPrev[s] + (1 - z) * hh, h[s], 4e-7, what + " h");
                double g = dh0[s], dPh = g * (1 - z) * (1 - hh * hh);
                assertEquals(g * (hPrev[s] - hh) * z * (1 - z), dPre[pr + j], 2e-6, what + " dz");
                assertEquals(dPh * rech[s] * rr * (1 - rr), dPre[pr + units + j], 2e-6 * Math.max(1, Math.abs(rech[s])), what + " dr");
                assertEquals(dPh, dPre[pr + 2 * units + j], 2e-6, what + " dh_candidate");
                assertEquals(dPh * rr, dRech[s], 2e-6, what + " drech");
                assertEquals(g * z, dh[s], 2e-6, what + " dh_prev");
            }
        }
        // The row before the block is untouched.
        for (int j = 0; j < units; j++) assertEquals(dh0[j], dh[j], 0, what + " row outside");
    }

    private static double sig(double x) { return 1 / (1 + Math.exp(-x)); }

    private static float[] rnd(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }
}
