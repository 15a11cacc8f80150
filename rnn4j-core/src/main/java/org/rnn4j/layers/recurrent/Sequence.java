package org.rnn4j.layers.recurrent;

/**
 * The working arrays of one recurrent forward/backward over a batch of sequences, time-major and in processing
 * order (step {@code k} is the k-th step the cell runs, reversed in time for {@code go_backwards}).
 *
 * <p>Owned by the {@link RNN} driver, shared with the {@link RecurrentCell}: the driver fills {@link #zx} with
 * the input projection of all steps in one matrix multiply and keeps the state of every step; the cell reads
 * and writes one step at a time and keeps its own cache in {@link #cellCache}.
 */
public final class Sequence {
    /** Batch size, steps, units, projection width (gates * units). */
    public final int batch, steps, units, width;
    /**
     * Input projections {@code x_k·W + b}, {@code [steps * batch, width]}, step k's block at {@link #zOffset}; cells
     * may overwrite step k's block in step k. With {@link #oneZBlock}, one block {@code [batch, width]} that every
     * step reuses (the driver projects step by step and the cell's backward does not read it).
     */
    public final float[] zx;
    /** True when {@link #zx} holds one step's block, reused by every step. */
    public final boolean oneZBlock;
    /**
     * Gradients with respect to {@link #zx}, {@code [steps * batch, width]}, written by the cell's backward step.
     * The driver turns them into the kernel and input gradients with one matrix multiply each.
     */
    public float[] dzx;
    /** {@code states[s]}: state s before step k at {@code [k * batch * units]}, for k = 0..steps. */
    public final float[][] states;
    /** The hidden state each step multiplies by the recurrent kernel: {@code states[0]} unless recurrent dropout. */
    public final float[] hRec;
    /** Cell-specific cache (gate activations and such), sized by the cell. */
    public float[][] cellCache;
    /** Cell-specific packed weights for the per-step products (see {@link org.rnn4j.kernels.PackedMatrix}), or null. */
    public org.rnn4j.kernels.PackedMatrix[] packed;
    /** The inputs in processing order {@code [steps * batch, features]} and their gradients (driver-owned). */
    float[] xs, dxs;
    /** The layer's kernel packed for per-step input projections (see {@code RNN#projectsPerStep}), or null. */
    org.rnn4j.kernels.PackedMatrix kernelPacked;
    /** Held by a training call until its backward; bumped at every call, so a stale backward is detected. */
    boolean leased;
    int generation;

    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec) {
        this(batch, steps, units, width, stateCount, separateHRec, false);
    }

    Sequence(int batch, int steps, int units, int width, int stateCount, boolean separateHRec, boolean oneZBlock) {
        this.batch = batch;
        this.steps = steps;
        this.units = units;
        this.width = width;
        this.oneZBlock = oneZBlock;
        this.zx = new float[(oneZBlock ? 1 : steps) * batch * width];
        this.states = new float[stateCount][(steps + 1) * batch * units];
        this.hRec = separateHRec ? new float[steps * batch * units] : states[0];
    }

    /** Offset of step k's state block in {@link #states} (k = 0..steps) and of step k's block in {@link #hRec}. */
    public int stateOffset(int k) { return k * batch * units; }

    /** Offset of step k's block in {@link #dzx} (and in per-step caches of the same shape, such as gates). */
    public int zxOffset(int k) { return k * batch * width; }

    /** Offset of step k's block in {@link #zx}: {@link #zxOffset}, or 0 with {@link #oneZBlock}. */
    public int zOffset(int k) { return oneZBlock ? 0 : k * batch * width; }
}
