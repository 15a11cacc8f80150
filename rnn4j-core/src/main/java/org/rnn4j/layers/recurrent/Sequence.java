package org.rnn4j.layers.recurrent;

/**
 * The working arrays of one recurrent forward/backward over a batch of sequences, time-major and in processing
 * order (step {@code k} is the k-th step the cell runs, reversed in time for {@code go_backwards}).
 *
 * <p>Owned by the {@link RNN} driver, shared with the {@link RecurrentCell}: the driver fills {@link #zx} with
 * the input projection of all steps in one matrix multiply and keeps the state of every step; the cell reads
 * and writes one step at a time and keeps its own cache in {@link #cellCache}.
 *
 * <p>The batch may be cut into two row blocks (rows below {@link #split}, and the rest) that two threads run
 * through all timesteps. Every per-step array is then block-major: all steps of the first block, then all steps
 * of the second, so each thread writes and reads one contiguous region. (Interleaved by step, the halves of one
 * array sit side by side, and a time loop on two cores ran 50% slower.) Within a block, step k's rows are
 * contiguous; {@link #zxOffset(int, int)} and {@link #stateOffset(int, int)} give where row b of step k is.
 *
 * <p>Thread safety: thread-confined: belongs to one call; that call's workers write disjoint row blocks.
 */
public final class Sequence {
    /** Batch size, steps, units, projection width (gates * units). */
    public final int batch, steps, units, width;
    /** The first row of the second row block, or {@link #batch} when the batch is one block. */
    public final int split;
    /**
     * Input projections {@code x_k·W + b}, {@code [steps * batch, width]}, row b of step k at {@link #zOffset}; cells
     * may overwrite step k's rows in step k. With {@link #oneZBlock}, one block that every step reuses (the driver
     * projects step by step and the cell's backward does not read it): {@code [2 * batch, width]}, the second row
     * block's rows one batch further on, so the two threads' rows are a batch of rows apart rather than side by side.
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
    /** The layer's kernel packed for per-step input projections (see {@code RNN#projectsPerStep}), or null. */
    org.rnn4j.kernels.PackedMatrix kernelPacked;
    /** The second row block's kernel, recurrent kernel and bias gradients, before they are added to the first's. */
    float[][] secondBlockGrads;
    /** Bumped each time a call takes these arrays, so a stale backward of a stateful call is detected. */
    int generation;

    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec) {
        this(batch, steps, units, width, stateCount, separateHRec, false, batch);
    }

    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec, boolean oneZBlock,
             int split) {
        this.batch = batch;
        this.steps = steps;
        this.units = units;
        this.width = width;
        this.oneZBlock = oneZBlock;
        this.split = split;
        this.zx = new float[(oneZBlock ? 2 : steps) * batch * width];
        this.states = new float[stateCount][(steps + 1) * batch * units];
        this.hRec = separateHRec ? new float[(steps + 1) * batch * units] : states[0];
    }

    /** 1 or 2. Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks). */
    public int blocks() { return split < batch ? 2 : 1; }

    /**
     * The first row of block p.
     * Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks).
     */
    public int blockStart(int p) { return p == 0 ? 0 : split; }

    /**
     * The number of rows of block p.
     * Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks).
     */
    public int blockRows(int p) { return p == 0 ? split : batch - split; }

    /**
     * Where row b of step k (k = 0..steps) is in {@link #states} and {@link #hRec}, in units.
     * Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks).
     */
    public int stateOffset(int k, int b) {
        // As rowOf, with steps + 1 blocks of rows per row block: one more row block's rows before the second.
        return (rowOf(k, b) + (b < split ? 0 : split)) * units;
    }

    /**
     * Where row b of step k is in {@link #dzx} (and in per-step caches of the same shape, such as gates).
     * Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks).
     */
    public int zxOffset(int k, int b) { return rowOf(k, b) * width; }

    /**
     * Where row b of step k is in {@link #zx}: {@link #zxOffset}, or row b's place in the one block ({@link #oneZBlock}).
     * Thread-confined: a Sequence belongs to one call (whose workers run disjoint row blocks).
     */
    public int zOffset(int k, int b) { return oneZBlock ? (b < split ? b : b + batch) * width : zxOffset(k, b); }

    /** The row index of row b of step k in the {@code [steps * batch, n]} arrays ({@link #dzx}, the inputs). */
    int rowOf(int k, int b) {
        int s0 = b < split ? 0 : split, m = b < split ? split : batch - split;
        return steps * s0 + k * m + b - s0;
    }

    /**
     * Zeroed scratch for the second row block's kernel, recurrent kernel and bias gradients, made on first use by the
     * thread that runs that block (so it lies in that thread's allocation buffer, away from the first block's arrays).
     */
    float[][] zeroedSecondBlockGrads(int kernelSize, int biasSize) {
        if (secondBlockGrads == null || secondBlockGrads[0].length != kernelSize || secondBlockGrads[2].length != biasSize) {
            secondBlockGrads = new float[][] {new float[kernelSize], new float[units * width], new float[biasSize]};
        } else {
            for (float[] g : secondBlockGrads) java.util.Arrays.fill(g, 0f);
        }
        return secondBlockGrads;
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
