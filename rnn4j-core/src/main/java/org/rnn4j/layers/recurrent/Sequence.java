package org.rnn4j.layers.recurrent;

/**
 * The working arrays of one recurrent forward/backward over a batch of sequences, time-major and in processing
 * order (step {@code k} is the k-th step the cell runs, reversed in time for {@code go_backwards}).
 *
 * <p>Owned by the {@link RNN} driver, shared with the {@link RecurrentCell}: the driver fills {@link #zx} with
 * the input projection of all steps in one matrix multiply and keeps the state of every step; the cell reads
 * and writes one step at a time and keeps its own cache in {@link #cellCache}.
 *
 * <p>The batch may be cut into {@link #blocks()} row blocks of consecutive rows ({@link #blockStart}) that threads
 * run through all timesteps, one block per part. Every per-step array is then block-major: all steps of the first
 * block, then all steps of the second, and so on, so each thread writes and reads one contiguous region.
 * (Interleaved by step, the blocks of one array sit side by side, and a time loop on two cores ran 50% slower.)
 * Within a block, step k's rows are contiguous; {@link #zxOffset(int, int)} and {@link #stateOffset(int, int)} give
 * where row b of step k is.
 *
 * <pre>{@code
 * // in a cell's step(seq, k, r0, r1): rows r0..r1 of step k, after adding h·U into seq.zx
 * int m = r1 - r0, zo = seq.zxOffset(k, r0);
 * SimpleRnnStep.forward(m, units, activation, seq.zx, zo, seq.states[0], seq.stateOffset(k + 1, r0));
 * }</pre>
 *
 * <p>Thread safety: thread-confined: one call owns a Sequence at a time (taken from and given back to its layer's pool).
 */
public final class Sequence {
    /** Batch size, steps, units, projection width (gates * units). */
    public final int batch, steps, units, width;
    /** Row block p is rows {@code [starts[p], starts[p + 1])}; {@code starts} has {@code blocks + 1} entries. */
    private final int[] starts;
    /** The row block of each row of the batch. */
    private final int[] blockOf;
    /**
     * Input projections {@code x_k·W + b}, {@code [steps * batch, width]}, row b of step k at {@link #zOffset}; cells
     * may overwrite step k's rows in step k. With {@link #oneZBlock}, one block that every step reuses (the driver
     * projects step by step and the cell's backward does not read it): {@code [blocks * batch, width]}, row block
     * p's rows {@code p} batches further on, so two threads' rows are a batch of rows apart rather than side by side.
     */
    public final float[] zx;
    /** True when {@link #zx} holds one step's block, reused by every step. */
    public final boolean oneZBlock;
    /**
     * Gradients with respect to {@link #zx}, {@code [steps * batch, width]} (laid out as {@link #zxOffset}), written
     * by the cell's backward step. The driver turns them into the kernel and input gradients.
     */
    public float[] dzx;
    /** {@code states[s]}: state s before step k, {@code [(steps + 1) * batch * units]}, row b at {@link #stateOffset}. */
    public final float[][] states;
    /**
     * The hidden state each step multiplies by the recurrent kernel, laid out as {@link #states}: {@code states[0]}
     * unless recurrent dropout.
     */
    public final float[] hRec;
    /** Cell-specific cache (gate activations and such), sized by the cell. */
    public float[][] cellCache;
    /** Cell-specific packed weights for the per-step products (see {@link org.rnn4j.kernels.PackedMatrix}), or null. */
    public org.rnn4j.kernels.PackedMatrix[] packed;
    /** The inputs in processing order {@code [steps * batch, features]} and their gradients (driver-owned). */
    float[] xs, dxs;
    /**
     * The layer's kernel packed for per-step input projections (see {@code RNN#projectsPerStep}), or null; with
     * {@link #recurrentProjected}, the kernel and the recurrent kernel stacked, {@code [W; U]}.
     */
    org.rnn4j.kernels.PackedMatrix kernelPacked;
    /**
     * True when this call's per-step product is {@code [x_k, hRec_k]·[W; U]} (the cell's
     * {@link RecurrentCell#sumsProjections}): {@link #zx} at step k then already holds the recurrent product, and the
     * cell's step adds none. Set by the driver for each call.
     */
    public boolean recurrentProjected;
    /** With {@link #recurrentProjected}: {@code [x_k, hRec_k]} rows, {@code [batch, dim + units]}. */
    float[] xh;
    /**
     * {@code blockGrads[p]} for row blocks {@code p >= 1}: the block's kernel, recurrent kernel and bias gradients,
     * added to the first block's (which go straight into the weights' gradients) in block order after the join.
     */
    final float[][][] blockGrads;
    /** Bumped each time a call takes these arrays, so a stale backward of a stateful call is detected. */
    int generation;

    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec) {
        this(batch, steps, units, width, stateCount, separateHRec, false, 1);
    }

    /** With {@code blocks} row blocks of (nearly) equal size, {@code 1 <= blocks <= batch} (a batch of 0 is one block). */
    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec, boolean oneZBlock,
             int blocks) {
        this.batch = batch;
        this.steps = steps;
        this.units = units;
        this.width = width;
        this.oneZBlock = oneZBlock;
        int nb = Math.max(1, Math.min(blocks, batch));
        this.starts = new int[nb + 1];
        for (int p = 0; p <= nb; p++) starts[p] = (int) ((long) p * batch / nb);
        this.blockOf = new int[batch];
        for (int p = 0; p < nb; p++) java.util.Arrays.fill(blockOf, starts[p], starts[p + 1], p);
        this.blockGrads = new float[nb][][];
        this.zx = new float[(oneZBlock ? nb : steps) * batch * width];
        this.states = new float[stateCount][(steps + 1) * batch * units];
        this.hRec = separateHRec ? new float[(steps + 1) * batch * units] : states[0];
    }

    /** The number of row blocks. Thread-safe: a pure function of the fixed layout. */
    public int blocks() { return starts.length - 1; }

    /** The first row of block p. Thread-safe: a pure function of the fixed layout. */
    public int blockStart(int p) { return starts[p]; }

    /** The number of rows of block p. Thread-safe: a pure function of the fixed layout. */
    public int blockRows(int p) { return starts[p + 1] - starts[p]; }

    /** Where row b of step k (k = 0..steps) is in {@link #states} and {@link #hRec}, in units. Thread-safe: a pure function of the fixed layout. */
    public int stateOffset(int k, int b) {
        // As rowOf, with steps + 1 blocks of rows per row block: one more row per earlier row of the batch.
        return (rowOf(k, b) + starts[blockOf(b)]) * units;
    }

    /** Where row b of step k is in {@link #dzx} (and in per-step caches of the same shape, such as gates). Thread-safe: a pure function of the fixed layout. */
    public int zxOffset(int k, int b) { return rowOf(k, b) * width; }

    /** Where row b of step k is in {@link #zx}: {@link #zxOffset}, or row b's place in the one block ({@link #oneZBlock}). Thread-safe: a pure function of the fixed layout. */
    public int zOffset(int k, int b) {
        if (!oneZBlock) return zxOffset(k, b);
        int p = blockOf(b);
        return (b + p * batch) * width;
    }

    /** The row index of row b of step k in the {@code [steps * batch, n]} arrays ({@link #dzx}, the inputs). */
    int rowOf(int k, int b) {
        int p = blockOf(b), s0 = starts[p], m = starts[p + 1] - s0;
        return steps * s0 + k * m + b - s0;
    }

    /** The row block of row b ({@code b == batch}: the last block, so offsets of one past the end work). */
    private int blockOf(int b) { return b < batch ? blockOf[b] : starts.length - 2; }

    /**
     * Zeroed scratch for row block p's ({@code p >= 1}) kernel, recurrent kernel and bias gradients, made on first
     * use by the thread that runs that block (so it lies in that thread's allocation buffer, away from the other
     * blocks' arrays).
     */
    float[][] zeroedBlockGrads(int p, int kernelSize, int biasSize) {
        float[][] g = blockGrads[p];
        if (g == null || g[0].length != kernelSize || g[2].length != biasSize) {
            g = new float[][] {new float[kernelSize], new float[units * width], new float[biasSize]};
            blockGrads[p] = g;
        } else {
            for (float[] a : g) java.util.Arrays.fill(a, 0f);
        }
        return g;
    }

    /** Copies the {@code [batch, units]} rows of {@code from} into step k of {@code state} (laid out as {@link #states}). */
    void putStates(float[] from, float[] state, int k) {
        for (int p = 0; p < blocks(); p++) {
            int s0 = blockStart(p);
            System.arraycopy(from, s0 * units, state, stateOffset(k, s0), blockRows(p) * units);
        }
    }

    /** Step k of {@code state} as {@code [batch, units]} rows into {@code to}. */
    void getStates(float[] state, int k, float[] to) {
        for (int p = 0; p < blocks(); p++) {
            int s0 = blockStart(p);
            System.arraycopy(state, stateOffset(k, s0), to, s0 * units, blockRows(p) * units);
        }
    }
}
