package org.rnn4j.kernels;

/**
 * Where cutting a recurrent layer's batch into row blocks pays: rows are independent streams, so a time loop can run
 * as blocks of rows, one per thread, each through all timesteps, for one hand-off per sequence (where splitting each
 * step's products costs one per product and leaves the gate math on one thread). A block gets at least
 * {@link #defaultMinRows} rows (a register tile of the per-step products) and {@link #defaultMinWork} multiply-adds
 * over the sequence (both from {@link KernelPlan}), so a small layer (a tiny LSTM, a short or narrow batch) stays on
 * one thread. {@code -Drnn4j.rowBlocks=false} turns row blocks off.
 *
 * <p>The count depends only on the thread setting and the shapes (see {@link Parallel#parts}), so a call is cut the
 * same way, and gives the same bits, whatever the load.
 *
 * <pre>{@code
 * int blocks = RowBlocks.count(batch, steps, inputDim, units, width);
 * }</pre>
 *
 * <p>Thread safety: {@link #count} is thread-safe (it reads the thread setting and the thresholds); setting the
 * thresholds is for tests and start-up, not thread-safe with running calls.
 */
public final class RowBlocks {
    private static final boolean ENABLED = !"false".equals(System.getProperty("rnn4j.rowBlocks"));

    private static volatile int minRows = defaultMinRows();
    private static volatile long minWork = defaultMinWork();

    private RowBlocks() {}

    /**
     * The fewest rows of a block by default: one register tile of the per-step products
     * ({@link KernelPlan#rowBlockRows()}: 8 rows with the Vector API, 4 in plain Java). Thread-safe: a constant of the plan.
     */
    public static int defaultMinRows() { return KernelPlan.active().rowBlockRows(); }

    /**
     * The fewest multiply-adds of a block over the whole sequence by default ({@link KernelPlan#rowBlockWork()}: a
     * hand-off costs a few microseconds). Thread-safe: a constant of the plan.
     */
    public static long defaultMinWork() { return KernelPlan.active().rowBlockWork(); }

    /**
     * The number of row blocks for a batch of {@code batch} sequences of {@code steps} steps through a cell with input
     * projection {@code [inputDim, width]} and recurrent kernel {@code [units, width]}: 1 when splitting does not
     * pay. Thread-safe.
     */
    public static int count(int batch, int steps, int inputDim, int units, int width) {
        if (!ENABLED) return 1;
        long work = (long) batch * steps * (inputDim + units) * width;
        return Parallel.parts(work, Math.max(1, minWork), batch / Math.max(1, minRows));
    }

    /**
     * Sets the thresholds ({@link #defaultMinRows}, {@link #defaultMinWork} by default): for tests that need small batches cut
     * into many blocks, and for tuning at start-up. Thread-safe; applies to calls that start after it.
     */
    public static void setThresholds(int minRowsPerBlock, long minWorkPerBlock) {
        if (minRowsPerBlock < 1 || minWorkPerBlock < 0) {
            throw new IllegalArgumentException("RowBlocks thresholds: rows >= 1 and work >= 0, got " + minRowsPerBlock
                    + " and " + minWorkPerBlock);
        }
        minRows = minRowsPerBlock;
        minWork = minWorkPerBlock;
    }

    /** Restores the default thresholds. Thread-safe. */
    public static void resetThresholds() {
        minRows = defaultMinRows();
        minWork = defaultMinWork();
    }
}
