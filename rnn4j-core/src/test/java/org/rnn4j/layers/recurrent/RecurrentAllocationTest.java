package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Steady state of the fused LSTM: buffers reused per batch shape, so a training step's allocation stays flat, counted
 * over every thread (the calling thread and the kernels' workers).
 */
class RecurrentAllocationTest {
    private static final int BATCH = 32, STEPS = 40, FEATURES = 4, UNITS = 64;

    @Test
    void allocationPerTrainingStepDoesNotGrowWithTheNumberOfSteps() {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential(new LSTM(UNITS).inputShape(STEPS, FEATURES), new Dense(1));
        m.compile("mse", "adam");
        Tensor x = random(new SplittableRandom(1), BATCH, STEPS, FEATURES), y = random(new SplittableRandom(2), BATCH, 1);
        // Warm up until the JIT has compiled the hot path: before that, interpreted Vector API code allocates a box
        // per vector. The number of warm-up blocks depends on machine load, so it is bounded, not fixed; nothing
        // here measures time.
        long zxBytes = 4L * STEPS * BATCH * 4 * UNITS;
        long perStep = Long.MAX_VALUE;
        for (int block = 0; block < 100 && perStep >= zxBytes / 4; block++) {
            perStep = allocatedBy(() -> { for (int i = 0; i < 10; i++) m.trainOnBatch(x, y); }) / 10;
        }
        // A late recompilation (a deoptimised method runs interpreted for a while, boxing vectors, or a new compiled
        // version that keeps an allocation the old one removed) can land in a block: the steady state is the first
        // pair of blocks, of 20 and 40 steps, that agree. A real leak or a per-sequence array fails every pair.
        long n = 0, twoN = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            n = allocatedBy(() -> { for (int i = 0; i < 20; i++) m.trainOnBatch(x, y); }) / 20;
            twoN = allocatedBy(() -> { for (int i = 0; i < 40; i++) m.trainOnBatch(x, y); }) / 40;
            if (twoN <= n + n / 4 + 4096 && twoN < zxBytes / 4) break;
        }
        // The per-sequence arrays (projections, gates, states, their gradients) are several MB; what a step still
        // allocates is its outputs, input gradient and bookkeeping, a small fraction of one of them.
        assertTrue(twoN <= n + n / 4 + 4096, "bytes per training step grew: " + n + " over 20 steps, " + twoN + " over 40");
        assertTrue(twoN < zxBytes / 4, "a training step allocates " + twoN + " bytes; the input projections alone are " + zxBytes
                + " (a steady megabyte or so is what vectors boxed at a method boundary C2 did not inline allocate)");
    }

    @Test
    void reusedBuffersGiveTheSameResultsAsFreshOnes() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new LSTM(9).returnSequences(true).inputShape(6, 3));
        Tensor a = random(new SplittableRandom(3), 4, 6, 3), b = random(new SplittableRandom(4), 4, 6, 3);
        float[] first = m.predict(a).data().clone();
        m.predict(b);
        m.predict(random(new SplittableRandom(5), 2, 6, 3)); // another batch shape in between
        assertArrayEquals(first, m.predict(a).data(), "same input, same output after the buffers were reused");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"lstm", "gru", "gru_reset_before", "simple_rnn"})
    void aSecondBackwardOnReusedBuffersEqualsOneOnFreshBuffers(String kind) {
        // The gradient buffers are not cleared between calls: every backward step must write all of its block.
        Rnn4j.setRandomSeed(9);
        RNN<?> reused = RecurrentGradientTest.make(kind).returnSequences(true);
        Tensor a = random(new SplittableRandom(1), 10, 5, 3), b = random(new SplittableRandom(2), 10, 5, 3);
        float[] m = new float[50];
        java.util.Arrays.fill(m, 1f);
        m[4] = 0;
        m[5] = 0; // row 0 post-padded, row 1 pre-padded
        Tensor mask = Tensor.of(m, 10, 5);
        Tensor g = random(new SplittableRandom(3), 10, 5, RecurrentGradientTest.UNITS);
        reused.call(new Tensor[] {a}, null, true).backward(new Tensor[] {random(new SplittableRandom(4), 10, 5, RecurrentGradientTest.UNITS)});
        RNN<?> fresh = reused.copyConfig("fresh");
        fresh.build(java.util.List.of(new int[] {10, 5, 3}));
        fresh.setWeights(reused.getWeights());
        reused.weights().forEach(w -> w.zeroGrad());
        Tensor dxReused = reused.call(new Tensor[] {b}, mask, true).backward(new Tensor[] {g})[0];
        Tensor dxFresh = fresh.call(new Tensor[] {b}, mask, true).backward(new Tensor[] {g})[0];
        assertArrayEquals(dxFresh.data(), dxReused.data(), 0f);
        for (int w = 0; w < reused.weights().size(); w++) {
            assertArrayEquals(fresh.weights().get(w).grad().data(), reused.weights().get(w).grad().data(), 0f,
                    reused.weights().get(w).path());
        }
    }

    @Test
    void aLayerCalledTwiceBackwardsEachCallCorrectly() {
        Rnn4j.setRandomSeed(6);
        LSTM lstm = new LSTM(3).inputShape(2, 1);
        new Sequential(lstm);
        Tensor x = random(new SplittableRandom(6), 1, 2, 1);
        Tensor[] g = {Tensor.of(new float[] {1, 0, 0}, 1, 3)};
        float[] want = lstm.call(x, null, false).backward(g)[0].data().clone();
        // Inference calls share buffers: the first call's backward after a second call recomputes its forward.
        var first = lstm.call(x, null, false);
        lstm.call(random(new SplittableRandom(8), 1, 2, 1), null, false);
        assertArrayEquals(want, first.backward(g)[0].data(), 0f);
        // A training call keeps its own buffers: two in flight, both backward correctly.
        var p1 = lstm.call(x, null, true);
        var p2 = lstm.call(random(new SplittableRandom(7), 1, 2, 1), null, true);
        Tensor g1 = p1.backward(new Tensor[] {Tensor.of(new float[] {1, 0, 0}, 1, 3)})[0];
        var p3 = lstm.call(x, null, true);
        Tensor g3 = p3.backward(new Tensor[] {Tensor.of(new float[] {1, 0, 0}, 1, 3)})[0];
        p2.backward(new Tensor[] {Tensor.zeros(1, 3)});
        assertEquals(g1.data()[0], g3.data()[0], 0f);
        assertEquals(g1.data()[1], g3.data()[1], 0f);
    }

    /**
     * Bytes allocated while {@code r} runs by every live thread, the kernels' worker threads included (a part of a
     * split task that allocated on a worker would be missed by counting the calling thread alone). Other threads of
     * the JVM allocate little while a test runs; the test's bounds leave room for that.
     */
    static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long[] before = mx.getThreadAllocatedBytes(ids);
        r.run();
        long[] after = mx.getThreadAllocatedBytes(ids);
        long total = 0;
        for (int i = 0; i < ids.length; i++) {
            if (before[i] >= 0 && after[i] >= 0) total += after[i] - before[i];
        }
        // Threads started meanwhile (a worker pool made by another test) count from zero.
        long[] now = mx.getAllThreadIds();
        java.util.Set<Long> known = new java.util.HashSet<>();
        for (long id : ids) known.add(id);
        for (long id : now) {
            if (!known.contains(id)) total += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return total;
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }
}
