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
 *
 * <pre>{@code
 * RecurrentCell cell = new SimpleRNNCell(8).activation("relu").kernelInitializer(Initializer.get("he_normal"));
 * KerasTensor h = RNN.of(cell).apply(x);
 * Weight k = cell.kernel();   // after the call built it: [input_dim, 8]
 * }</pre>
 *
 * <p>Thread safety: configure the cell before its layer is built and shared (not thread-safe). Its step methods are
 * thread-safe: they write only the calling pass's {@link Sequence} and read the weights.
 */
public abstract class RecurrentCell {
    protected final int units;

    protected RecurrentCell(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Recurrent layer units must be a positive integer, got " + units);
        }
        this.units = units;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int units() { return units; }

    /** Number of state tensors: 2 for LSTM ({@code h}, {@code c}), 1 for GRU and SimpleRNN. Thread-safe: a constant. */
    public abstract int stateCount();

    /** Width of the input projection: {@code gates * units}. Thread-safe: reads configuration fixed before sharing. */
    public abstract int width();

    /**
     * Creates the weights in Keras order through the owning layer.
     * Not thread-safe: called by the owning layer's synchronized build.
     */
    public abstract void build(RNN<?> owner, int inputDim);

    // Options and weights every Keras cell has, with Keras's defaults; the layers set them before build.
    Activation activation = Activation.get("tanh");
    boolean useBias = true;
    Initializer kernelInitializer = Initializer.get("glorot_uniform");
    Initializer recurrentInitializer = Initializer.get("orthogonal");
    Initializer biasInitializer = Initializer.zeros();
    Weight kernel, recurrentKernel, bias;

    /** A new unbuilt cell with the same configuration (Keras's {@code from_config(get_config())}). */
    abstract RecurrentCell copy();

    /** Keras's class name of the cell ({@code LSTMCell}). Thread-safe: a constant. */
    public String className() { return getClass().getSimpleName(); }

    /** Keras's {@code activation} (tanh by default); returns this cell. Not thread-safe: configure before building. */
    public RecurrentCell activation(String name) { activation = org.rnn4j.activations.Activation.get(name); return this; }

    /** Keras's {@code use_bias}; returns this cell. Not thread-safe: configure before building. */
    public RecurrentCell useBias(boolean v) { useBias = v; return this; }

    /** Keras's {@code kernel_initializer}; returns this cell. Not thread-safe: configure before building. */
    public RecurrentCell kernelInitializer(Initializer init) { kernelInitializer = init; return this; }

    /** Keras's {@code recurrent_initializer}; returns this cell. Not thread-safe: configure before building. */
    public RecurrentCell recurrentInitializer(Initializer init) { recurrentInitializer = init; return this; }

    /** Keras's {@code bias_initializer}; returns this cell. Not thread-safe: configure before building. */
    public RecurrentCell biasInitializer(Initializer init) { biasInitializer = init; return this; }

    /** Creates {@code kernel [inputDim, width]}, {@code recurrent_kernel [units, width]} and, with use_bias, the bias. */
    void buildWeights(RNN<?> owner, int inputDim, int[] biasShape, Initializer biasInit) {
        kernel = owner.newWeight("kernel", new int[] {inputDim, width()}, kernelInitializer);
        recurrentKernel = owner.newWeight("recurrent_kernel", new int[] {units, width()}, recurrentInitializer);
        if (useBias) bias = owner.newWeight("bias", biasShape, biasInit);
    }

    /** The input kernel {@code [input_dim, width]}. Thread-safe: the weight object is fixed once built. */
    public Weight kernel() { return kernel; }

    /**
     * The bias added to the input projection ({@code [width]}), or null.
     * Thread-safe: the weight object is fixed once built.
     */
    public Weight inputBias() { return bias; }

    /** The recurrent kernel {@code [units, width]}. Thread-safe: the weight object is fixed once built. */
    public Weight recurrentKernel() { return recurrentKernel; }

    /**
     * The cell's weights in Keras order (then, once quantized, {@code kernel_scale} and {@code recurrent_kernel_scale}).
     * Thread-safe: the list is fixed once built (the values are published by the model).
     */
    public List<Weight> weights() {
        List<Weight> out = new java.util.ArrayList<>(List.of(kernel, recurrentKernel));
        if (bias != null) out.add(bias);
        if (kernelQ != null) {
            out.add(kernelQ.scale());
            out.add(recurrentKernelQ.scale());
        }
        return java.util.Collections.unmodifiableList(out);
    }

    // ---------------------------------------------------------------- int8 (rnn4j's extension of Keras's scheme)

    /** The int8 kernel and recurrent kernel with their per-output-channel scales once quantized, else null. */
    org.rnn4j.layers.QuantizedWeight kernelQ, recurrentKernelQ;

    /**
     * True once the cell's kernels are int8 ({@code Model.quantize("int8")}): the input projection and the
     * recurrent product then run through {@link org.rnn4j.kernels.Int8MatMul} (int8 weights, float activations,
     * float gates and states). Thread-safe: fixed once quantized (published by the model).
     */
    public boolean quantized() { return kernelQ != null; }

    /**
     * Quantizes {@code kernel} and {@code recurrent_kernel}, each per output channel (its {@code width} columns,
     * abs-max over the input axis, as Keras's Dense kernel), in the owner's weight list.
     */
    void quantize(RNN<?> owner) {
        kernelQ = org.rnn4j.layers.QuantizedWeight.replace(owner, kernel, kernel.shape()[0], width());
        recurrentKernelQ = org.rnn4j.layers.QuantizedWeight.replace(owner, recurrentKernel, units, width());
        kernel = kernelQ.values();
        recurrentKernel = recurrentKernelQ.values();
    }

    /**
     * The input projection of a quantized cell for {@code rows} rows of {@code x [rows, input_dim]} at {@code xOff}:
     * {@code zx = bias + x·(W_q / kernel_scale)} (bias null: none). One path for the sequence driver and the
     * streaming step, so both give the same bits. Thread-safe: writes only {@code zx}.
     */
    void projectQuantized(int rows, float[] x, int xOff, float[] bias, float[] zx, int zOff) {
        int w = width(), dim = kernel.shape()[0];
        if (bias != null) for (int r = 0; r < rows; r++) System.arraycopy(bias, 0, zx, zOff + r * w, w);
        org.rnn4j.kernels.Int8MatMul.gemm(rows, x, xOff, dim, kernelQ.matrix(), zx, zOff, w, bias != null);
    }

    /**
     * {@code c (+)= a · U_q[:, col0 .. col0 + cols]} with the int8 recurrent kernel (a quantized cell's recurrent
     * product, or a block of it). Thread-safe: writes only {@code c}.
     */
    void recurrentInt8(int m, float[] a, int aOff, int lda, int col0, int cols, float[] c, int cOff, int ldc,
                       boolean accumulate) {
        org.rnn4j.kernels.Int8MatMul.gemmColumns(m, a, aOff, lda, recurrentKernelQ.matrix(), col0, cols, c, cOff, ldc,
                accumulate);
    }

    /**
     * For the streaming path: this cell's one-timestep kernel with its current weights arranged for single steps,
     * or null (the default) to run {@link #step} on a one-step {@link Sequence}. Made again when a weight's
     * {@link Weight#version} moves.
     * Thread-safe: returns a new packed step over the current weights (callers hold the model's read stamp).
     */
    public StreamStep packStreamStep() { return null; }

    /**
     * Allocates the cell's cache in {@code seq.cellCache}.
     * Thread-safe: writes only {@code seq}, the calling pass's own arrays; weights are read only.
     */
    public abstract void prepare(Sequence seq);

    /**
     * Runs step k for rows {@code r0 <= b < r1} of the batch: reads {@code seq.zx} at k, the states at k and
     * {@code seq.hRec} at k; writes the states at k + 1. It touches nothing of other rows, so the driver may run
     * row blocks on several threads, each through all timesteps ({@link Sequence#blocks}); a row block's rows of
     * step k are contiguous in every per-step array ({@link Sequence#zxOffset}, {@link Sequence#stateOffset}).
     * Thread-safe: writes only rows r0..r1 of {@code seq}, the calling pass's own arrays; weights are read only.
     */
    public abstract void step(Sequence seq, int k, int r0, int r1);

    /**
     * Called once before the backward steps of a sequence (to rearrange weights, say); does nothing by default.
     * Thread-safe: writes only {@code seq}, the calling pass's own arrays.
     */
    public void prepareBackward(Sequence seq) {}

    /**
     * Backward of step k for rows {@code r0 <= b < r1}. On entry {@code dStates[s]} holds the gradient with respect
     * to state s after step k ({@code [batch * units]}, the rows at {@code r0 * units}); on exit it holds the
     * gradient with respect to state s before step k along the direct (non-matrix) paths. Writes all of the rows'
     * block of {@code seq.dzx} at step k (the driver does not clear it between calls) and the gradient with
     * respect to {@code hRec} at k into the same rows of {@code dHRec}.
     * Thread-safe: writes only rows r0..r1 of {@code seq} and the given gradient arrays.
     */
    public abstract void stepBackward(Sequence seq, int k, int r0, int r1, float[][] dStates, float[] dHRec);

    /**
     * True when step k's pre-activations over the whole width are {@code x_k·W + b + hRec_k·U} (LSTM): the driver
     * may then compute both products as one, {@code [x_k, hRec_k]·[W; U]}, and sets
     * {@link Sequence#recurrentProjected} so that {@link #step} adds no recurrent product of its own. False (the
     * default) for a cell that treats the recurrent product apart (GRU's reset gate multiplies it).
     * Thread-safe: a constant.
     */
    public boolean sumsProjections() { return false; }

    /**
     * True (the default) when {@link #stepBackward} reads step k's block of {@code seq.zx} as the step left it.
     * A cell that keeps what its backward needs elsewhere returns false, and the driver may then give all steps
     * one block of {@code zx} ({@link Sequence#oneZBlock}): less memory written per step.
     * Thread-safe: a constant.
     */
    public boolean readsProjectionsInBackward() { return true; }

    /**
     * After all backward steps of row block p ({@link Sequence#blockStart}, {@link Sequence#blockRows}): adds the
     * block's recurrent kernel gradient into {@code dU}, and its part of any gradient the cell owns in the bias
     * (GRU's recurrent bias, row 1) into {@code dBias}, which has the bias's shape; the driver owns the input bias.
     * Thread-safe: writes only the given gradient arrays from {@code seq}.
     */
    public abstract void finishBackward(Sequence seq, int p, float[] dU, float[] dBias);

    /**
     * The cell's own config entries (activation, recurrent_activation, use_bias, initializers, ...).
     * Thread-safe: reads configuration fixed before sharing.
     */
    public abstract Map<String, Object> config();
}
