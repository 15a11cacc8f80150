package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.tensor.Tensor;

/**
 * Steady-state inference allocates no working arrays: after warm-up, a {@code predict} allocates its outputs and
 * bookkeeping only (the recurrent layers' workspaces come back from their pools), and a streaming {@code step} a few
 * small arrays. Bytes are counted on every live thread, the kernels' worker threads included.
 */
class InferenceAllocationTest {
    private static final int BATCH = 32, STEPS = 20, FEATURES = 4;

    @Test
    void predictAllocatesItsOutputsAndNoWorkspaces() {
        Rnn4j.setRandomSeed(4);
        Sequential m = new Sequential(new LSTM(32).returnSequences(true).inputShape(STEPS, FEATURES), new GRU(32),
                new Dense(1));
        Tensor x = random(new SplittableRandom(1), BATCH, STEPS, FEATURES);
        // The layers' outputs: the LSTM's sequence, the GRU's last state, the Dense's column.
        long outputs = 4L * BATCH * (STEPS * 32 + 32 + 1);
        // One LSTM workspace alone: projections, gates (4 x 32 units per row and step) and states.
        long workspace = 4L * STEPS * BATCH * 4 * 32 * 2 + 4L * 2 * (STEPS + 1) * BATCH * 32;
        long perCall = steadyBytesPerCall(() -> m.predictOnBatch(x), workspace);
        assertTrue(perCall < outputs * 2 + 32 * 1024, "predictOnBatch allocates " + perCall + " bytes a call; its outputs are "
                + outputs + " bytes and one LSTM workspace " + workspace);
        long perPredict = steadyBytesPerCall(() -> m.predict(x, 16), workspace);
        assertTrue(perPredict < outputs * 3 + 32 * 1024, "predict allocates " + perPredict + " bytes a call");
    }

    @Test
    void aStreamingStepAllocatesOnlyAFewSmallArrays() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new LSTM(64).returnSequences(true).inputShape(STEPS, FEATURES), new Dense(1));
        RecurrentState s = m.newState();
        float[] x = {0.1f, -0.2f, 0.3f, 0.05f};
        long perStep = steadyBytesPerCall(() -> m.step(s, x), 2048);
        assertTrue(perStep < 2048, "a step allocates " + perStep + " bytes; the LSTM's weights alone are "
                + 4 * (FEATURES + 64) * 4 * 64);
    }

    /**
     * Bytes per call in the steady state: warm up until a block of calls allocates less than {@code ceiling} a call
     * (interpreted Vector API code boxes vectors until the JIT compiles it), then take the first pair of blocks, of
     * 20 and 40 calls, that agree (a late recompilation can land in one block; a leak fails every pair).
     */
    private static long steadyBytesPerCall(Runnable call, long ceiling) {
        long perCall = Long.MAX_VALUE;
        for (int block = 0; block < 5000 && (block < 100 || perCall >= ceiling); block++) perCall = allocatedBy(call, 10) / 10;
        long n = 0, twoN = 0;
        for (int attempt = 0; attempt < 10; attempt++) {
            n = allocatedBy(call, 20) / 20;
            twoN = allocatedBy(call, 40) / 40;
            if (twoN <= n + n / 4 + 1024) break;
        }
        assertTrue(twoN <= n + n / 4 + 1024, "bytes per call grew: " + n + " over 20 calls, " + twoN + " over 40");
        return Math.max(n, twoN);
    }

    /** Bytes allocated by every live thread while {@code call} runs {@code times} times. */
    private static long allocatedBy(Runnable call, int times) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long before = sum(mx.getThreadAllocatedBytes(ids));
        for (int i = 0; i < times; i++) call.run();
        return sum(mx.getThreadAllocatedBytes(ids)) - before;
    }

    private static long sum(long[] bytes) {
        long s = 0;
        for (long b : bytes) if (b > 0) s += b;
        return s;
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }
}
