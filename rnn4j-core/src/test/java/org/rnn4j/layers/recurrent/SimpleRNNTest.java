package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

class SimpleRNNTest {
    @Test
    void weightsAreLaidOutAsKeras() {
        SimpleRNN rnn = new SimpleRNN(4).inputShape(7, 6);
        new Sequential(rnn);
        List<Tensor> w = rnn.getWeights();
        assertArrayEquals(new int[] {6, 4}, w.get(0).shape());
        assertArrayEquals(new int[] {4, 4}, w.get(1).shape());
        assertArrayEquals(new int[] {4}, w.get(2).shape());
        assertEquals(4 * (6 + 4) + 4, rnn.countParams());
    }

    @Test
    void constantWeightsGiveHandCheckedOutput() {
        // kernel 0.01, recurrent 0.02, bias 0.03, one unit, inputs 1 then 2: h1 = tanh(.04), h2 = tanh(.05 + .02 h1).
        SimpleRNN rnn = new SimpleRNN(1).kernelInitializer(Initializer.constant(0.01f))
                .recurrentInitializer(Initializer.constant(0.02f)).biasInitializer(Initializer.constant(0.03f))
                .returnSequences(true).inputShape(2, 1);
        float[] y = new Sequential(rnn).predict(Tensor.of(new float[] {1f, 2f}, 1, 2, 1)).data();
        double h1 = Math.tanh(0.04);
        assertEquals(h1, y[0], 1e-7);
        assertEquals(Math.tanh(0.02 + 0.03 + 0.02 * h1), y[1], 1e-7);
    }

    @Test
    void configHasKerasKeys() {
        var c = new SimpleRNN(4).activation("relu").getConfig();
        assertEquals("relu", c.get("activation"));
        assertEquals(true, c.get("use_bias"));
        assertEquals(4, c.get("units"));
        assertEquals(false, c.containsKey("recurrent_activation"));
    }
}
