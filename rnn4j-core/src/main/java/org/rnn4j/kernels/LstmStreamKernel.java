package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * One LSTM timestep for a few independent streams, arranged for the streaming path, where one call does one step
 * and the cost is reading the weights: {@code [kernel; recurrent_kernel]} is packed once (per weight change) as
 * one matrix of {@code input_dim + units} rows, so a step is one matrix-vector product of {@code [x, h]}.
 *
 * <p>The columns are cut into chunks of units, each chunk holding its units' four gate columns (i, f, c, o)
 * contiguously, so a chunk's pre-activations, gates and new states need nothing from other chunks. A step large
 * enough to pay for a hand-off is cut into up to {@link Parallel#threads()} parts of consecutive chunks (claimed by
 * whichever threads are free, see {@link Parallel}); a chunk's arithmetic is the same whichever part or thread runs
 * it, so the results do not depend on the thread count at all.
 *
 * <p>Each stream's row is computed by the same code whatever the number of streams in the call, so a stream's
 * outputs do not depend on which streams it is batched with. Immutable after {@link #pack}; {@link #step} keeps
 * its working arrays per call and thread, so steps of different streams may run concurrently.
 *
 * <pre>{@code
 * LstmStreamKernel k = LstmStreamKernel.pack(kernel, recurrentKernel, bias, inputDim, units, tanh, sigmoid);
 * k.step(1, x, h, c, hOut, cOut);
 * }</pre>
 *
 * <p>Thread safety: immutable once packed; {@code step} is thread-safe (per-thread scratch).
 */
public final class LstmStreamKernel {
    private final int inputDim, units;
    private final Activation activation, recurrentActivation;
    /** Chunk q covers units [from[q], from[q + 1]). */
    private final int[] from;
    private final PackedMatrix[] chunks;
    private final float[][] bias;
    /** The least multiply-adds of a part of a step: smaller steps run on the calling thread (from {@link KernelPlan}). */
    private static final long PART = KernelPlan.active().streamPartWork();

    private LstmStreamKernel(int inputDim, int units, Activation act, Activation ract, int[] from,
                             PackedMatrix[] chunks, float[][] bias) {
        this.inputDim = inputDim;
        this.units = units;
        this.activation = act;
        this.recurrentActivation = ract;
        this.from = from;
        this.chunks = chunks;
        this.bias = bias;
    }

    /**
     * Packs Keras-layout weights: {@code kernel [inputDim, 4*units]}, {@code recurrentKernel [units, 4*units]},
     * {@code bias [4*units]} or null; gate blocks i, f, c, o.
     * Thread-safe: returns a new kernel holding packed copies of the weights.
     */
    public static LstmStreamKernel pack(float[] kernel, float[] recurrentKernel, float[] bias, int inputDim, int units,
                                        Activation act, Activation ract) {
        int rows = inputDim + units, w = 4 * units;
        int[] from = StreamChunks.bounds(units);
        int count = from.length - 1;
        PackedMatrix[] chunks = new PackedMatrix[count];
        float[][] b = new float[count][];
        for (int q = 0; q < count; q++) {
            int u = from[q + 1] - from[q];
            // This chunk's columns, gate by gate: [i(u), f(u), c(u), o(u)], rows [kernel; recurrent_kernel].
            float[] cols = new float[rows * 4 * u];
            b[q] = new float[4 * u];
            for (int g = 0; g < 4; g++) {
                int src = g * units + from[q], dst = g * u;
                for (int r = 0; r < inputDim; r++) System.arraycopy(kernel, r * w + src, cols, r * 4 * u + dst, u);
                for (int r = 0; r < units; r++) {
                    System.arraycopy(recurrentKernel, r * w + src, cols, (inputDim + r) * 4 * u + dst, u);
                }
                if (bias != null) System.arraycopy(bias, src, b[q], dst, u);
            }
            chunks[q] = new PackedMatrix();
            MatMul.pack(false, rows, 4 * u, cols, 0, 4 * u, chunks[q]);
        }
        return new LstmStreamKernel(inputDim, units, act, ract, from, chunks, b);
    }

    /**
     * Advances {@code n} streams one step: {@code x [n, inputDim]}, {@code h}, {@code c} {@code [n, units]} the
     * states before; writes the states after into {@code hOut}, {@code cOut}, which may be {@code h}, {@code c}
     * (in place: {@code h} is copied before any chunk runs, and a chunk reads its part of {@code c} before writing it).
     * Thread-safe: per-thread scratch; writes only {@code hOut} and {@code cOut}.
     */
    public void step(int n, float[] x, float[] h, float[] c, float[] hOut, float[] cOut) {
        int rows = inputDim + units;
        Step job = STEPS.get();
        float[] xh = job.xh.length >= n * rows ? job.xh : (job.xh = new float[n * rows]);
        for (int r = 0; r < n; r++) {
            System.arraycopy(x, r * inputDim, xh, r * rows, inputDim);
            System.arraycopy(h, r * units, xh, r * rows + inputDim, units);
        }
        int count = chunks.length, parts = Parallel.parts((long) n * rows * 4 * units, PART, count);
        if (parts == 1) {
            for (int q = 0; q < count; q++) chunk(q, n, xh, c, hOut, cOut);
            return;
        }
        job.set(this, n, c, hOut, cOut, parts);
        try {
            Parallel.run(parts, job);
        } finally {
            job.set(null, 0, null, null, null, 1);
        }
    }

    /** One split step's arguments, reused by the calling thread (a step allocates nothing). */
    private static final class Step implements Parallel.Task {
        float[] xh = new float[0];
        LstmStreamKernel kernel;
        float[] c, hOut, cOut;
        int n, parts;

        void set(LstmStreamKernel kernel, int n, float[] c, float[] hOut, float[] cOut, int parts) {
            this.kernel = kernel; this.n = n; this.c = c; this.hOut = hOut; this.cOut = cOut; this.parts = parts;
        }

        /**
         * Part p: chunks {@code [p * count / parts, (p + 1) * count / parts)}.
         * Thread-confined: one part of one call, run by that call's Parallel.run.
         */
        @Override
        public void run(int part) {
            int count = kernel.chunks.length;
            for (int q = part * count / parts, end = (part + 1) * count / parts; q < end; q++) kernel.chunk(q, n, xh, c, hOut, cOut);
        }
    }

    private static final ThreadLocal<Step> STEPS = ThreadLocal.withInitial(Step::new);

    /** Pre-activations, gates and new states of chunk {@code q}'s units, for every stream, on this thread. */
    private void chunk(int q, int n, float[] xh, float[] c, float[] hOut, float[] cOut) {
        int u = from[q + 1] - from[q], rows = inputDim + units, w = 4 * u;
        float[] z = StreamChunks.preActivations(u);
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias[q], 0, z, 0, w);
            MatMul.gemmPacked(false, 1, xh, r * rows, rows, chunks[q], z, 0, w, true);
            StreamChunks.gates(r, u, from[q], units, activation, recurrentActivation, c, hOut, cOut);
        }
    }
}
