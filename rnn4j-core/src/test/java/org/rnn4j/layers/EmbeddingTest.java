package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class EmbeddingTest {
    @Test
    void looksUpRowsAndMasksZeroIds() {
        Embedding e = new Embedding(4, 2, true).inputShape(3);
        e.build(e.declaredInputShape());
        e.setWeights(java.util.List.of(Tensor.of(new float[] {0, 0, 1, 2, 3, 4, 5, 6}, 4, 2)));
        Pass p = e.call(Tensor.of(new float[] {3, 1, 0, 2, 0, 0}, 2, 3), null, false);
        assertArrayEquals(new int[] {2, 3, 2}, p.output().shape());
        assertArrayEquals(new float[] {5, 6, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0}, p.output().data());
        assertArrayEquals(new float[] {1, 1, 0, 1, 0, 0}, p.mask.data());
        assertNull(new Embedding(4, 2).call(Tensor.of(new float[] {1, 0}, 1, 2), null, false).mask);
    }

    @Test
    void initializerIsKerasUniform() {
        Rnn4j.setRandomSeed(1);
        Embedding e = new Embedding(50, 8);
        e.build(new int[] {-1, 3});
        float lo = 1, hi = -1;
        for (float v : e.embeddings().value().data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= -0.05f && hi <= 0.05f && hi - lo > 0.08f, lo + " " + hi);
    }

    @Test
    void idOutOfRangeNamesTheLayerTheIdAndTheRange() {
        Embedding e = new Embedding(5, 3).name("embedding_7");
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.call(Tensor.of(new float[] {1, 2, 7, 0}, 2, 2), null, false));
        assertEquals("Layer \"embedding_7\" got id 7.0 at (1, 0), expected an integer id in the range [0, 5) (input_dim=5)",
                ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.call(Tensor.of(new float[] {1.5f}, 1, 1), null, false));
        assertThrows(IllegalArgumentException.class, () -> e.call(Tensor.of(new float[] {-1f}, 1, 1), null, false));
    }

    @Test
    void gradientsMatchFiniteDifferencesThroughAMaskedGru() {
        Rnn4j.setRandomSeed(6);
        Sequential m = new Sequential();
        m.add(new Embedding(6, 3, true).inputShape(4));
        m.add(new GRU(2).returnSequences(true));
        m.add(new TimeDistributed(new Dense(2)));
        m.compile(Loss.get("mse"), new SGD(0.1));
        // Repeated ids gather several gradients into one row; zeros are masked.
        Tensor x = Tensor.of(new float[] {1, 4, 4, 0, 5, 2, 0, 0, 3, 3, 1, 2}, 3, 4);
        GradientCheck.assertGradients(m, new Tensor[] {x}, new Tensor[] {GradientCheck.random(2, 3, 4, 2)});
    }
}
