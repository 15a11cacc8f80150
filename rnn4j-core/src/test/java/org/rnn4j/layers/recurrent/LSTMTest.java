package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class LSTMTest {
    @Test
    void parameterCountIsFourTimesInputPlusRecurrentPlusBias() {
        // 4 * (input_dim*units + units*units + units), the notebook's examples.
        assertEquals(12, params(1, 1));
        assertEquals(16, params(1, 2));
        assertEquals(32, params(2, 1));
        assertEquals(140, params(5, 1));
    }

    private static int params(int units, int inputDim) {
        Sequential m = new Sequential();
        m.add(new LSTM(units).inputShape(3, inputDim));
        return m.countParams();
    }

    @Test
    void weightsAreLaidOutAsKeras() {
        LSTM lstm = new LSTM(3).inputShape(4, 2);
        new Sequential(lstm);
        List<Tensor> w = lstm.getWeights();
        assertArrayEquals(new int[] {2, 12}, w.get(0).shape());
        assertArrayEquals(new int[] {3, 12}, w.get(1).shape());
        assertArrayEquals(new int[] {12}, w.get(2).shape());
        // unit_forget_bias: ones in the forget block only.
        assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0}, w.get(2).data());
    }

    @Test
    void unitForgetBiasSetsOnlyTheForgetBlockToOne() {
        // Keras: bias_initializer for the i, c and o blocks, ones for f.
        LSTM lstm = new LSTM(2).biasInitializer(Initializer.constant(0.03f)).inputShape(4, 2);
        new Sequential(lstm);
        assertArrayEquals(new float[] {0.03f, 0.03f, 1, 1, 0.03f, 0.03f, 0.03f, 0.03f}, lstm.getWeights().get(2).data());
        LSTM plain = new LSTM(2).biasInitializer(Initializer.constant(0.03f)).unitForgetBias(false).inputShape(4, 2);
        new Sequential(plain);
        float[] all = new float[8];
        java.util.Arrays.fill(all, 0.03f);
        assertArrayEquals(all, plain.getWeights().get(2).data());
    }

    @Test
    void constantWeightsGiveHandCheckedOutput() {
        // Keras's golden-number style: kernel 0.01, recurrent 0.02, bias 0.03; input of ones, 1 step, 1 unit.
        LSTM lstm = new LSTM(1).kernelInitializer(Initializer.constant(0.01f))
                .recurrentInitializer(Initializer.constant(0.02f)).biasInitializer(Initializer.constant(0.03f))
                .unitForgetBias(false).inputShape(1, 1);
        Sequential m = new Sequential(lstm);
        float y = m.predict(Tensor.of(new float[] {1f}, 1, 1, 1)).data()[0];
        // z = 0.04 for every gate; c = sig(.04)*tanh(.04); h = sig(.04)*tanh(c)
        double s = 1 / (1 + Math.exp(-0.04));
        double c = s * Math.tanh(0.04);
        assertEquals(s * Math.tanh(c), y, 1e-7);
    }

    /**
     * Three steps, so the output depends on the recurrent kernel (0.8): checked by hand, on one sequence (the kernel
     * read as it is), on eight (the packed kernel) and step by step (the streaming kernel), in float32 and then int8.
     * Cutting the recurrent connection (h_prev · U) changes the output by 0.14, far beyond the tolerance.
     */
    @Test
    void threeStepsDependOnTheRecurrentKernel() {
        LSTM lstm = new LSTM(1).kernelInitializer(Initializer.constant(0.5f))
                .recurrentInitializer(Initializer.constant(0.8f)).biasInitializer(Initializer.constant(0f))
                .unitForgetBias(false).inputShape(3, 1);
        Sequential m = new Sequential(lstm);
        double h = 0, c = 0, hCut = 0, cCut = 0;
        for (int t = 0; t < 3; t++) {
            // Every gate sees z = 0.5 x + 0.8 h_prev (x = 1); without the recurrence, z = 0.5.
            double z = 0.5 + 0.8 * h, s = 1 / (1 + Math.exp(-z));
            c = s * c + s * Math.tanh(z);
            h = s * Math.tanh(c);
            double sc = 1 / (1 + Math.exp(-0.5));
            cCut = sc * cCut + sc * Math.tanh(0.5);
            hCut = sc * Math.tanh(cCut);
        }
        assertTrue(Math.abs(h - hCut) > 0.01, "the case must depend on the recurrence: " + h + " vs " + hCut);
        assertEquals(h, m.predict(Tensor.of(new float[] {1, 1, 1}, 1, 3, 1)).data()[0], 1e-6);
        float[] ones = new float[8 * 3];
        java.util.Arrays.fill(ones, 1f);
        for (float y : m.predict(Tensor.of(ones, 8, 3, 1)).data()) assertEquals(h, y, 1e-6);
        org.rnn4j.models.RecurrentState state = m.newState();
        float[] y = null;
        for (int t = 0; t < 3; t++) y = m.step(state, new float[] {1f});
        assertEquals(h, y[0], 1e-6);
        // int8 (0.5 and 0.8 are each their column's largest value, so they quantize to 127 steps, within 1e-7).
        m.quantize("int8");
        assertEquals(h, m.predict(Tensor.of(new float[] {1, 1, 1}, 1, 3, 1)).data()[0], 1e-5);
        for (float q : m.predict(Tensor.of(ones, 8, 3, 1)).data()) assertEquals(h, q, 1e-5);
        state = m.newState();
        for (int t = 0; t < 3; t++) y = m.step(state, new float[] {1f});
        assertEquals(h, y[0], 1e-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "sequences", "backwards", "hard_sigmoid", "relu", "masked"})
    void gradientsMatchFiniteDifferences(String variant) {
        Rnn4j.setRandomSeed(11);
        LSTM lstm = new LSTM(3).inputShape(4, 2);
        boolean seq = !variant.equals("plain") && !variant.equals("hard_sigmoid") && !variant.equals("relu");
        lstm.returnSequences(seq);
        if (variant.equals("backwards")) lstm.goBackwards(true);
        if (variant.equals("hard_sigmoid")) lstm.recurrentActivation("hard_sigmoid");
        if (variant.equals("relu")) lstm.activation("relu");
        Sequential m = new Sequential();
        if (variant.equals("masked")) m.add(new org.rnn4j.layers.Masking(0f).inputShape(4, 2));
        m.add(lstm);
        m.add(seq ? new TimeDistributed(new Dense(2)) : new Dense(2));
        m.compile(Loss.get("mse"), new SGD(0.1));
        Tensor x = GradientCheck.random(1, 3, 4, 2);
        if (variant.equals("masked")) {
            // Sample 0 post-padded, sample 1 pre-padded.
            for (int j = 0; j < 2; j++) {
                x.set(0f, 0, 3, j);
                x.set(0f, 1, 0, j);
            }
        }
        Tensor y = GradientCheck.random(2, seq ? new int[] {3, 4, 2} : new int[] {3, 2});
        GradientCheck.assertGradients(m, new Tensor[] {x}, new Tensor[] {y});
    }

    @Test
    void wrongFeatureCountNamesTheLayerAndBothShapes() {
        LSTM lstm = new LSTM(5).inputShape(5, 1).name("lstm_1");
        Sequential m = new Sequential(lstm);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.predict(Tensor.zeros(32, 5, 2)));
        assertEquals("Input 0 of layer \"lstm_1\" is incompatible: expected shape (None, 5, 1), got (32, 5, 2)", e.getMessage());
    }

    @Test
    void wrongRankNamesTheLayer() {
        Sequential m = new Sequential(new LSTM(5).inputShape(5, 1).name("lstm_7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("\"lstm_7\"") && e.getMessage().contains("(None, 5, 1)")
                && e.getMessage().contains("(4, 5)"), e.getMessage());
    }

    @Test
    void unitsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTM(0));
        assertEquals("Recurrent layer units must be a positive integer, got 0", e.getMessage());
    }

    @Test
    void dropoutRateOutsideRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LSTM(2).dropout(1.0));
        assertTrue(e.getMessage().contains("dropout must be in [0, 1), got 1.0"), e.getMessage());
    }
}
