package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/**
 * Finite differences for every recurrent layer under every driver option, at the layer level (weights, inputs and
 * initial states): LSTM, GRU in both reset_after variants, SimpleRNN, and Bidirectional around each.
 */
class RecurrentGradientTest {
    static final int BATCH = 2, STEPS = 4, DIM = 2, UNITS = 3;

    static RNN<?> make(String kind) { return make(kind, UNITS); }

    static RNN<?> make(String kind, int units) {
        switch (kind) {
            case "lstm": return new LSTM(units);
            case "gru": return new GRU(units);
            case "gru_reset_before": return new GRU(units).resetAfter(false);
            case "simple_rnn": return new SimpleRNN(units);
            default: throw new IllegalArgumentException(kind);
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("lstm", "gru", "gru_reset_before", "simple_rnn")) {
            for (String option : List.of("plain", "return_sequences", "go_backwards", "return_state", "initial_state",
                    "stateful", "dropout", "recurrent_dropout", "masked", "no_bias", "activations")) {
                out.add(Arguments.of(kind, option));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void layerGradientsMatchFiniteDifferences(String kind, String option) {
        Rnn4j.setRandomSeed(3);
        RNN<?> layer = make(kind);
        configure(layer, option);
        Tensor x = GradientCheck.random(1, BATCH, STEPS, DIM);
        Tensor[] inputs = {x};
        Tensor mask = null;
        boolean training = false;
        Runnable before = null;
        switch (option) {
            case "initial_state": {
                inputs = new Tensor[1 + layer.cell().stateCount()];
                inputs[0] = x;
                for (int s = 1; s < inputs.length; s++) inputs[s] = GradientCheck.random(10 + s, BATCH, UNITS);
                break;
            }
            case "stateful":
                statefulEqualsInitialState(layer, x);
                return;
            case "dropout":
            case "recurrent_dropout":
                training = true;
                before = LayerGradientCheck.reseed(5);
                break;
            case "masked":
                // Sample 0 post-padded (last step masked), sample 1 pre-padded (first two masked).
                mask = Tensor.of(new float[] {1, 1, 1, 0, 0, 0, 1, 1}, BATCH, STEPS);
                break;
            default:
        }
        LayerGradientCheck.assertGradients(layer, inputs, mask, training, before);
    }

    /**
     * A stateful layer's second batch starts from the first batch's final state, a constant: its gradients are those
     * of the same layer given that state as initial_state (whose finite differences the "initial_state" case checks).
     */
    private static void statefulEqualsInitialState(RNN<?> layer, Tensor x) {
        layer.batchInputShape(BATCH, STEPS, DIM);
        RNN<?> plain = layer.copyConfig("plain_copy").stateful(false);
        Tensor previous = GradientCheck.random(7, BATCH, STEPS, DIM);
        layer.call(previous, null, false);
        List<Tensor> carried = layer.states();
        Tensor[] withState = new Tensor[1 + carried.size()];
        withState[0] = x;
        for (int s = 0; s < carried.size(); s++) withState[1 + s] = carried.get(s);
        plain.build(List.of(new int[] {BATCH, STEPS, DIM}, new int[] {BATCH, UNITS}, new int[] {BATCH, UNITS}).subList(0, withState.length));
        plain.setWeights(layer.getWeights());
        org.rnn4j.layers.Pass a = layer.call(x, null, false), b = plain.call(withState, null, false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(b.output().data(), a.output().data(), 1e-6f);
        Tensor g = GradientCheck.random(8, a.output().shape());
        Tensor dxa = a.backward(new Tensor[] {g})[0], dxb = b.backward(new Tensor[] {g})[0];
        org.junit.jupiter.api.Assertions.assertArrayEquals(dxb.data(), dxa.data(), 1e-6f);
        for (int w = 0; w < layer.weights().size(); w++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(plain.weights().get(w).grad().data(),
                    layer.weights().get(w).grad().data(), 1e-6f, layer.weights().get(w).path());
        }
    }

    @ParameterizedTest(name = "bidirectional {0} {1} {2}")
    @MethodSource("bidirectionalCases")
    void bidirectionalGradientsMatchFiniteDifferences(String kind, String mergeMode, String option) {
        Rnn4j.setRandomSeed(4);
        RNN<?> inner = make(kind);
        if (!option.equals("last")) inner.returnSequences(true);
        if (option.equals("return_state")) inner.returnState(true);
        Bidirectional bi = new Bidirectional(inner, mergeMode.equals("none") ? null : mergeMode);
        Tensor x = GradientCheck.random(1, BATCH, STEPS, DIM);
        Tensor[] inputs = {x};
        Tensor mask = null;
        if (option.equals("masked")) mask = Tensor.of(new float[] {1, 1, 1, 0, 0, 0, 1, 1}, BATCH, STEPS);
        if (option.equals("initial_state")) {
            int n = 2 * inner.cell().stateCount();
            inputs = new Tensor[1 + n];
            inputs[0] = x;
            for (int s = 1; s <= n; s++) inputs[s] = GradientCheck.random(20 + s, BATCH, UNITS);
        }
        LayerGradientCheck.assertGradients(bi, inputs, mask, false, null);
    }

    static Stream<Arguments> bidirectionalCases() {
        List<Arguments> out = new ArrayList<>();
        for (String mode : List.of("concat", "sum", "ave", "mul", "none")) out.add(Arguments.of("lstm", mode, "sequences"));
        for (String kind : List.of("gru", "gru_reset_before", "simple_rnn")) out.add(Arguments.of(kind, "concat", "sequences"));
        for (String option : List.of("last", "masked", "return_state", "initial_state")) {
            out.add(Arguments.of("lstm", "concat", option));
            out.add(Arguments.of("gru", "mul", option));
        }
        return out.stream();
    }

    private static void configure(RNN<?> layer, String option) {
        switch (option) {
            case "return_sequences": layer.returnSequences(true); break;
            case "go_backwards": layer.goBackwards(true).returnSequences(true); break;
            case "return_state": layer.returnState(true).returnSequences(true); break;
            case "stateful": layer.stateful(true).returnSequences(true); break;
            case "dropout": layer.dropout(0.4); break;
            case "recurrent_dropout": layer.recurrentDropout(0.4).returnSequences(true); break;
            case "masked": layer.returnSequences(true); break;
            case "no_bias":
                if (layer instanceof LSTM l) l.useBias(false);
                if (layer instanceof GRU g) g.useBias(false);
                if (layer instanceof SimpleRNN s) s.useBias(false);
                break;
            case "activations":
                if (layer instanceof LSTM l) l.activation("elu").recurrentActivation("hard_sigmoid");
                if (layer instanceof GRU g) g.activation("sigmoid").recurrentActivation("hard_sigmoid");
                if (layer instanceof SimpleRNN s) s.activation("elu"); // smooth: relu's kink upsets differences
                break;
            default:
        }
    }
}
