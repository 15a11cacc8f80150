package org.rnn4j.layers.recurrent;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.kernels.KernelPlan;
import org.rnn4j.kernels.LstmStep;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.LstmStreamKernel;
import org.rnn4j.kernels.PackedMatrix;
import org.rnn4j.layers.Weight;

/**
 * One LSTM step (Keras's {@code LSTMCell}). Weights in Keras order: {@code kernel [input_dim, 4*units]},
 * {@code recurrent_kernel [units, 4*units]}, {@code bias [4*units]}, gate blocks i, f, c, o.
 *
 * <p>{@code z = x·W + h_prev·U + b}; {@code i = ra(z_i)}, {@code f = ra(z_f)}, {@code c = f*c_prev + i*act(z_c)},
 * {@code o = ra(z_o)}, {@code h = o*act(c)}. States: {@code [h, c]}.
 *
 * <pre>{@code
 * model.add(RNN.of(new LSTMCell(32)).returnSequences(true).inputShape(10, 3));   // keras.layers.RNN(LSTMCell(32))
 * model.add(RNN.of(new LSTMCell(8).unitForgetBias(false)));
 * }</pre>
 *
 * <p>Thread safety: as {@link RecurrentCell}.
 */
public final class LSTMCell extends RecurrentCell {
    Activation recurrentActivation = Activation.get("sigmoid");
    boolean unitForgetBias = true;

    /** Not thread-safe: configure the new cell on one thread, then share it. */
    public LSTMCell(int units) { super(units); }

    /** Keras's {@code recurrent_activation} (sigmoid by default); returns this cell. Not thread-safe: configure before building. */
    public LSTMCell recurrentActivation(String name) { recurrentActivation = Activation.get(name); return this; }

    /** Keras's {@code unit_forget_bias} (true by default); returns this cell. Not thread-safe: configure before building. */
    public LSTMCell unitForgetBias(boolean v) { unitForgetBias = v; return this; }

    @Override public int stateCount() { return 2; }

    @Override public int width() { return 4 * units; }

    /** Not thread-safe: called by the owning layer's synchronized build. */
    @Override
    public void build(RNN<?> owner, int inputDim) {
        Initializer init = biasInitializer;
        if (unitForgetBias) {
            // Keras: bias_initializer for i, ones for f, bias_initializer for c and o.
            Initializer base = biasInitializer;
            init = new Initializer() {
                /** Thread-safe as far as {@code r} is: writes only {@code v}. */
                @Override
                public void fill(float[] v, int[] shape, java.util.SplittableRandom r) {
                    base.fill(v, shape, r);
                    Arrays.fill(v, units, 2 * units, 1f);
                }
                /** Thread-safe: reads configuration fixed before sharing. */
                @Override
                public String name() { return base.name(); }
            };
        }
        buildWeights(owner, inputDim, new int[] {4 * units}, init);
    }





    /** Thread-safe: writes only {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void prepare(Sequence seq) {
        int size = seq.steps * seq.batch * seq.width;
        // Activated gates; the sequence's buffers are reused across calls of the same batch shape.
        if (seq.cellCache == null || seq.cellCache[0].length != size) seq.cellCache = new float[][] {new float[size]};
        // The recurrent kernel multiplies every step: rearrange it once per sequence when the batch fills the
        // kernel's register tile (KernelPlan.packsRecurrent). Smaller batches (batch-1 streaming) read it as it is, which costs no packing.
        // The packed copies live in the sequence (not the cell), so concurrent sequences never share them.
        if (packed(seq) && !quantized()) {
            if (seq.packed == null) seq.packed = new PackedMatrix[] {new PackedMatrix(), new PackedMatrix()};
            // (With the recurrent product folded into the driver's, U is packed there, stacked under W.)
            if (!seq.recurrentProjected) MatMul.pack(false, units, seq.width, recurrentKernel.value().data(), 0, seq.width, seq.packed[0]);
        }
    }

    private static boolean packed(Sequence seq) { return KernelPlan.active().packsRecurrent(seq.batch, seq.steps); }

    /**
     * {@code [kernel; recurrent_kernel]} packed as one matrix, cut by units over the threads of {@link org.rnn4j.kernels.Parallel}.
     * Thread-safe: returns a new packed step over the current weights (callers hold the model's read stamp).
     */
    @Override
    public StreamStep packStreamStep() {
        if (quantized()) {
            // The int8 chunks compute each value as the driver's int8 path does: stepping equals predict exactly.
            org.rnn4j.kernels.Int8LstmStreamKernel k = org.rnn4j.kernels.Int8LstmStreamKernel.pack(kernelQ.matrix(),
                    recurrentKernelQ.matrix(), bias == null ? null : bias.value().data(), units, activation, recurrentActivation);
            return (n, x, states, next) -> k.step(n, x, states[0], states[1], next[0], next[1]);
        }
        LstmStreamKernel k = LstmStreamKernel.pack(kernel.value().data(), recurrentKernel.value().data(),
                bias == null ? null : bias.value().data(), kernel.shape()[0], units, activation, recurrentActivation);
        return (n, x, states, next) -> k.step(n, x, states[0], states[1], next[0], next[1]);
    }

    /** z = x·W + b + h·U over all four gates: the driver may fold the recurrent product in. Thread-safe: a constant. */
    @Override
    public boolean sumsProjections() { return !quantized(); }

    /** Thread-safe: writes only {@code seq}, the calling pass's own arrays. */
    @Override
    public void prepareBackward(Sequence seq) {
        // dh_prev = dz · U^T at every step.
        if (packed(seq)) MatMul.pack(true, seq.width, units, recurrentKernel.value().data(), 0, seq.width, seq.packed[1]);
    }

    /** Keras's default activations: the backward works from the activated gates alone. Thread-safe: a constant. */
    @Override
    public boolean readsProjectionsInBackward() { return !LstmStep.specialised(activation, recurrentActivation); }

    /** Thread-safe: writes only rows r0..r1 of {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void step(Sequence seq, int k, int r0, int r1) {
        int w = seq.width, m = r1 - r0;
        int zo = seq.zOffset(k, r0), go = seq.zxOffset(k, r0), so = seq.stateOffset(k, r0), no = seq.stateOffset(k + 1, r0);
        // z_k = zx_k + hRec_k · U, in place in zx (step k's projection is not needed again).
        if (seq.recurrentProjected) {
            // The driver's per-step product already added hRec_k·U.
        } else if (quantized()) {
            recurrentInt8(m, seq.hRec, so, units, 0, w, seq.zx, zo, w, true);
        } else if (packed(seq)) {
            MatMul.gemmPacked(false, m, seq.hRec, so, units, seq.packed[0], seq.zx, zo, w, true);
        } else {
            MatMul.gemm(false, false, m, w, units, seq.hRec, so, units,
                    recurrentKernel.value().data(), 0, w, seq.zx, zo, w, true);
        }
        LstmStep.forward(m, units, activation, recurrentActivation, seq.zx, zo, seq.cellCache[0], go,
                seq.states[1], so, no, seq.states[0], no);
    }

    /** Thread-safe: writes only rows r0..r1 of {@code seq} and the given gradient arrays. */
    @Override
    public void stepBackward(Sequence seq, int k, int r0, int r1, float[][] dStates, float[] dHRec) {
        int w = seq.width, m = r1 - r0, d = r0 * units;
        int zo = seq.zxOffset(k, r0), so = seq.stateOffset(k, r0), no = seq.stateOffset(k + 1, r0);
        // z is read by the generic path only (readsProjectionsInBackward), so zx keeps every step's block there.
        LstmStep.backward(m, units, activation, recurrentActivation, seq.zx, seq.zOffset(k, r0), seq.cellCache[0], zo,
                seq.states[1], so, no, dStates[0], dStates[1], d, seq.dzx, zo);
        // h_prev reaches z only through the recurrent kernel.
        Arrays.fill(dStates[0], d, r1 * units, 0f);
        if (packed(seq)) {
            MatMul.gemmPacked(false, m, seq.dzx, zo, w, seq.packed[1], dHRec, d, units, false);
        } else {
            MatMul.gemm(false, true, m, units, w, seq.dzx, zo, w,
                    recurrentKernel.value().data(), 0, w, dHRec, d, units, false);
        }
    }

    /** Thread-safe: writes only the given gradient arrays from {@code seq}. */
    @Override
    public void finishBackward(Sequence seq, int p, float[] dU, float[] dBias) {
        // dU = sum_k hRec_k^T · dz_k: one matrix multiply over all steps of the block.
        int r0 = seq.blockStart(p);
        MatMul.gemm(true, false, units, seq.width, seq.steps * seq.blockRows(p), seq.hRec, seq.stateOffset(0, r0), units,
                seq.dzx, seq.zxOffset(0, r0), seq.width, dU, 0, seq.width, true);
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("activation", activation.name());
        c.put("recurrent_activation", recurrentActivation.name());
        c.put("use_bias", useBias);
        c.put("unit_forget_bias", unitForgetBias);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("recurrent_initializer", recurrentInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        return c;
    }

    LSTMCell copy() {
        LSTMCell c = new LSTMCell(units);
        c.activation = activation;
        c.recurrentActivation = recurrentActivation;
        c.useBias = useBias;
        c.unitForgetBias = unitForgetBias;
        c.kernelInitializer = kernelInitializer;
        c.recurrentInitializer = recurrentInitializer;
        c.biasInitializer = biasInitializer;
        return c;
    }
}
