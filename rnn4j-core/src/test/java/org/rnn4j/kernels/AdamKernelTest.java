package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Adam's fused update: a step a person can check, then the Vector API kernel equal to the plain-Java one bit for bit
 * (every length's tail, zeros, subnormals, huge values, infinities and NaN; a NaN equals any NaN), then {@link AdamUpdate} split over 1, 2
 * and 4 threads equal to one plain-Java pass, and eight callers at once equal to the same calls made alone.
 */
class AdamKernelTest {
    private static final float B1 = 0.9f, B2 = 0.999f;

    @Test
    void oneStepFromZeroMomentsMovesEachWeightByAboutTheLearningRate() throws Exception {
        // Step 1 of Keras's Adam: m = 0.1 g, v = 0.001 g^2, alpha = lr * sqrt(0.001) / 0.1, so
        // w -= lr * sqrt(0.001) |g| sign(g) / (sqrt(0.001) |g| + eps), about lr * sign(g) when |g| >> eps.
        for (AdamKernel k : kernels()) {
            float[] w = {1f, 1f, 1f}, g = {0.5f, -2f, 0f}, m = new float[3], v = new float[3];
            float alpha = (float) (0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9));
            k.update(w, g, m, v, null, 0, 3, alpha, B1, B2, 1e-7f);
            String what = k.getClass().getSimpleName();
            assertEquals(0.05f, m[0], 1e-7f, what + " m"); // 1 - 0.9f is 0.100000024
            assertEquals(0.004f, v[1], 1e-7f, what + " v"); // 1 - 0.999f is 0.0009999871
            assertEquals(0.99f, w[0], 1e-6f, what + " w up");
            assertEquals(1.01f, w[1], 1e-6f, what + " w down");
            assertEquals(1f, w[2], 0f, what + " zero gradient, no move");
        }
    }

    @Test
    void vectorKernelEqualsTheScalarReferenceBitForBit() throws Exception {
        AdamKernel scalar = new JavaAdamKernel(), vector = vectorKernel();
        SplittableRandom r = new SplittableRandom(18);
        int[] lengths = {0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 1000, 1027};
        int cases = 0;
        // Rounds enough for the JIT to compile both kernels (C2 vectorises the plain-Java loop too).
        for (int round = 0; round < 40; round++) for (int n : lengths) {
            for (boolean amsgrad : new boolean[] {false, true}) {
                for (int kind = 0; kind < 4; kind++) {
                    State a = State.random(r, n, amsgrad, kind), b = a.copy();
                    // Several steps, so the moments the next step reads are the kernels' own.
                    for (int t = 1; t <= 4; t++) {
                        float alpha = (float) (1e-3 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
                        float eps = t % 2 == 0 ? 1e-7f : 1e-30f;
                        a.update(scalar, 0, n, alpha, eps);
                        b.update(vector, 0, n, alpha, eps);
                        a.assertSameBits(b, "n " + n + " amsgrad " + amsgrad + " kind " + kind + " step " + t);
                        for (int i = 0; i < n; i++) a.g[i] = b.g[i] = value(r, kind); // a new gradient
                        cases++;
                    }
                }
            }
        }
        assertEquals(40 * lengths.length * 2 * 4 * 4, cases);
    }

    @Test
    void aRangeUpdatesThoseElementsOnly() throws Exception {
        SplittableRandom r = new SplittableRandom(19);
        for (AdamKernel k : kernels()) {
            State s = State.random(r, 70, true, 0), before = s.copy(), whole = s.copy();
            s.update(k, 5, 58, 1e-3f, 1e-7f);
            whole.update(new JavaAdamKernel(), 0, 70, 1e-3f, 1e-7f);
            for (int i = 0; i < 70; i++) {
                State want = i >= 5 && i < 58 ? whole : before;
                assertEquals(Float.floatToIntBits(want.w[i]), Float.floatToIntBits(s.w[i]), "w[" + i + "]");
                assertEquals(Float.floatToIntBits(want.vMax[i]), Float.floatToIntBits(s.vMax[i]), "vMax[" + i + "]");
            }
        }
    }

    @Test
    void sameBitsAtOneTwoAndFourThreads() {
        int saved = Parallel.threads();
        boolean savedDeterministic = Parallel.deterministic();
        try {
            Parallel.setDeterministic(false);
            // Large enough for four parts, with a tail that is not a whole vector or cache line.
            int n = (int) (4 * KernelPlan.active().updatePartFloats() + 37);
            for (boolean amsgrad : new boolean[] {false, true}) {
                State reference = State.random(new SplittableRandom(20), n, amsgrad, 0);
                State[] byThreads = {reference.copy(), reference.copy(), reference.copy()};
                for (int t = 1; t <= 3; t++) reference.update(new JavaAdamKernel(), 0, n, 1e-3f * t, 1e-7f);
                int[] threads = {1, 2, 4};
                for (int c = 0; c < threads.length; c++) {
                    Parallel.setThreads(threads[c]);
                    assertEquals(threads[c] == 1 ? 1 : Math.min(4, threads[c]),
                            Parallel.parts(n, KernelPlan.active().updatePartFloats(), n / 16), "parts at " + threads[c]);
                    State s = byThreads[c];
                    for (int t = 1; t <= 3; t++) {
                        AdamUpdate.apply(s.w, s.g, s.m, s.v, s.vMax, 1e-3f * t, B1, B2, 1e-7f);
                    }
                    reference.assertSameBits(s, threads[c] + " threads, amsgrad " + amsgrad);
                }
            }
        } finally {
            Parallel.setThreads(saved);
            Parallel.setDeterministic(savedDeterministic);
        }
    }

    @Test
    void eightThreadsUpdatingTheirOwnWeightsAtOnceEqualTheSameCallsMadeAlone() throws Exception {
        // Each weight is split over the pool (two parts and more), so every caller's reused task and the shared pool
        // are exercised at once.
        int n = (int) (3 * KernelPlan.active().updatePartFloats() + 5), callers = 8;
        State[] alone = new State[callers], together = new State[callers];
        for (int c = 0; c < callers; c++) {
            alone[c] = State.random(new SplittableRandom(40 + c), n, c % 2 == 1, 0);
            together[c] = alone[c].copy();
            for (int t = 1; t <= 3; t++) {
                State s = alone[c];
                AdamUpdate.apply(s.w, s.g, s.m, s.v, s.vMax, 1e-3f * t, B1, B2, 1e-7f);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CyclicBarrier start = new CyclicBarrier(callers);
            List<Future<?>> done = new ArrayList<>();
            for (State s : together) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int t = 1; t <= 3; t++) AdamUpdate.apply(s.w, s.g, s.m, s.v, s.vMax, 1e-3f * t, B1, B2, 1e-7f);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (int c = 0; c < callers; c++) alone[c].assertSameBits(together[c], "caller " + c);
    }

    @Test
    void theActiveKernelIsThePlansKind() {
        String want = KernelPlan.active().vectorBits() > 0 && Kernels.vectorActive() ? "VectorAdamKernel" : "JavaAdamKernel";
        assertEquals(want, AdamUpdate.kernelName());
    }

    @Test
    void slotsOfAnotherLengthAreRefusedNamingTheLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdamUpdate.apply(new float[4], new float[4], new float[4], new float[3], null, 1f, B1, B2, 1e-7f));
        assertTrue(e.getMessage().contains("weight has 4 values") && e.getMessage().contains("v 3"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static AdamKernel vectorKernel() throws Exception {
        return (AdamKernel) Class.forName("org.rnn4j.kernels.VectorAdamKernel").getDeclaredConstructor().newInstance();
    }

    private static AdamKernel[] kernels() throws Exception { return new AdamKernel[] {new JavaAdamKernel(), vectorKernel()}; }

    /**
     * A value of kind 0 (gradients and weights of everyday size), 1 (zeros and signed zeros among them), 2 (tiny:
     * subnormal and near the smallest normal) or 3 (huge: up to the largest float, infinities and NaN among them).
     */
    private static float value(SplittableRandom r, int kind) {
        double x = r.nextDouble() * 2 - 1;
        switch (kind) {
            case 0: return (float) (x * 0.1);
            case 1: return r.nextInt(3) == 0 ? (float) x : r.nextBoolean() ? 0f : -0f;
            case 2: return (float) (x * (r.nextBoolean() ? 1e-40 : 1e-19));
            default:
                int pick = r.nextInt(20);
                if (pick == 0) return Float.NaN;
                if (pick == 1) return Float.POSITIVE_INFINITY;
                if (pick == 2) return Float.NEGATIVE_INFINITY;
                if (pick == 3) return Float.MAX_VALUE;
                return (float) (x * (r.nextBoolean() ? 1e19 : 1e30));
        }
    }

    /** One weight with its gradient and slots. */
    private static final class State {
        final float[] w, g, m, v, vMax;

        State(float[] w, float[] g, float[] m, float[] v, float[] vMax) {
            this.w = w;
            this.g = g;
            this.m = m;
            this.v = v;
            this.vMax = vMax;
        }

        static State random(SplittableRandom r, int n, boolean amsgrad, int kind) {
            float[] w = new float[n], g = new float[n], m = new float[n], v = new float[n];
            float[] vMax = amsgrad ? new float[n] : null;
            for (int i = 0; i < n; i++) {
                w[i] = value(r, kind);
                g[i] = value(r, kind);
                m[i] = value(r, kind);
                v[i] = Math.abs(value(r, kind));
                if (amsgrad) vMax[i] = Math.abs(value(r, kind));
            }
            return new State(w, g, m, v, vMax);
        }

        State copy() { return new State(w.clone(), g.clone(), m.clone(), v.clone(), vMax == null ? null : vMax.clone()); }

        void update(AdamKernel k, int from, int to, float alpha, float eps) {
            k.update(w, g, m, v, vMax, from, to, alpha, B1, B2, eps);
        }

        void assertSameBits(State o, String what) {
            same(w, o.w, what + " w");
            same(g, o.g, what + " g");
            same(m, o.m, what + " m");
            same(v, o.v, what + " v");
            if (vMax != null) same(vMax, o.vMax, what + " vMax");
        }

        /**
         * Equal bits, signed zeros told apart; a NaN equals any NaN: which NaN an operation on two NaNs returns is
         * not specified by Java (x86 returns one operand's, and the JIT may swap the operands of an add).
         */
        private static void same(float[] want, float[] got, String what) {
            assertEquals(want.length, got.length, what + " length");
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                    assertEquals(Integer.toHexString(Float.floatToIntBits(want[i])),
                            Integer.toHexString(Float.floatToIntBits(got[i])), what + "[" + i + "]: " + want[i] + " vs " + got[i]);
                }
            }
        }
    }
}
