package org.rnn4j.layers.recurrent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.SimpleRnnStep;
import org.rnn4j.layers.Weight;

/**
 * One SimpleRNN step (Keras's {@code SimpleRNNCell}): {@code h' = act(x·W + b + h·U)}. Weights in Keras order:
 * {@code kernel [input_dim, units]}, {@code recurrent_kernel [units, units]}, {@code bias [units]}. State: {@code [h]}.
 *
 * <pre>{@code
 * model.add(RNN.of(new SimpleRNNCell(16).activation("relu")).inputShape(10, 3));   // keras.layers.RNN(SimpleRNNCell(16, activation="relu"))
 * }</pre>
 *
 * <p>Thread safety: as {@link RecurrentCell}.
 */
public final class SimpleRNNCell extends RecurrentCell {

    /** Not thread-safe: configure the new cell on one thread, then share it. */
    public SimpleRNNCell(int units) { super(units); }

    @Override public int stateCount() { return 1; }

    @Override public int width() { return units; }

    /** Not thread-safe: called by the owning layer's synchronized build. */
    @Override
    public void build(RNN<?> owner, int inputDim) {
        buildWeights(owner, inputDim, new int[] {units}, biasInitializer);
    }





    /** Thread-safe: writes only {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void prepare(Sequence seq) {
        seq.cellCache = new float[0][];
    }

    /** Thread-safe: writes only rows r0..r1 of {@code seq}, the calling pass's own arrays; weights are read only. */
    @Override
    public void step(Sequence seq, int k, int r0, int r1) {
        int m = r1 - r0, zo = seq.zxOffset(k, r0), so = seq.stateOffset(k, r0);
        // pre_k = zx_k + hRec_k·U, in place in zx (kept for backward).
        if (quantized()) {
            recurrentInt8(m, seq.hRec, so, units, 0, units, seq.zx, zo, units, true);
        } else {
            MatMul.gemm(false, false, m, units, units, seq.hRec, so, units,
                    recurrentKernel.value().data(), 0, units, seq.zx, zo, units, true);
        }
        SimpleRnnStep.forward(m, units, activation, seq.zx, zo, seq.states[0], seq.stateOffset(k + 1, r0));
    }

    /** Thread-safe: writes only rows r0..r1 of {@code seq} and the given gradient arrays. */
    @Override
    public void stepBackward(Sequence seq, int k, int r0, int r1, float[][] dStates, float[] dHRec) {
        int m = r1 - r0, zo = seq.zxOffset(k, r0), d = r0 * units;
        SimpleRnnStep.backward(m, units, activation, seq.zx, zo, seq.states[0], seq.stateOffset(k + 1, r0),
                dStates[0], d, seq.dzx, zo);
        MatMul.gemm(false, true, m, units, units, seq.dzx, zo, units,
                recurrentKernel.value().data(), 0, units, dHRec, d, units, false);
    }

    /** Thread-safe: writes only the given gradient arrays from {@code seq}. */
    @Override
    public void finishBackward(Sequence seq, int p, float[] dU, float[] dBias) {
        int r0 = seq.blockStart(p);
        MatMul.gemm(true, false, units, units, seq.steps * seq.blockRows(p), seq.hRec, seq.stateOffset(0, r0), units,
                seq.dzx, seq.zxOffset(0, r0), units, dU, 0, units, true);
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("recurrent_initializer", recurrentInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        for (String k : new String[] {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint"}) {
            c.put(k, null);
        }
        return c;
    }

    SimpleRNNCell copy() {
        SimpleRNNCell c = new SimpleRNNCell(units);
        c.activation = activation;
        c.useBias = useBias;
        c.kernelInitializer = kernelInitializer;
        c.recurrentInitializer = recurrentInitializer;
        c.biasInitializer = biasInitializer;
        return c;
    }
}
