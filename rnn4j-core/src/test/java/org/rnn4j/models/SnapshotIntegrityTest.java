package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.SimpleRNN;

/**
 * A saved recurrent state is refused when any bit of it changed (CRC-32) or when it comes from a model whose state
 * means something else: the same weights with another activation.
 */
class SnapshotIntegrityTest {
    static Sequential rnn(String activation) {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential();
        m.add(new SimpleRNN(3).activation(activation).inputShape(4, 2));
        m.add(new Dense(1));
        return m;
    }

    @Test
    void everyFlippedBitIsRefused() {
        Sequential m = rnn("tanh");
        RecurrentState s = m.newState();
        m.step(s, new float[] {0.5f, -1f});
        byte[] saved = s.toBytes();
        assertArrayEquals(s.get(0, 0), m.restoreState(saved).get(0, 0));
        for (int bit = 0; bit < saved.length * 8; bit++) {
            byte[] flipped = saved.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.restoreState(flipped), "bit " + bit);
            assertTrue(e.getMessage().startsWith("restoreState: "), e.getMessage());
        }
    }

    @Test
    void aTanhStateIsRefusedByTheSameWeightsWithRelu() {
        Sequential tanh = rnn("tanh");
        Sequential relu = rnn("relu");
        assertArrayEquals(tanh.weights().get(0).value().data(), relu.weights().get(0).value().data());
        RecurrentState s = tanh.newState();
        tanh.step(s, new float[] {0.5f, -1f});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> relu.restoreState(s.toBytes()));
        assertTrue(e.getMessage().contains("belongs to another model"), e.getMessage());
    }
}
