package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * What the LSTM streaming kernels ({@link LstmStreamKernel} for float32 weights, {@link Int8LstmStreamKernel} for
 * int8) share: how the units are cut into chunks ({@link KernelPlan#streamChunkUnits()} each, every chunk holding its
 * units' four gate columns), and the tail of a chunk's step: its pre-activations through {@link LstmStep} into new
 * states, with per-thread working rows so a step allocates nothing.
 *
 * <pre>{@code
 * int[] from = StreamChunks.bounds(units);                  // chunk q covers units [from[q], from[q + 1])
 * float[] z = StreamChunks.preActivations(u);               // fill with chunk q's pre-activations of stream r
 * StreamChunks.gates(r, u, from[q], units, act, ract, c, hOut, cOut);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions; the working rows are per thread.
 */
final class StreamChunks {
    private StreamChunks() {}

    /** Chunk boundaries: chunk q covers units {@code [from[q], from[q + 1])}. Thread-safe: a pure function. */
    static int[] bounds(int units) {
        int chunk = KernelPlan.active().streamChunkUnits(), count = (units + chunk - 1) / chunk;
        int[] from = new int[count + 1];
        for (int q = 0; q <= count; q++) from[q] = Math.min(units, q * chunk);
        return from;
    }

    /** This thread's pre-activation row of a chunk of {@code u} units ({@code 4u} floats). Thread-confined per thread. */
    static float[] preActivations(int u) { return SCRATCH.get().ensure(u).z; }

    /**
     * Gates and new states of stream {@code r}'s chunk of {@code u} units starting at unit {@code from}, from the
     * pre-activations in {@link #preActivations}: reads its part of {@code c}, writes its part of {@code hOut} and
     * {@code cOut} (which may be {@code c}). Thread-safe: per-thread working rows.
     */
    static void gates(int r, int u, int from, int units, Activation act, Activation ract, float[] c, float[] hOut,
                      float[] cOut) {
        Scratch sc = SCRATCH.get();
        System.arraycopy(c, r * units + from, sc.cs, 0, u);
        LstmStep.forward(1, u, act, ract, sc.z, 0, sc.gates, 0, sc.cs, 0, u, sc.hs, 0);
        System.arraycopy(sc.cs, u, cOut, r * units + from, u);
        System.arraycopy(sc.hs, 0, hOut, r * units + from, u);
    }

    /** Per-thread working rows of one chunk. */
    private static final class Scratch {
        float[] z = new float[0], gates, cs, hs;

        Scratch ensure(int u) {
            if (hs == null || hs.length < u) {
                z = new float[4 * u];
                gates = new float[4 * u];
                cs = new float[2 * u];
                hs = new float[u];
            }
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
}
