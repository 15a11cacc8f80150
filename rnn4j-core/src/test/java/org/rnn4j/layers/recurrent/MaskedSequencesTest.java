package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Weight;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Masking's promise: a batch of padded variable-length sequences gives, for each sequence, the outputs and gradients
 * of that sequence alone, unpadded. Checked for LSTM, GRU (both variants), SimpleRNN and Bidirectional, post- and
 * pre-padded, with and without return_sequences: at the layer (outputs, input and weight gradients) and through a
 * compiled model, where masked timesteps must not count in the loss (Keras 3 weights rows by the output mask).
 */
class MaskedSequencesTest {
    private static final int[] LENGTHS = {5, 2, 4, 1};
    private static final int T = 5, D = 2, UNITS = 3;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("lstm", "gru", "gru_reset_before", "simple_rnn", "bidirectional_lstm", "bidirectional_gru")) {
            for (String padding : List.of("post", "pre")) {
                out.add(Arguments.of(kind, padding, true));
                out.add(Arguments.of(kind, padding, false));
            }
        }
        return out.stream();
    }

    private static Layer make(String kind, boolean returnSequences) {
        switch (kind) {
            case "bidirectional_lstm": return new Bidirectional(new LSTM(UNITS).returnSequences(returnSequences), "concat");
            case "bidirectional_gru": return new Bidirectional(new GRU(UNITS).returnSequences(returnSequences), "mul");
            default: return RecurrentGradientTest.make(kind).returnSequences(returnSequences);
        }
    }

    /** Start of sequence i's valid steps in the padded batch. */
    private static int start(String padding, int i) { return padding.equals("post") ? 0 : T - LENGTHS[i]; }

    private static Tensor sequence(int i) {
        return GradientCheck.random(40 + i, 1, LENGTHS[i], D);
    }

    private static Tensor padded(String padding) {
        Tensor x = Tensor.zeros(LENGTHS.length, T, D);
        for (int i = 0; i < LENGTHS.length; i++) {
            Tensor s = sequence(i);
            for (int t = 0; t < LENGTHS[i]; t++) {
                for (int j = 0; j < D; j++) x.set(s.get(0, t, j), i, start(padding, i) + t, j);
            }
        }
        return x;
    }

    private static Tensor mask(String padding) {
        Tensor m = Tensor.zeros(LENGTHS.length, T);
        for (int i = 0; i < LENGTHS.length; i++) {
            for (int t = 0; t < LENGTHS[i]; t++) m.set(1f, i, start(padding, i) + t);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} {1}-padded, return_sequences={2}")
    @MethodSource("cases")
    void paddedBatchEqualsEachSequenceAlone(String kind, String padding, boolean returnSequences) {
        Rnn4j.setRandomSeed(8);
        Layer layer = make(kind, returnSequences);
        layer.build(new int[] {-1, -1, D}); // any number of timesteps
        List<Tensor> w = new ArrayList<>();
        for (int i = 0; i < layer.weights().size(); i++) w.add(GradientCheck.random(60 + i, layer.weights().get(i).shape()));
        layer.setWeights(w);

        Tensor x = padded(padding), m = mask(padding);
        Pass batch = layer.call(x, m, false);
        Tensor y = batch.output();
        int width = y.shape(-1);
        // Output gradients: random on valid steps, zero on padding (where a masked loss gives none).
        Tensor g = GradientCheck.random(77, y.shape());
        if (returnSequences) {
            for (int i = 0; i < LENGTHS.length; i++) {
                for (int t = 0; t < T; t++) {
                    if (m.get(i, t) == 0f) for (int j = 0; j < width; j++) g.set(0f, i, t, j);
                }
            }
        }
        zeroGrads(layer);
        Tensor dx = batch.backward(new Tensor[] {g})[0];
        List<float[]> batchGrads = grads(layer);

        zeroGrads(layer);
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i], s0 = start(padding, i);
            Pass alone = layer.call(sequence(i), null, false);
            Tensor ya = alone.output();
            Tensor ga = returnSequences ? Tensor.zeros(1, n, width) : Tensor.zeros(1, width);
            for (int t = 0; t < (returnSequences ? n : 1); t++) {
                for (int j = 0; j < width; j++) {
                    float want = returnSequences ? ya.get(0, t, j) : ya.get(0, j);
                    float got = returnSequences ? y.get(i, s0 + t, j) : y.get(i, j);
                    assertEquals(want, got, 1e-6, "output of sequence " + i + " step " + t + " unit " + j);
                    if (returnSequences) ga.set(g.get(i, s0 + t, j), 0, t, j); else ga.set(g.get(i, j), 0, j);
                }
            }
            Tensor dxa = alone.backward(new Tensor[] {ga})[0];
            for (int t = 0; t < T; t++) {
                for (int j = 0; j < D; j++) {
                    boolean valid = t >= s0 && t < s0 + n;
                    float want = valid ? dxa.get(0, t - s0, j) : 0f;
                    assertEquals(want, dx.get(i, t, j), 1e-6, "input gradient of sequence " + i + " step " + t);
                }
            }
        }
        // Weight gradients of the padded batch = the sum over the sequences alone.
        List<float[]> sum = grads(layer);
        for (int k = 0; k < sum.size(); k++) assertClose(sum.get(k), batchGrads.get(k), layer.weights().get(k).path());
    }

    @ParameterizedTest(name = "{0} {1}-padded")
    @MethodSource("modelCases")
    void maskedTimestepsDoNotCountInTheLoss(String kind, String padding) {
        // Keras 3: mean over valid rows only. Padded-batch loss = sum_i len_i * loss_i / sum_i len_i, same for grads.
        Rnn4j.setRandomSeed(9);
        Sequential batchModel = model(kind, T);
        Tensor x = padded(padding);
        Tensor y = GradientCheck.random(5, LENGTHS.length, T, 2); // targets on padding are arbitrary: they must not count
        double loss = batchModel.computeGradients(new Tensor[] {x}, new Tensor[] {y}, false);
        List<float[]> batchGrads = new ArrayList<>();
        for (Weight w : batchModel.trainableWeights()) batchGrads.add(w.grad().data().clone());

        int total = 0;
        for (int n : LENGTHS) total += n;
        double want = 0;
        List<float[]> wantGrads = new ArrayList<>();
        for (float[] b : batchGrads) wantGrads.add(new float[b.length]);
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i], s0 = start(padding, i);
            Sequential alone = model(kind, n);
            alone.setWeights(batchModel.getWeights());
            Tensor yi = Tensor.zeros(1, n, 2);
            for (int t = 0; t < n; t++) for (int j = 0; j < 2; j++) yi.set(y.get(i, s0 + t, j), 0, t, j);
            want += n * alone.computeGradients(new Tensor[] {sequence(i)}, new Tensor[] {yi}, false) / total;
            List<Weight> ws = alone.trainableWeights();
            for (int k = 0; k < ws.size(); k++) {
                float[] gk = ws.get(k).grad().data();
                for (int e = 0; e < gk.length; e++) wantGrads.get(k)[e] += gk[e] * n / total;
            }
        }
        assertEquals(want, loss, 1e-6 * Math.max(1, Math.abs(want)), "loss");
        for (int k = 0; k < wantGrads.size(); k++) {
            assertClose(wantGrads.get(k), batchGrads.get(k), batchModel.trainableWeights().get(k).path());
        }
    }

    static Stream<Arguments> modelCases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("lstm", "gru", "gru_reset_before", "simple_rnn", "bidirectional_lstm", "bidirectional_gru")) {
            out.add(Arguments.of(kind, "post"));
            out.add(Arguments.of(kind, "pre"));
        }
        return out.stream();
    }

    private static Sequential model(String kind, int steps) {
        Sequential m = new Sequential();
        m.add(new Masking(0f).inputShape(steps, D));
        m.add(make(kind, true));
        m.add(new TimeDistributed(new Dense(2)));
        m.compile(Loss.get("mse"), new SGD(0.1));
        m.build(new int[] {-1, steps, D});
        return m;
    }

    @ParameterizedTest(name = "embedding mask_zero into {0}")
    @MethodSource("embeddingCases")
    void embeddingMaskZeroMakesPaddedIdsInvisible(String kind) {
        // Post-padded id sequences through Embedding(mask_zero) -> RNN(return_sequences) -> Dense: per-sequence
        // losses and gradients (embeddings included) as computed alone.
        Rnn4j.setRandomSeed(10);
        int[][] ids = {{3, 1, 4, 1, 5}, {2, 6, 0, 0, 0}, {5, 0, 0, 0, 0}};
        int[] lengths = {5, 2, 1};
        Sequential batchModel = embeddingModel(kind, T);
        Tensor x = Tensor.zeros(3, T), y = GradientCheck.random(6, 3, T, 2);
        for (int i = 0; i < 3; i++) for (int t = 0; t < T; t++) x.set(ids[i][t], i, t);
        double loss = batchModel.computeGradients(new Tensor[] {x}, new Tensor[] {y}, false);
        List<Weight> bw = batchModel.trainableWeights();
        double want = 0;
        List<float[]> wantGrads = new ArrayList<>();
        for (Weight w : bw) wantGrads.add(new float[w.size()]);
        for (int i = 0; i < 3; i++) {
            int n = lengths[i];
            Sequential alone = embeddingModel(kind, n);
            alone.setWeights(batchModel.getWeights());
            Tensor xi = Tensor.zeros(1, n), yi = Tensor.zeros(1, n, 2);
            for (int t = 0; t < n; t++) {
                xi.set(ids[i][t], 0, t);
                for (int j = 0; j < 2; j++) yi.set(y.get(i, t, j), 0, t, j);
            }
            want += n * alone.computeGradients(new Tensor[] {xi}, new Tensor[] {yi}, false) / 8;
            for (int k = 0; k < bw.size(); k++) {
                float[] gk = alone.trainableWeights().get(k).grad().data();
                for (int e = 0; e < gk.length; e++) wantGrads.get(k)[e] += gk[e] * n / 8;
            }
        }
        assertEquals(want, loss, 1e-6 * Math.max(1, Math.abs(want)), "loss");
        for (int k = 0; k < bw.size(); k++) assertClose(wantGrads.get(k), bw.get(k).grad().data(), bw.get(k).path());
    }

    static Stream<String> embeddingCases() { return Stream.of("lstm", "gru", "simple_rnn", "bidirectional_lstm"); }

    private static Sequential embeddingModel(String kind, int steps) {
        Sequential m = new Sequential();
        m.add(new Embedding(7, D, true).inputShape(steps));
        m.add(make(kind, true));
        m.add(new TimeDistributed(new Dense(2)));
        m.compile(Loss.get("mse"), new SGD(0.1));
        m.build(new int[] {-1, steps});
        return m;
    }

    private static void zeroGrads(Layer l) { for (Weight w : l.weights()) w.zeroGrad(); }

    private static List<float[]> grads(Layer l) {
        List<float[]> out = new ArrayList<>();
        for (Weight w : l.weights()) out.add(w.grad().data().clone());
        return out;
    }

    private static void assertClose(float[] want, float[] got, String what) {
        double scale = 1e-3;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= 1e-5 * scale, what + "[" + i + "]: want " + want[i] + ", got " + got[i]);
        }
    }
}
