package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.KernelPlan;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.kernels.RowBlocks;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The sequence driver shared by LSTM, GRU and SimpleRNN (Keras's {@code RNN} layer). It owns the time loop and
 * every option that is not the cell's math: {@code return_sequences}, {@code return_state}, {@code go_backwards},
 * {@code stateful}, masking, {@code dropout}/{@code recurrent_dropout} and initial states.
 *
 * <p>It runs a whole sequence as one fused operation: the input projection of all timesteps as one matrix
 * multiply, one recurrent step per timestep in the cell, then backward through time with the kernel and input
 * gradients again as one matrix multiply each.
 *
 * <p>Inputs: {@code x [batch, timesteps, features]}, then optionally one tensor per state as the initial state
 * (Keras's {@code initial_state}). Outputs: the output, then the final states when {@code return_state}.
 *
 * <pre>{@code
 * model.add(RNN.of(new LSTMCell(8)).returnSequences(true).goBackwards(true).inputShape(5, 1));
 * model.add(RNN.of(List.of(new LSTMCell(8), new GRUCell(4))));   // stacked cells
 * KerasTensor[] outs = new LSTM(64).returnState(true).applyAll(x);   // output, state_h, state_c
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread. A stateful layer serialises
 * its calls, {@code resetStates} and {@code states()}: concurrent calls are safe, each starting from the state the
 * previous one left, in arrival order.
 *
 * @param <SELF> the concrete layer type, so option setters chain: {@code new LSTM(8).returnSequences(true).goBackwards(true)}
 */
public abstract class RNN<SELF extends RNN<SELF>> extends Layer {
    protected final RecurrentCell cell;
    private boolean returnSequences;
    private boolean returnState;
    private boolean goBackwards;
    private boolean stateful;
    private boolean zeroOutputForMask;
    private float dropout;
    private float recurrentDropout;
    /** Carried states of a stateful layer, {@code [batch * units]} each; null until the first call. */
    private float[][] carried;
    private int carriedBatch = -1;
    /** Held by every call and method that reads or writes the carried states of a stateful layer. */
    private final Object statefulLock = new Object();
    /** Idle working arrays: each call takes its own and gives them back, so concurrent calls never share them. */
    private final SequencePool workspaces = new SequencePool();

    protected RNN(String namePrefix, RecurrentCell cell) {
        super(namePrefix);
        this.cell = cell;
    }

    /**
     * Keras's {@code RNN(cell)}: the generic recurrent layer around one built-in cell, with the numbers of the
     * equivalent layer ({@code RNN.of(new LSTMCell(8))} computes what {@code new LSTM(8)} does).
     * Not thread-safe: build and configure on one thread.
     */
    public static CellRNN of(RecurrentCell cell) { return new CellRNN(cell); }

    /**
     * Keras's {@code RNN(cell)} for a cell composed of {@link org.rnn4j.autodiff.Var} primitives (no backward code).
     * Not thread-safe: configure on one thread.
     */
    public static ComposedRNN of(ComposedCell cell) { return new ComposedRNN(cell); }

    /** Keras's {@code RNN([c1, c2, ...])}: the cells stacked ({@link StackedRNN}). Not thread-safe: configure on one thread. */
    public static StackedRNN of(List<RecurrentCell> cells) { return new StackedRNN(cells); }

    /** Keras's {@code RNN(StackedRNNCells([...]))}. Not thread-safe: configure on one thread. */
    public static StackedRNN of(StackedRNNCells cells) { return new StackedRNN(cells); }

    @SuppressWarnings("unchecked")
    private SELF self() { return (SELF) this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SELF returnSequences(boolean v) { returnSequences = v; return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SELF returnState(boolean v) { returnState = v; return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SELF goBackwards(boolean v) { goBackwards = v; return self(); }

    /**
     * Keeps the final states of each batch as the initial states of the next (needs a fixed batch size).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public SELF stateful(boolean v) { stateful = v; return self(); }

    /**
     * Emit zeros (instead of the previous output) at masked timesteps; Bidirectional sets this with return_sequences.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public SELF zeroOutputForMask(boolean v) { zeroOutputForMask = v; return self(); }

    /**
     * Fraction of the input units to drop in training (one mask per sequence, as Keras).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public SELF dropout(double rate) { dropout = checkRate("dropout", rate); return self(); }

    /**
     * Fraction of the recurrent units to drop in training (one mask per sequence, as Keras).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public SELF recurrentDropout(double rate) { recurrentDropout = checkRate("recurrent_dropout", rate); return self(); }

    private float checkRate(String what, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": " + what + " must be in [0, 1), got " + rate);
        }
        return (float) rate;
    }

    // Regularizers and constraints by Keras weight name, so every cell (LSTM, GRU, SimpleRNN) gets them.

    /** Keras's {@code kernel_regularizer}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF kernelRegularizer(org.rnn4j.regularizers.Regularizer r) { setWeightRegularizer("kernel", r); return self(); }

    /** Keras's {@code recurrent_regularizer}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF recurrentRegularizer(org.rnn4j.regularizers.Regularizer r) { setWeightRegularizer("recurrent_kernel", r); return self(); }

    /** Keras's {@code bias_regularizer}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF biasRegularizer(org.rnn4j.regularizers.Regularizer r) { setWeightRegularizer("bias", r); return self(); }

    /** Keras's {@code kernel_constraint}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF kernelConstraint(org.rnn4j.constraints.Constraint c) { setWeightConstraint("kernel", c); return self(); }

    /** Keras's {@code recurrent_constraint}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF recurrentConstraint(org.rnn4j.constraints.Constraint c) { setWeightConstraint("recurrent_kernel", c); return self(); }

    /** Keras's {@code bias_constraint}. Not thread-safe: configuration; set it before sharing the layer. */
    public SELF biasConstraint(org.rnn4j.constraints.Constraint c) { setWeightConstraint("bias", c); return self(); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public RecurrentCell cell() { return cell; }

    /**
     * Keras's {@code rnn(x, initial_state=[h, c])} in the functional API: the states (one per cell state, each
     * {@code (batch, units)}) become extra inputs of the call, so gradients flow back into whatever produced them.
     *
     * <pre>{@code
     * KerasTensor[] enc = new LSTM(64).returnState(true).applyAll(encoderInputs);
     * KerasTensor dec = new LSTM(64).returnSequences(true).apply(decoderInputs, List.of(enc[1], enc[2]));
     * }</pre>
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor apply(KerasTensor inputs, List<? extends KerasTensor> initialState) {
        return apply(withStates(inputs, initialState));
    }

    /**
     * {@link #apply(KerasTensor, List)} returning every output (with {@code return_state}: output, then states).
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor[] applyAll(KerasTensor inputs, List<? extends KerasTensor> initialState) {
        return applyAll(withStates(inputs, initialState));
    }

    private KerasTensor[] withStates(KerasTensor inputs, List<? extends KerasTensor> initialState) {
        if (initialState.size() != cell.stateCount()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" has " + cell.stateCount() + " state(s) but "
                    + initialState.size() + " initial state tensor(s) were given");
        }
        KerasTensor[] all = new KerasTensor[1 + initialState.size()];
        all[0] = inputs;
        for (int i = 0; i < initialState.size(); i++) all[1 + i] = initialState.get(i);
        return all;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int units() { return cell.units(); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnSequences() { return returnSequences; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnState() { return returnState; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean goBackwards() { return goBackwards; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean stateful() { return stateful; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public float dropout() { return dropout; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public float recurrentDropout() { return recurrentDropout; }

    /**
     * A new unbuilt layer of the same class with the same cell configuration, named {@code name}; each layer class
     * defines it. It passes {@code name} as the naming prefix, so no automatic name ({@code lstm_1}) is used up.
     */
    protected RNN<?> newLayerLikeThis(String name) {
        throw new UnsupportedOperationException("Layer \"" + name() + "\" (" + className() + ") cannot be copied");
    }

    /**
     * A new unbuilt layer with this layer's whole configuration (cell and driver options) under another name, as
     * Keras's {@code from_config(get_config())}; Bidirectional makes its forward and backward layers this way.
     * Thread-safe: reads configuration fixed before sharing; returns a new, unbuilt layer.
     */
    public RNN<?> copyConfig(String newName) {
        RNN<?> c = newLayerLikeThis(newName);
        c.name(newName);
        c.returnSequences = returnSequences;
        c.returnState = returnState;
        c.goBackwards = goBackwards;
        c.stateful = stateful;
        c.zeroOutputForMask = zeroOutputForMask;
        c.dropout = dropout;
        c.recurrentDropout = recurrentDropout;
        c.setTrainable(trainable());
        copyRegularizationTo(c);
        if (quantizeOnBuildMode() != null) c.quantizeOnBuild(quantizeOnBuildMode());
        return c;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean zeroOutputForMask() { return zeroOutputForMask; }

    // ---------------------------------------------------------------- shapes

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: expected ndim=3 "
                    + "(batch, timesteps, features), got ndim=" + s.length + " with shape " + Shapes.toString(s));
        }
        if (s[2] <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" needs a known feature dimension, got "
                    + Shapes.toString(s));
        }
        if (stateful && s[0] <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" is stateful, so it needs a fixed batch size: "
                    + "give the first layer batchInputShape(batchSize, timesteps, features) (Keras: batch_input_shape), "
                    + "got input shape " + Shapes.toString(s));
        }
        for (int i = 1; i < shapes.size(); i++) {
            int[] st = shapes.get(i);
            if (st.length != 2 || st[1] != cell.units()) {
                throw new IllegalArgumentException("Initial state " + (i - 1) + " of layer \"" + name() + "\" must have shape "
                        + "(batch, " + cell.units() + "), got " + Shapes.toString(st));
            }
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        int[] s = in.get(0);
        int[] out = returnSequences ? new int[] {s[0], s[1], cell.units()} : new int[] {s[0], cell.units()};
        if (!returnState) return List.of(out);
        List<int[]> all = new ArrayList<>();
        all.add(out);
        for (int i = 0; i < cell.stateCount(); i++) all.add(new int[] {s[0], cell.units()});
        return all;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return outputShapes(List.of(inputShape)).get(0); }

    @Override
    protected void createWeights(List<int[]> shapes) {
        cell.build(this, shapes.get(0)[2]);
    }

    /**
     * rnn4j's extension of Keras 3's int8 scheme to recurrent layers: {@code kernel} and {@code recurrent_kernel}
     * each int8 with a scale per output channel ({@code kernel_scale}, {@code recurrent_kernel_scale}, abs-max over
     * the input axis); activations, gates and states stay float (weight-only: the inputs are not quantized).
     * Thread-safe: a constant.
     */
    @Override
    public boolean quantizable() { return true; }

    @Override
    protected void quantizeWeights() { cell.quantize(this); }

    /** Lets the cell create weights under this layer's name. */
    Weight newWeight(String name, int[] shape, org.rnn4j.initializers.Initializer init) {
        return addWeight(name, shape, init, true);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Zeroes the carried states. Thread-safe: waits for a running call of this stateful layer, then resets. */
    @Override
    public void resetStates() {
        synchronized (statefulLock) {
            if (carried != null) for (float[] s : carried) Arrays.fill(s, 0f);
        }
    }

    /**
     * Zeroes the carried states of the chosen samples only (batch positions), leaving the others to continue:
     * {@code lstm.resetStates(3)} when the stream in position 3 ends and a new one takes its place.
     * Thread-safe: waits for a running call of this layer, then resets.
     */
    public void resetStates(int... sampleIndices) {
        synchronized (statefulLock) {
            resetSamples(sampleIndices);
        }
    }

    private void resetSamples(int... sampleIndices) {
        int batch = carried != null ? carriedBatch : fixedBatchSize();
        for (int b : sampleIndices) {
            if (b < 0 || (batch > 0 && b >= batch)) {
                throw new IllegalArgumentException("Layer \"" + name() + "\": sample index " + b + " is outside the batch of "
                        + batch);
            }
        }
        if (carried == null) return;
        int h = cell.units();
        for (int b : sampleIndices) for (float[] s : carried) Arrays.fill(s, b * h, (b + 1) * h, 0f);
    }

    /**
     * Sets the carried states to the given values, {@code [batch, units]} each, in the cell's state order
     * ({@code [h, c]} for LSTM); Keras's {@code reset_states(states)}. Only for a stateful layer.
     * Thread-safe: waits for a running call of this layer, then sets them.
     */
    public void resetStates(List<Tensor> states) {
        synchronized (statefulLock) {
            setStates(states);
        }
    }

    private void setStates(List<Tensor> states) {
        int batch = fixedBatchSize();
        if (!stateful || batch <= 0) {
            throw new IllegalStateException("Layer \"" + name() + "\" is not a built stateful layer; only a stateful layer "
                    + "carries states to set");
        }
        if (states == null || states.size() != cell.stateCount()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" has " + cell.stateCount() + " state(s), got "
                    + (states == null ? 0 : states.size()));
        }
        float[][] next = new float[states.size()][];
        for (int s = 0; s < next.length; s++) {
            Tensor t = states.get(s);
            if (t.rank() != 2 || t.shape(0) != batch || t.shape(1) != cell.units()) {
                throw new IllegalArgumentException("State " + s + " of layer \"" + name() + "\" must have shape (" + batch + ", "
                        + cell.units() + "), got " + Shapes.toString(t.shape()));
            }
            next[s] = t.data().clone();
        }
        carried = next;
        carriedBatch = batch;
    }

    /** The batch size the layer was built for, or {@link Shapes#NONE}. */
    private int fixedBatchSize() {
        List<int[]> built = builtInputShapes();
        return built.isEmpty() ? Shapes.NONE : built.get(0)[0];
    }

    /**
     * Keras's RNN input spec: {@code (batch, timesteps, features)} with the built features; any number of steps
     * (a fixed batch for a stateful layer). Initial states must match exactly.
     */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        if (index > 0) return super.acceptsShape(index, built, got);
        return got.length == 3 && got[2] == built[2] && (!stateful || built[0] < 0 || got[0] == built[0]);
    }

    /** A stateful layer names its fixed batch size before the generic shape message. */
    @Override
    protected void checkInputs(Tensor[] inputs) {
        if (stateful) checkStatefulBatch(inputs[0].rank() > 0 ? inputs[0].shape(0) : 0);
        super.checkInputs(inputs);
    }

    /**
     * Copies of the carried states ({@code [batch, units]} each), or null before the first stateful call.
     * Thread-safe: the states between two calls, never half of one.
     */
    public List<Tensor> states() {
        synchronized (statefulLock) {
            return carriedCopies();
        }
    }

    private List<Tensor> carriedCopies() {
        if (carried == null) return null;
        List<Tensor> out = new ArrayList<>();
        for (float[] s : carried) out.add(Tensor.of(s.clone(), carriedBatch, cell.units()));
        return out;
    }

    // ---------------------------------------------------------------- forward and backward through time

    /**
     * Runs the sequence. A stateful layer runs one call at a time (each call starts from the states the previous one
     * left), so its calls are serialised; any other layer's calls run concurrently, each on working arrays of its own.
     */
    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        if (!stateful) return run(inputs, mask, training, training);
        synchronized (statefulLock) {
            return run(inputs, mask, training, training);
        }
    }

    /**
     * The forward pass; with {@code hold} the pass keeps its working arrays until its backward (a training call),
     * otherwise they go back to the pool when the outputs are made and a later backward runs the forward again.
     */
    private Pass run(Tensor[] inputs, Tensor mask, boolean training, boolean hold) {
        if (training && cell.quantized()) throw org.rnn4j.layers.Quantized.noBackward(this);
        Tensor x = inputs[0];
        final int batch = x.shape(0), steps = x.shape(1), dim = x.shape(2);
        final int h = cell.units(), width = cell.width(), nStates = cell.stateCount();
        if (inputs.length > 1 && inputs.length != 1 + nStates) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" takes " + nStates + " initial state(s), got "
                    + (inputs.length - 1));
        }
        if (stateful) checkStatefulBatch(batch);

        // Dropout masks: one per sequence, shared by all timesteps (Keras's get_dropout_mask).
        final float[] inMask = training && dropout > 0 ? Rnn4j.draw(r -> Dropout.dropoutMask(batch * dim, dropout, r)) : null;
        final float[] recMask = training && recurrentDropout > 0
                ? Rnn4j.draw(r -> Dropout.dropoutMask(batch * h, recurrentDropout, r)) : null;

        // Inputs to time-major, processing order: xs[k, b, :] = x[b, t(k), :].
        // Working arrays reused across calls of this batch shape: the time loop allocates nothing.
        // (A quantized cell projects all steps at once, through the int8 kernel the streaming step uses too.)
        final boolean perStep = !cell.quantized() && projectsPerStep(batch, steps, dim, width, cell.sumsProjections());
        final Sequence seq = workspace(batch, steps, dim, h, width, nStates, recMask != null,
                perStep && !cell.readsProjectionsInBackward(), RowBlocks.count(batch, steps, dim, h, width));
        seq.recurrentProjected = perStep && cell.sumsProjections();
        final int generation = seq.generation;
        final float[] xs = seq.xs;
        final float[] xd = x.data();
        // (Step by step, each row block copies its own rows in the time loop.)
        if (!perStep) for (int k = 0; k < steps; k++) timeMajor(seq, xd, xs, inMask, dim, k, 0, batch);
        // Time mask in processing order; null when every step is kept.
        final boolean[] keep = processingMask(mask, batch, steps);

        // The input projection x_k·W + b: of all timesteps as one matrix multiply, or step by step inside the time
        // loop when the kernel is small (then each step's block is still in cache when the cell reads it).
        Weight bias = cell.inputBias();
        final float[] bv = bias == null ? null : bias.value().data();
        if (cell.quantized()) {
            cell.projectQuantized(steps * batch, xs, 0, bv, seq.zx, 0);
        } else if (perStep) {
            if (seq.kernelPacked == null) seq.kernelPacked = new PackedMatrix();
            if (seq.recurrentProjected) {
                // One product per step, [x_k, hRec_k]·[W; U]: one pass over z and one packing of A instead of two.
                if (seq.xh == null || seq.xh.length != batch * (dim + h)) seq.xh = new float[batch * (dim + h)];
                MatMul.packStacked(dim, cell.kernel().value().data(), h, cell.recurrentKernel().value().data(), width,
                        seq.kernelPacked);
            } else {
                MatMul.pack(false, dim, width, cell.kernel().value().data(), 0, width, seq.kernelPacked);
            }
        } else {
            if (bv != null) {
                for (int r = 0; r < steps * batch; r++) System.arraycopy(bv, 0, seq.zx, r * width, width);
            }
            MatMul.gemm(false, false, steps * batch, width, dim, xs, 0, dim, cell.kernel().value().data(), 0, width,
                    seq.zx, 0, width, bv != null);
        }
        for (int s = 0; s < nStates; s++) {
            if (inputs.length > 1) {
                seq.putStates(inputs[1 + s].data(), seq.states[s], 0);
            } else if (stateful && carried != null) {
                seq.putStates(carried[s], seq.states[s], 0);
            } else {
                for (int p = 0; p < seq.blocks(); p++) {
                    int so = seq.stateOffset(0, seq.blockStart(p));
                    Arrays.fill(seq.states[s], so, so + seq.blockRows(p) * h, 0f);
                }
            }
        }
        cell.prepare(seq);
        inRowBlocks(seq, (part, r0, r1) -> forwardRows(seq, keep, recMask, perStep ? xd : null, inMask, bv, r0, r1));

        // Outputs.
        float[] h0 = seq.states[0];
        Tensor out;
        if (returnSequences) {
            float[] o = new float[batch * steps * h];
            for (int k = 0; k < steps; k++) {
                for (int b = 0; b < batch; b++) {
                    if (zeroOutputForMask && keep != null && !keep[k * batch + b]) continue;
                    System.arraycopy(h0, seq.stateOffset(k + 1, b), o, (b * steps + k) * h, h);
                }
            }
            out = Tensor.of(o, batch, steps, h);
        } else {
            float[] o = new float[batch * h];
            seq.getStates(h0, steps, o);
            if (zeroOutputForMask && keep != null) {
                for (int b = 0; b < batch; b++) if (!keep[(steps - 1) * batch + b]) Arrays.fill(o, b * h, (b + 1) * h, 0f);
            }
            out = Tensor.of(o, batch, h);
        }
        Tensor[] outs = new Tensor[returnState ? 1 + nStates : 1];
        outs[0] = out;
        for (int s = 0; s < nStates; s++) {
            float[] fin = new float[batch * h];
            seq.getStates(seq.states[s], steps, fin);
            if (returnState) outs[1 + s] = Tensor.of(fin, batch, h);
            if (stateful) carried[s] = fin.clone();
        }
        Tensor outMask = returnSequences ? mask : null;
        final int nInputs = inputs.length;
        final Tensor callMask = mask; // (inside the Pass, "mask" is the pass's output mask)
        if (!hold) workspaces.give(seq);

        return new Pass(outs, outMask) {
            /** Whether the working arrays went back to the pool (an inference call, or a backward already ran). */
            private boolean given = !hold;

            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (cell.quantized()) throw org.rnn4j.layers.Quantized.noBackward(RNN.this);
                if (given) {
                    if (!stateful) {
                        // Inference-mode call (gradients of a frozen model) or a second backward: the arrays may serve
                        // another call by now, so run this call's forward again on arrays it holds (deterministic
                        // without dropout, which inference mode has off), then its backward.
                        return run(inputs, callMask, false, true).backward(grads);
                    }
                    synchronized (statefulLock) {
                        // Stateful: the forward cannot be repeated (the carried states moved on). The arrays are this
                        // call's still if no other call took them since; stateful calls take them under this lock.
                        if (seq.generation != generation) {
                            throw new IllegalStateException("Layer \"" + name() + "\" is stateful and ran forward again "
                                    + "before the backward of an inference-mode call; call backward right after forward");
                        }
                        return backwardOnce(grads);
                    }
                }
                given = true;
                Tensor[] dIn = backwardOnce(grads);
                workspaces.give(seq);
                return dIn;
            }

            private Tensor[] backwardOnce(Tensor[] grads) {
                float[][] dStates = new float[nStates][batch * h];
                // Not cleared between calls: every backward step writes its whole block (RecurrentCell#stepBackward).
                if (seq.dzx == null || seq.dzx.length != steps * batch * width) seq.dzx = new float[steps * batch * width];
                for (int s = 0; s < nStates && returnState; s++) {
                    if (grads.length > 1 + s && grads[1 + s] != null) add(dStates[s], grads[1 + s].data());
                }
                if (grads[0] != null && !returnSequences) {
                    float[] dLast = grads[0].data();
                    for (int b = 0; b < batch; b++) {
                        if (zeroOutputForMask && keep != null && !keep[(steps - 1) * batch + b]) continue;
                        for (int j = 0; j < h; j++) dStates[0][b * h + j] += dLast[b * h + j];
                    }
                }
                float[] dOut = grads[0] == null || !returnSequences ? null : grads[0].data();
                // Per row block: its state gradients (blocks after the first start from a copy), the gradient of hRec
                // and scratch for masked rows. Each is allocated by the thread that runs the block, away from the other
                // blocks': two threads writing arrays side by side at every step slow each other down (see Sequence).
                int blocks = seq.blocks();
                float[][][] dStatesOf = new float[blocks][][];
                float[] kernelGrad = cell.kernel().grad().data(), recurrentGrad = cell.recurrentKernel().grad().data();
                float[] biasGrad = bias == null ? null : bias.grad().data();
                cell.prepareBackward(seq);
                inRowBlocks(seq, (part, r0, r1) -> {
                    // The block's weight gradients on its own thread, the input bias's (the column sums of dz) as it
                    // goes and the rest while its dz is in that core's cache: the first block adds into the
                    // gradients, every other block into zeroed scratch of its own, added below in block order.
                    float[][] g = part == 0 ? new float[][] {kernelGrad, recurrentGrad, biasGrad}
                            : seq.zeroedBlockGrads(part, kernelGrad.length, biasGrad == null ? 0 : biasGrad.length);
                    float[][] ds = part == 0 ? dStates : new float[nStates][];
                    for (int s = 0; part > 0 && s < nStates; s++) ds[s] = dStates[s].clone();
                    float[][] saved = keep == null ? null : new float[nStates][batch * h];
                    backwardRows(seq, keep, recMask, dOut, ds, new float[batch * h], saved, bias == null ? null : g[2], r0, r1);
                    dStatesOf[part] = ds;
                    kernelGradient(seq, part, g[0]);
                    cell.finishBackward(seq, part, g[1], g[2]);
                });
                // The join: blocks 1, 2, ... added in that order, whichever threads ran them, so the sums are the same
                // bits at every load (see Parallel).
                for (int p = 1; p < blocks; p++) {
                    int r0 = seq.blockStart(p), rows = seq.blockRows(p);
                    for (int s = 0; s < nStates; s++) System.arraycopy(dStatesOf[p][s], r0 * h, dStates[s], r0 * h, rows * h);
                    float[][] g = seq.blockGrads[p];
                    add(kernelGrad, g[0]);
                    add(recurrentGrad, g[1]);
                    if (biasGrad != null) add(biasGrad, g[2]);
                }
                Tensor[] dIn = new Tensor[nInputs];
                for (int s = 0; s + 1 < nInputs; s++) dIn[1 + s] = Tensor.of(dStates[s], batch, h);
                if (!inputGradientsWanted()) return dIn; // fed by the model's data: skip dx = dz·W^T and its array
                if (seq.dxs == null || seq.dxs.length != steps * batch * dim) seq.dxs = new float[steps * batch * dim];
                float[] dxs = seq.dxs;
                MatMul.gemm(false, true, steps * batch, dim, width, seq.dzx, 0, width,
                        cell.kernel().value().data(), 0, width, dxs, 0, dim, false);
                float[] dx = new float[batch * steps * dim];
                for (int k = 0; k < steps; k++) {
                    int t = goBackwards ? steps - 1 - k : k;
                    for (int b = 0; b < batch; b++) {
                        int src = seq.rowOf(k, b) * dim, dst = (b * steps + t) * dim;
                        if (inMask == null) {
                            System.arraycopy(dxs, src, dx, dst, dim);
                        } else {
                            for (int j = 0; j < dim; j++) dx[dst + j] = dxs[src + j] * inMask[b * dim + j];
                        }
                    }
                }
                dIn[0] = Tensor.of(dx, batch, steps, dim);
                return dIn;
            }
        };
    }

    /** Adds the kernel gradient {@code xs^T · dz} of row block p, over all its timesteps at once, into {@code dW}. */
    private void kernelGradient(Sequence seq, int p, float[] dW) {
        int dim = cell.kernel().shape()[0], width = seq.width, row = seq.rowOf(0, seq.blockStart(p));
        MatMul.gemm(true, false, dim, width, seq.steps * seq.blockRows(p), seq.xs, row * dim, dim, seq.dzx, row * width,
                width, dW, 0, width, true);
    }

    /** Rows {@code r0 <= b < r1} of the batch, as part {@code part} of a split into row blocks. */
    @FunctionalInterface
    private interface RowBlock {
        void run(int part, int r0, int r1);
    }

    /**
     * Runs {@code work} on each of the sequence's row blocks ({@link RowBlocks#count} of them), spread over the threads
     * of {@link Parallel}, each block through all timesteps.
     */
    private static void inRowBlocks(Sequence seq, RowBlock work) {
        if (seq.blocks() == 1) {
            work.run(0, 0, seq.batch);
            return;
        }
        Parallel.run(seq.blocks(), p -> work.run(p, seq.blockStart(p), seq.blockStart(p) + seq.blockRows(p)));
    }

    /**
     * Whether the input projection runs step by step in the time loop ({@code x_k·W + b} for the step's rows just
     * before the cell's step) rather than as one product over all timesteps: when the batch fills the kernel's row
     * tile and either the cell lets the driver fold its recurrent product in ({@code fused}: one product per step) or
     * the packed kernel is small enough to stay in cache beside the recurrent kernel (a quarter of L2, at most
     * 256 KB): {@link KernelPlan#projectsPerStep}. The one large product writes every step's block to memory and
     * reads it back (for the small workload, B32 T50 I8 H64, 1.6 MB each way: a third of a forward pass; for the
     * large one 26 MB); per step, the block is in cache when the cell reads it.
     */
    private static boolean projectsPerStep(int batch, int steps, int dim, int width, boolean fused) {
        return KernelPlan.active().projectsPerStep(batch, steps, dim, width, fused);
    }

    /** Step k's rows {@code r0 <= b < r1} of the input {@code x [batch, steps, dim]} into time-major {@code xs}. */
    private void timeMajor(Sequence seq, float[] x, float[] xs, float[] inMask, int dim, int k, int r0, int r1) {
        int steps = seq.steps, t = goBackwards ? steps - 1 - k : k;
        for (int b = r0; b < r1; b++) {
            int src = (b * steps + t) * dim, dst = seq.rowOf(k, b) * dim;
            if (inMask == null) {
                System.arraycopy(x, src, xs, dst, dim);
            } else {
                for (int j = 0; j < dim; j++) xs[dst + j] = x[src + j] * inMask[b * dim + j];
            }
        }
    }

    /**
     * The forward time loop for rows {@code r0 <= b < r1}: every write is to those rows. Given the input {@code x}
     * (step-by-step projection), each step starts with the rows' time-major copy and their projection
     * {@code bias + x_k·W} ({@code bias} may be null).
     */
    private void forwardRows(Sequence seq, boolean[] keep, float[] recMask, float[] x, float[] inMask, float[] bias,
                             int r0, int r1) {
        int batch = seq.batch, h = seq.units, width = seq.width;
        boolean perStep = x != null, joint = seq.recurrentProjected;
        int dim = seq.kernelPacked == null ? 0 : seq.kernelPacked.rows() - (joint ? h : 0), xhw = dim + h;
        for (int k = 0; k < seq.steps; k++) {
            int so = seq.stateOffset(k, r0);
            if (recMask != null) {
                for (int i = 0; i < (r1 - r0) * h; i++) seq.hRec[so + i] = seq.states[0][so + i] * recMask[r0 * h + i];
            }
            if (perStep) {
                timeMajor(seq, x, seq.xs, inMask, dim, k, r0, r1);
                int zo = seq.zOffset(k, r0), xo = seq.rowOf(k, r0) * dim;
                if (bias != null) {
                    for (int r = 0; r < r1 - r0; r++) System.arraycopy(bias, 0, seq.zx, zo + r * width, width);
                }
                if (joint) {
                    // [x_k, hRec_k] rows, then z = b + [x_k, hRec_k]·[W; U] in one product.
                    for (int r = 0; r < r1 - r0; r++) {
                        System.arraycopy(seq.xs, xo + r * dim, seq.xh, (r0 + r) * xhw, dim);
                        System.arraycopy(seq.hRec, so + r * h, seq.xh, (r0 + r) * xhw + dim, h);
                    }
                    MatMul.gemmPacked(false, r1 - r0, seq.xh, r0 * xhw, xhw, seq.kernelPacked, seq.zx, zo, width, bias != null);
                } else {
                    MatMul.gemmPacked(false, r1 - r0, seq.xs, xo, dim, seq.kernelPacked, seq.zx, zo, width, bias != null);
                }
            }
            cell.step(seq, k, r0, r1);
            if (keep != null) {
                // A masked step keeps the previous states (Keras's masking semantics).
                for (int b = r0; b < r1; b++) {
                    if (keep[k * batch + b]) continue;
                    for (float[] st : seq.states) System.arraycopy(st, seq.stateOffset(k, b), st, seq.stateOffset(k + 1, b), h);
                }
            }
        }
    }

    /**
     * The backward time loop for rows {@code r0 <= b < r1}: {@code dOut} is the gradient of the returned sequence
     * (null when only the last output is returned), {@code saved} scratch for masked rows; the rows' column sums of
     * dz are added into the first {@code width} values of {@code db} (the input bias gradient; null: no bias).
     */
    private void backwardRows(Sequence seq, boolean[] keep, float[] recMask, float[] dOut, float[][] dStates,
                              float[] dHRec, float[][] saved, float[] db, int r0, int r1) {
        int batch = seq.batch, steps = seq.steps, h = seq.units, nStates = dStates.length;
        for (int k = steps - 1; k >= 0; k--) {
            if (dOut != null) {
                for (int b = r0; b < r1; b++) {
                    if (zeroOutputForMask && keep != null && !keep[k * batch + b]) continue;
                    int src = (b * steps + k) * h;
                    for (int j = 0; j < h; j++) dStates[0][b * h + j] += dOut[src + j];
                }
            }
            if (keep != null) {
                // Masked rows pass their state gradients straight through the step.
                for (int b = r0; b < r1; b++) {
                    if (keep[k * batch + b]) continue;
                    for (int s = 0; s < nStates; s++) {
                        System.arraycopy(dStates[s], b * h, saved[s], b * h, h);
                        Arrays.fill(dStates[s], b * h, (b + 1) * h, 0f);
                    }
                }
            }
            cell.stepBackward(seq, k, r0, r1, dStates, dHRec);
            for (int i = r0 * h; i < r1 * h; i++) dStates[0][i] += recMask == null ? dHRec[i] : dHRec[i] * recMask[i];
            if (db != null) {
                int width = seq.width;
                for (int r = r0, o = seq.zxOffset(k, r0); r < r1; r++, o += width) {
                    for (int j = 0; j < width; j++) db[j] += seq.dzx[o + j];
                }
            }
            if (keep != null) {
                for (int b = r0; b < r1; b++) {
                    if (keep[k * batch + b]) continue;
                    for (int s = 0; s < nStates; s++) System.arraycopy(saved[s], b * h, dStates[s], b * h, h);
                }
            }
        }
    }

    /** Working arrays of this shape from the pool (made when none is idle), owned by the calling pass. */
    private Sequence workspace(int batch, int steps, int dim, int h, int width, int nStates, boolean separateHRec,
                               boolean oneZBlock, int blocks) {
        Sequence s = workspaces.take(w -> w.batch == batch && w.steps == steps && w.units == h && w.width == width
                && w.states.length == nStates && (w.hRec != w.states[0]) == separateHRec && w.oneZBlock == oneZBlock
                && w.blocks() == Math.max(1, Math.min(blocks, batch)));
        if (s == null) s = new Sequence(batch, steps, h, width, nStates, separateHRec, oneZBlock, blocks);
        if (s.xs == null || s.xs.length != steps * batch * dim) s.xs = new float[steps * batch * dim];
        s.generation++;
        return s;
    }

    private void checkStatefulBatch(int batch) {
        synchronized (statefulLock) {
            checkStatefulBatchLocked(batch);
        }
    }

    private void checkStatefulBatchLocked(int batch) {
        int[] built = builtInputShapes().get(0);
        int expected = built[0] > 0 ? built[0] : carriedBatch;
        if (expected > 0 && batch != expected) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" is stateful with a fixed batch size of " + expected
                    + ", but got a batch of " + batch + " samples: feed batches of exactly " + expected
                    + " samples (the sample count must be a multiple of it)");
        }
        if (carried == null) {
            carried = new float[cell.stateCount()][batch * cell.units()];
            carriedBatch = batch;
        }
    }

    private boolean[] processingMask(Tensor mask, int batch, int steps) {
        if (mask == null) return null;
        float[] m = mask.data();
        if (m.length != batch * steps) {
            throw new IllegalArgumentException("Mask for layer \"" + name() + "\" has " + m.length + " values, expected "
                    + batch + " x " + steps);
        }
        boolean[] keep = new boolean[steps * batch];
        boolean any = false;
        for (int k = 0; k < steps; k++) {
            int t = goBackwards ? steps - 1 - k : k;
            for (int b = 0; b < batch; b++) {
                keep[k * batch + b] = m[b * steps + t] != 0f;
                any |= !keep[k * batch + b];
            }
        }
        return any ? keep : null;
    }

    private static void add(float[] into, float[] v) {
        for (int i = 0; i < into.length; i++) into[i] += v[i];
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", cell.units());
        c.putAll(cell.config());
        putRegularizationConfig(c, "kernel", "recurrent_kernel", "bias");
        c.put("dropout", dropout);
        c.put("recurrent_dropout", recurrentDropout);
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        c.put("unroll", false);
        c.put("zero_output_for_mask", zeroOutputForMask);
        c.put("seed", null);
        return c;
    }
}
