package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.tensor.Tensor;

/** Keras's pad_sequences and to_categorical; seeded sampling tied to the global seed. */
class SequencesAndSamplingTest {
    private final List<float[]> seqs = List.of(new float[] {1, 2, 3, 4}, new float[] {5}, new float[] {6, 7});

    @Test
    void padSequencesFollowsKeras() {
        // Defaults: maxlen = 4, padding and truncating "pre", value 0.
        assertArrayEquals(new float[] {1, 2, 3, 4, 0, 0, 0, 5, 0, 0, 6, 7}, Sequences.padSequences(seqs).data());
        // maxlen 3: "pre" truncation keeps the end [2, 3, 4], "post" the start [1, 2, 3]; "post" padding after.
        assertArrayEquals(new float[] {2, 3, 4, 0, 0, 5, 0, 6, 7}, Sequences.padSequences(seqs, 3, "pre", "pre", 0).data());
        assertArrayEquals(new float[] {1, 2, 3, 5, -1, -1, 6, 7, -1}, Sequences.padSequences(seqs, 3, "post", "post", -1).data());
        assertArrayEquals(new int[] {3, 3}, Sequences.padSequences(seqs, 3, "pre", "post", 0).shape());
        assertThrows(IllegalArgumentException.class, () -> Sequences.padSequences(seqs, 3, "middle", "pre", 0));
    }

    @Test
    void toCategoricalFollowsKeras() {
        Tensor y = Sequences.toCategorical(Tensor.of(new float[] {0, 2, 1}, 3, 1), 0);
        assertArrayEquals(new int[] {3, 3}, y.shape()); // [n, 1] labels lose their last axis, as Keras's
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, y.data());
        assertArrayEquals(new int[] {3, 5}, Sequences.toCategorical(Tensor.of(new float[] {0, 2, 1}, 3), 5).shape());
        assertThrows(IllegalArgumentException.class, () -> Sequences.toCategorical(Tensor.of(new float[] {3}, 1), 3));
    }

    @Test
    void samplingIsReproducibleUnderTheGlobalSeed() {
        Rnn4j.setRandomSeed(42);
        int[] p1 = Sampling.permutation(10);
        int[] c1 = Sampling.choice(5, 3, false);
        Rnn4j.setRandomSeed(42);
        assertArrayEquals(p1, Sampling.permutation(10));
        assertArrayEquals(c1, Sampling.choice(5, 3, false));
        int[] sorted = p1.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertEquals(3, java.util.Arrays.stream(c1).distinct().count()); // without replacement
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        Tensor s = Sampling.shuffleRows(x, new int[] {2, 0, 1});
        assertArrayEquals(new float[] {4, 5, 0, 1, 2, 3}, s.data());
    }

    @Test
    void choiceAndMultinomialFollowTheProbabilities() {
        Rnn4j.setRandomSeed(7);
        assertEquals(2, Sampling.choice(new double[] {0, 0, 1}));
        int[] counts = Sampling.multinomial(20000, new double[] {0.2, 0.5, 0.3});
        assertEquals(20000, counts[0] + counts[1] + counts[2]);
        assertTrue(Math.abs(counts[1] / 20000.0 - 0.5) < 0.02, java.util.Arrays.toString(counts));
        assertTrue(Math.abs(counts[0] / 20000.0 - 0.2) < 0.02, java.util.Arrays.toString(counts));
        assertThrows(IllegalArgumentException.class, () -> Sampling.choice(new double[] {0, -1}));
        assertThrows(IllegalArgumentException.class, () -> Sampling.choice(3, 4, false));
    }
}
