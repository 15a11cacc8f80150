package org.rnn4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;

/**
 * An ONNX {@code LSTM}, {@code GRU} or {@code RNN} operator as an rnn4j recurrent layer (in {@code Bidirectional}
 * for {@code direction="bidirectional"}), with the weights rearranged to Keras's layout:
 * <ul>
 * <li>ONNX {@code W} (directions, gates·hidden, input) and {@code R} (directions, gates·hidden, hidden) are
 *     transposed into Keras's kernel (input, gates·units) and recurrent kernel (units, gates·units);</li>
 * <li>LSTM gates are stored i, o, f, c in ONNX and i, f, c, o in Keras; GRU's z, r, h order is the same;</li>
 * <li>{@code B} holds the input biases then the recurrent biases: summed for LSTM, RNN and GRU with
 *     {@code linear_before_reset=0} (Keras's {@code reset_after=False}), kept as Keras's two bias rows for GRU
 *     with {@code linear_before_reset=1} ({@code reset_after=True}).</li>
 * </ul>
 * Outputs are numbered as ONNX's: 0 {@code Y}, 1 {@code Y_h}, 2 {@code Y_c}.
 */
final class RecurrentOp extends Op {
    enum Kind { LSTM, GRU, RNN }

    /** Keras gate k (i, f, c, o) is ONNX gate ONNX_LSTM_GATE[k] (i, o, f, c). */
    private static final int[] ONNX_LSTM_GATE = {0, 2, 3, 1};

    /** The reference index of a bidirectional layer's final output (Keras output 0 without return_sequences). */
    static final int FINAL = 1000;
    /** The reference index of direction d's own sequence (Keras's merge_mode=None): SPLIT + d. */
    static final int SPLIT = 2000;
    /** The reference index of ONNX state output o (1 Y_h, 2 Y_c) of direction d: STATE + 2·(o - 1) + d. */
    static final int STATE = 3000;
    /** The reference index of a reverse operator's sequence in processing order (Keras's go_backwards output). */
    static final int REVERSED = 4000;

    final Kind kind;
    final int hidden;
    final int inputSize;
    final boolean bidirectional;
    final boolean reverse;
    final String activation;
    final String recurrentActivation;
    final boolean linearBeforeReset;
    private final float[][] w;
    private final float[][] r;
    private final float[][] b;
    int sequenceUses;
    int lastStepUses;
    int stateUses;
    int finalUses;
    int splitUses;
    int reversedUses;
    private RNN<?> rnn;

    RecurrentOp(String node, Kind kind, Ref x, int hidden, int inputSize, boolean bidirectional, boolean reverse,
                String activation, String recurrentActivation, boolean linearBeforeReset,
                float[][] w, float[][] r, float[][] b) {
        super(node);
        addInput(x);
        this.kind = kind;
        this.hidden = hidden;
        this.inputSize = inputSize;
        this.bidirectional = bidirectional;
        this.reverse = reverse;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.linearBeforeReset = linearBeforeReset;
        this.w = w;
        this.r = r;
        this.b = b;
    }

    /** Records a use of ONNX output {@code index} (0 the sequence Y; else a state). */
    void noteUse(int index, boolean lastStep) {
        if (index == FINAL) finalUses++;
        else if (index == REVERSED) reversedUses++;
        else if (index >= SPLIT && index < STATE) splitUses++;
        else if (index != 0) stateUses++;
        else if (lastStep) lastStepUses++;
        else sequenceUses++;
    }

    int gates() { return kind == Kind.LSTM ? 4 : kind == Kind.GRU ? 3 : 1; }

    /** True when only the last timestep of Y is read (a forward layer then simply returns its last output). */
    boolean lastOnly() { return !bidirectional && sequenceUses == 0 && lastStepUses > 0; }

    @Override
    KerasTensor[] build(KerasTensor[] in) {
        if (reverse && (sequenceUses > 0 || lastStepUses > 0)) {
            throw new org.rnn4j.io.ModelFormatException("node \"" + node + "\" (" + kind + "): the output sequence Y of a "
                    + "reverse-direction operator is in input order, Keras's go_backwards layer gives it reversed; only "
                    + "its final state Y_h can be imported");
        }
        RNN<?> layer = switch (kind) {
            case LSTM -> new LSTM(hidden).activation(activation).recurrentActivation(recurrentActivation);
            case GRU -> new GRU(hidden).activation(activation).recurrentActivation(recurrentActivation)
                    .resetAfter(linearBeforeReset);
            case RNN -> new SimpleRNN(hidden).activation(activation);
        };
        boolean split = splitUses > 0;
        if (split && (sequenceUses > 0 || lastStepUses > 0 || finalUses > 0)) {
            throw new org.rnn4j.io.ModelFormatException("node \"" + node + "\" (" + kind + "): the directions' sequences are "
                    + "used both apart and together; rnn4j's Bidirectional gives one or the other");
        }
        boolean sequences = sequenceUses > 0 || (lastStepUses > 0 && bidirectional) || split || reversedUses > 0;
        if (sequences && finalUses > 0) {
            throw new org.rnn4j.io.ModelFormatException("node \"" + node + "\" (" + kind + "): both the output sequence and "
                    + "the final states of both directions are used as one value; rnn4j's Bidirectional gives one or the other");
        }
        layer.returnSequences(sequences).returnState(stateUses > 0).goBackwards(reverse);
        List<Tensor> weights = new ArrayList<>(kerasWeights(0));
        KerasTensor[] out;
        if (bidirectional) {
            Bidirectional bi = new Bidirectional(layer, split ? null : "concat");
            out = bi.applyAll(in);
            weights.addAll(kerasWeights(1));
            weightsLayer = bi;
        } else {
            out = layer.applyAll(in);
            weightsLayer = layer;
        }
        rnn = layer;
        this.weights = weights;
        return out;
    }

    /** The reference index of ONNX state output {@code onnxOutput} (1 Y_h, 2 Y_c) of {@code direction}. */
    static int stateRef(int onnxOutput, int direction) { return STATE + 2 * (onnxOutput - 1) + direction; }

    private List<Tensor> kerasWeights(int dir) {
        int g = gates();
        int u = hidden;
        float[] kernel = new float[inputSize * g * u];
        float[] recurrent = new float[u * g * u];
        for (int k = 0; k < g; k++) {
            int og = kind == Kind.LSTM ? ONNX_LSTM_GATE[k] : k;
            for (int row = 0; row < u; row++) {
                int src = og * u + row;             // row of ONNX's W / R
                int col = k * u + row;              // column of Keras's kernel
                for (int j = 0; j < inputSize; j++) kernel[j * g * u + col] = w[dir][src * inputSize + j];
                for (int j = 0; j < u; j++) recurrent[j * g * u + col] = r[dir][src * u + j];
            }
        }
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.of(kernel, inputSize, g * u));
        out.add(Tensor.of(recurrent, u, g * u));
        float[] bias = b[dir];  // 2·g·u: input biases, then recurrent biases (zeros when ONNX has no B)
        if (kind == Kind.GRU && linearBeforeReset) {
            out.add(Tensor.of(bias.clone(), 2, g * u));
        } else {
            float[] sum = new float[g * u];
            for (int k = 0; k < g; k++) {
                int og = kind == Kind.LSTM ? ONNX_LSTM_GATE[k] : k;
                for (int row = 0; row < u; row++) {
                    sum[k * u + row] = bias[og * u + row] + bias[g * u + og * u + row];
                }
            }
            out.add(Tensor.of(sum, g * u));
        }
        return out;
    }

    RNN<?> layer() { return rnn; }

    /**
     * Keras returns the output (two with merge_mode=None), then the states (h, c for LSTM), the forward layer's
     * before the backward layer's.
     */
    @Override
    KerasTensor output(int index) {
        KerasTensor[] out = outputs();
        if (index == 0 || index == FINAL || index == REVERSED) return out[0];
        if (index < STATE) return out[index - SPLIT];
        int o = (index - STATE) / 2 + 1;
        int d = (index - STATE) % 2;
        int states = kind == Kind.LSTM ? 2 : 1;
        return out[(splitUses > 0 ? 2 : 1) + d * states + (o - 1)];
    }
}
