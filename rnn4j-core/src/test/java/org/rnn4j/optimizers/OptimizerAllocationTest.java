package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.kernels.KernelPlan;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Tensor;

/**
 * An Adam step without clipping allocates nothing once its slots exist, counted over every thread (the step of a
 * large weight runs in parts on the kernels' workers).
 */
class OptimizerAllocationTest {
    @Test
    void anAdamStepAllocatesNothingInTheSteadyState() {
        // A program calls apply with more than one List class (List.of, ArrayList, sublists): so does this test,
        // first, so the JIT compiles apply for several and cannot inline one class's iterator() (whose iterators
        // then escape, one per loop per step).
        Weight spare = new Weight("spare", "spare", Tensor.zeros(3), true);
        Optimizer other = new Adam(1e-3);
        List<List<Weight>> kinds = List.of(List.of(spare), new ArrayList<>(List.of(spare)),
                new java.util.LinkedList<>(List.of(spare)), java.util.Arrays.asList(spare),
                java.util.Collections.unmodifiableList(new ArrayList<>(List.of(spare))));
        for (int i = 0; i < 4000; i++) other.apply(kinds.get(i % kinds.size()));
        for (boolean amsgrad : new boolean[] {false, true}) {
            List<Weight> ws = weights();
            Optimizer adam = new Adam(1e-3, 0.9, 0.999, 1e-7, amsgrad);
            // Until the JIT has compiled the kernel, interpreted Vector API code allocates a box per vector: warm up
            // for a bounded number of blocks (how many depends on the machine's load; nothing here measures time).
            long per100 = Long.MAX_VALUE;
            for (int block = 0; block < 200 && per100 > 0; block++) per100 = allocatedBy(() -> steps(adam, ws, 100));
            // A late recompilation can land in a block: the steady state is any of a few blocks allocating nothing.
            for (int attempt = 0; attempt < 10 && per100 > 0; attempt++) per100 = allocatedBy(() -> steps(adam, ws, 100));
            if (per100 >= 1024) {
                java.util.Map<String, Long> by = allocatedByThread(() -> steps(adam, ws, 100));
                assertTrue(false, "100 Adam steps (amsgrad " + amsgrad + ") allocated " + per100 + " bytes; next 100: " + by);
            }
        }
    }

    private static void steps(Optimizer opt, List<Weight> ws, int n) {
        for (int i = 0; i < n; i++) opt.apply(ws);
    }

    /** A weight large enough to be split over the threads, one of an odd size, and a scalar. */
    private static List<Weight> weights() {
        int big = (int) (2 * KernelPlan.active().updatePartFloats() * Math.max(2, Parallel.threads()) + 5);
        SplittableRandom r = new SplittableRandom(3);
        List<Weight> ws = new ArrayList<>();
        for (int n : new int[] {big, 37, 1}) {
            Weight w = new Weight("w" + n, "layer/w" + n, Tensor.zeros(n), true);
            float[] g = w.grad().data();
            for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
            ws.add(w);
        }
        return ws;
    }

    /** Bytes allocated while {@code r} runs, by every live thread (the kernels' workers too). */
    private static long allocatedBy(Runnable r) {
        long total = 0;
        for (long bytes : allocatedByThread(r).values()) total += bytes;
        return total;
    }

    /** Bytes allocated while {@code r} runs, by each live thread that allocated (name and id). */
    private static java.util.Map<String, Long> allocatedByThread(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = mx.getAllThreadIds();
        long[] before = mx.getThreadAllocatedBytes(ids);
        r.run();
        long[] after = mx.getThreadAllocatedBytes(ids);
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        java.lang.management.ThreadInfo[] info = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (before[i] >= 0 && after[i] > before[i]) {
                out.put((info[i] == null ? "?" : info[i].getThreadName()) + " #" + ids[i], after[i] - before[i]);
            }
        }
        return out;
    }
}
