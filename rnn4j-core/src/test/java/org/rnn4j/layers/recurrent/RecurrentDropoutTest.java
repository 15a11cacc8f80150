package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Keras's {@code dropout} and {@code recurrent_dropout} act in training only, with one mask per sequence shared by all
 * timesteps; and a gradient given on a returned state reaches the inputs as the same gradient on the output does.
 */
class RecurrentDropoutTest {
    private static final int STEPS = 5, FEATURES = 6;

    /** The layer built on {@code [batch, 5, 6]} inputs with fixed random weights (the same for every configuration). */
    private static <L extends Layer> L built(L layer) {
        layer.build(new int[] {-1, STEPS, FEATURES});
        List<Tensor> w = new ArrayList<>();
        for (int i = 0; i < layer.weights().size(); i++) w.add(GradientCheck.random(10 + i, layer.weights().get(i).shape()));
        layer.setWeights(w);
        return layer;
    }

    @Test
    void dropoutActsInTrainingOnly() {
        Tensor x = GradientCheck.random(1, 4, STEPS, FEATURES);
        for (String kind : List.of("lstm", "gru", "simple")) {
            float[] plain = built(layer(kind, 0, 0)).call(x, null, true).output().data();
            for (double[] rates : new double[][] {{0.5, 0}, {0, 0.5}}) {
                Layer dropped = built(layer(kind, rates[0], rates[1]));
                String what = kind + " dropout " + rates[0] + ", recurrent " + rates[1];
                assertArrayEquals(plain, dropped.call(x, null, false).output().data(), 0f, what + ": inference");
                Rnn4j.setRandomSeed(3);
                float[] training = dropped.call(x, null, true).output().data();
                assertFalse(Arrays.equals(plain, training), what + ": training drops");
            }
        }
    }

    private static Layer layer(String kind, double dropout, double recurrentDropout) {
        return switch (kind) {
            case "lstm" -> new LSTM(4).dropout(dropout).recurrentDropout(recurrentDropout);
            case "gru" -> new GRU(4).dropout(dropout).recurrentDropout(recurrentDropout);
            default -> new SimpleRNN(4).dropout(dropout).recurrentDropout(recurrentDropout);
        };
    }

    @Test
    void anInputFeatureDroppedForASequenceGetsNoGradientAtAnyStep() {
        Layer lstm = built(new LSTM(4).returnSequences(true).dropout(0.5));
        Tensor x = GradientCheck.random(1, 4, STEPS, FEATURES);
        Rnn4j.setRandomSeed(5);
        Pass p = lstm.call(x, null, true);
        float[] dx = p.backward(new Tensor[] {GradientCheck.random(2, p.output().shape())})[0].data();
        int dropped = 0, kept = 0;
        for (int b = 0; b < 4; b++) {
            for (int j = 0; j < FEATURES; j++) {
                boolean zeroAtFirst = dx[(b * STEPS) * FEATURES + j] == 0f;
                for (int t = 1; t < STEPS; t++) {
                    assertTrue(zeroAtFirst == (dx[(b * STEPS + t) * FEATURES + j] == 0f), "row " + b + ", feature " + j + ", step " + t);
                }
                if (zeroAtFirst) dropped++; else kept++;
            }
        }
        assertTrue(dropped > 0 && kept > 0, dropped + " dropped, " + kept + " kept");
    }

    @Test
    void aGradientOnTheReturnedStateActsAsOnTheOutput() {
        // Without return_sequences the output is the last h, which is also the first returned state.
        Tensor x = GradientCheck.random(1, 3, STEPS, FEATURES);
        for (Layer layer : List.<Layer>of(new LSTM(4).returnState(true), new GRU(4).returnState(true), new SimpleRNN(4).returnState(true))) {
            built(layer);
            Pass onOutput = layer.call(x, null, true);
            Tensor g = GradientCheck.random(2, onOutput.output().shape());
            float[] viaOutput = onOutput.backward(new Tensor[] {g})[0].data();
            Pass onState = layer.call(x, null, true);
            Tensor[] grads = new Tensor[onState.outputs.length];
            grads[1] = g;
            float[] viaState = onState.backward(grads)[0].data();
            assertArrayEquals(viaOutput, viaState, 1e-6f, layer.className());
            assertFalse(Arrays.equals(new float[viaState.length], viaState), layer.className());
        }
    }
}
