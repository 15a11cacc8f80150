package org.rnn4j.layers.recurrent;

import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Weight;

/**
 * One timestep of a recurrent layer for a batch of independent streams, outside the sequence driver: the
 * streaming path ({@link org.rnn4j.models.Model#step}). It runs the layer's cell through the same contract the
 * {@link RNN} driver uses (input projection {@code x·W + b}, then {@link RecurrentCell#step} on a one-step
 * {@link Sequence}), so every cell that runs in the driver runs here too, with the same arithmetic per row:
 * stepping a sequence one timestep at a time gives the outputs of running it whole.
 *
 * <p>Thread-safe: the working arrays belong to the call; the layer's weights are only read. Calls on different
 * states may run concurrently on one layer.
 *
 * <pre>{@code
 * float[][] states = {new float[units], new float[units]};   // h, c of one LSTM stream
 * RecurrentStep.run(lstm, 1, x, states, null);                // states[0] is now the output h
 * }</pre>
 *
 * <p>Thread safety: thread-safe, as said above.
 */
public final class RecurrentStep {
    private RecurrentStep() {}

    /**
     * Advances {@code batch} streams by one timestep.
     *
     * Thread-safe: the working arrays belong to the call; calls on distinct state arrays may run concurrently.
     * @param x      inputs {@code [batch, input_dim]}; not modified
     * @param states the states in the cell's order ({@code [h, c]} for LSTM), {@code [batch * units]} each;
     *               modified: replaced by the states after the step. {@code states[0]} is the layer's output.
     * @param keep   per stream, false for a masked timestep (the stream keeps its states, as the driver does);
     *               null keeps every step
     */
    public static void run(RNN<?> layer, int batch, float[] x, float[][] states, boolean[] keep) {
        run(layer, batch, x, states, keep, null);
    }

    /**
     * {@link #run(RNN, int, float[], float[][], boolean[])} through the cell's own {@link StreamStep} when given
     * (made by the caller from the current weights, see {@link RecurrentCell#packStreamStep}).
     * Thread-safe: the working arrays belong to the call; calls on distinct state arrays may run concurrently.
     */
    public static void run(RNN<?> layer, int batch, float[] x, float[][] states, boolean[] keep, StreamStep fast) {
        RecurrentCell cell = layer.cell();
        int h = cell.units(), width = cell.width(), n = cell.stateCount();
        Weight kernel = cell.kernel();
        int dim = kernel.shape()[0];
        if (x.length != batch * dim) {
            throw new IllegalArgumentException("Layer \"" + layer.name() + "\" takes " + dim + " features per timestep, got "
                    + (batch == 0 ? x.length : x.length / (double) batch) + " for each of " + batch + " stream(s)");
        }
        if (fast != null) {
            if (keep == null) {
                fast.step(batch, x, states, states); // in place
                return;
            }
            float[][] next = new float[n][batch * h];
            fast.step(batch, x, states, next);
            for (int s = 0; s < n; s++) {
                for (int b = 0; b < batch; b++) {
                    if (keep == null || keep[b]) System.arraycopy(next[s], b * h, states[s], b * h, h);
                }
            }
            return;
        }
        Sequence seq = new Sequence(batch, 1, h, width, n, false);
        Weight bias = cell.inputBias();
        if (cell.quantized()) {
            // The driver's int8 projection, row for row the same bits (bias first, then the product).
            cell.projectQuantized(batch, x, 0, bias == null ? null : bias.value().data(), seq.zx, 0);
        } else {
            MatMul.gemm(false, false, batch, width, dim, x, 0, dim, kernel.value().data(), 0, width, seq.zx, 0, width, false);
        }
        if (bias != null && !cell.quantized()) {
            float[] bv = bias.value().data();
            for (int r = 0; r < batch; r++) {
                int o = r * width;
                for (int j = 0; j < width; j++) seq.zx[o + j] += bv[j];
            }
        }
        for (int s = 0; s < n; s++) System.arraycopy(states[s], 0, seq.states[s], 0, batch * h);
        cell.prepare(seq);
        cell.step(seq, 0, 0, batch);
        int next = seq.stateOffset(1, 0);
        for (int s = 0; s < n; s++) {
            if (keep == null) {
                System.arraycopy(seq.states[s], next, states[s], 0, batch * h);
            } else {
                for (int b = 0; b < batch; b++) {
                    if (keep[b]) System.arraycopy(seq.states[s], next + b * h, states[s], b * h, h);
                }
            }
        }
    }
}
