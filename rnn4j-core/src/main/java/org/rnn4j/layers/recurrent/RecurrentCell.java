package org.rnn4j.layers.recurrent;

import java.util.List;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import java.util.Map;
import org.rnn4j.layers.Weight;

/**
 * One time step of a recurrent layer (Keras's {@code LSTMCell}, {@code GRUCell}, {@code SimpleRNNCell}).
 * The {@link RNN} driver owns the time loop, masking, direction, dropout and state; the cell owns its weights
 * and the math of one step, forward and backward side by side.
 *
 * <p>The driver computes {@code zx = x·kernel + inputBias()} for all steps at once; the cell adds the recurrent
 * part in {@link #step} and, in {@link #stepBackward}, writes the gradient with respect to {@code zx} from which the
 * driver derives the kernel, input-bias and input gradients. The cell accumulates its recurrent gradients itself
 * in {@link #finishBackward}.
 */
public abstract class RecurrentCell {
    protected final int units;

    protected RecurrentCell(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Recurrent layer units must be a positive integer, got " + units);
        }
        this.units = units;
    }

    public int units() { return units; }

    /** Number of state tensors: 2 for LSTM ({@code h}, {@code c}), 1 for GRU and SimpleRNN. */
    public abstract int stateCount();

    /** Width of the input projection: {@code gates * units}. */
    public abstract int width();

    /** Creates the weights in Keras order through the owning layer. */
    public abstract void build(RNN<?> owner, int inputDim);

    // Options and weights every Keras cell has, with Keras's defaults; the layers set them before build.
    Activation activation = Activation.get("tanh");
    boolean useBias = true;
    Initializer kernelInitializer = Initializer.get("glorot_uniform");
    Initializer recurrentInitializer = Initializer.get("orthogonal");
    Initializer biasInitializer = Initializer.zeros();
    Weight kernel, recurrentKernel, bias;

    /** Creates {@code kernel [inputDim, width]}, {@code recurrent_kernel [units, width]} and, with use_bias, the bias. */
    void buildWeights(RNN<?> owner, int inputDim, int[] biasShape, Initializer biasInit) {
        kernel = owner.newWeight("kernel", new int[] {inputDim, width()}, kernelInitializer);
        recurrentKernel = owner.newWeight("recurrent_kernel", new int[] {units, width()}, recurrentInitializer);
        if (useBias) bias = owner.newWeight("bias", biasShape, biasInit);
    }

    /** The input kernel {@code [input_dim, width]}. */
    public Weight kernel() { return kernel; }

    /** The bias added to the input projection ({@code [width]}), or null. */
    public Weight inputBias() { return bias; }

    /** The recurrent kernel {@code [units, width]}. */
    public Weight recurrentKernel() { return recurrentKernel; }

    /** The cell's weights in Keras order. */
    public List<Weight> weights() {
        return bias == null ? List.of(kernel, recurrentKernel) : List.of(kernel, recurrentKernel, bias);
    }

    /**
     * For the streaming path: this cell's one-timestep kernel with its current weights arranged for single steps,
     * or null (the default) to run {@link #step} on a one-step {@link Sequence}. Made again when a weight's
     * {@link Weight#version} moves.
     */
    public StreamStep packStreamStep() { return null; }

    /** Allocates the cell's cache in {@code seq.cellCache}. */
    public abstract void prepare(Sequence seq);

    /**
     * Runs step k for the whole batch: reads {@code seq.zx} at k, the states at k and {@code seq.hRec} at k;
     * writes the states at k + 1.
     */
    public abstract void step(Sequence seq, int k);

    /** Called once before the backward steps of a sequence (to rearrange weights, say); does nothing by default. */
    public void prepareBackward(Sequence seq) {}

    /**
     * Backward of step k. On entry {@code dStates[s]} holds the gradient with respect to state s after step k
     * ({@code [batch * units]}); on exit it holds the gradient with respect to state s before step k along the
     * direct (non-matrix) paths. Writes all of step k's block of {@code seq.dzx} (the driver does not clear it
     * between calls) and the gradient with respect to {@code hRec} at k
     * into {@code dHRec}.
     */
    public abstract void stepBackward(Sequence seq, int k, float[][] dStates, float[] dHRec);

    /**
     * True (the default) when {@link #stepBackward} reads step k's block of {@code seq.zx} as the step left it.
     * A cell that keeps what its backward needs elsewhere returns false, and the driver may then give all steps
     * one block of {@code zx} ({@link Sequence#oneZBlock}): less memory written per step.
     */
    public boolean readsProjectionsInBackward() { return true; }

    /**
     * True when this cell runs row blocks of a step independently ({@link #stepRows}, {@link #stepBackwardRows}):
     * the driver then gives each thread its own rows for all timesteps (one hand-off per sequence instead of one
     * per product). False by default.
     */
    public boolean stepsRowBlocks() { return false; }

    /**
     * {@link #step} for rows {@code r0 <= b < r1} of the batch only, touching nothing of the other rows, so
     * disjoint row blocks may run on different threads. Only called when {@link #stepsRowBlocks()}.
     */
    public void stepRows(Sequence seq, int k, int r0, int r1) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not step row blocks");
    }

    /** {@link #stepBackward} for rows {@code r0 <= b < r1} (of {@code dStates}, {@code dHRec} too). */
    public void stepBackwardRows(Sequence seq, int k, int r0, int r1, float[][] dStates, float[] dHRec) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not step row blocks");
    }

    /** After all backward steps: accumulates the recurrent kernel (and recurrent bias) gradients. */
    public abstract void finishBackward(Sequence seq);

    /**
     * {@link #finishBackward} for row block p of a sequence cut in two: the recurrent kernel gradient of the block's
     * rows, added into {@code dU} when {@code accumulate}, else written there. Only called when
     * {@link #stepsRowBlocks()}.
     */
    public void finishBackward(Sequence seq, int p, float[] dU, boolean accumulate) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not step row blocks");
    }

    /** The cell's own config entries (activation, recurrent_activation, use_bias, initializers, ...). */
    public abstract Map<String, Object> config();
}
