package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** Streaming over the GRU (both reset_after variants) and SimpleRNN cells, alone and stacked with LSTM. */
class StreamingCellsTest {
    private static final int STEPS = 6, FEATURES = 3;

    private static double maxError(Sequential m, long seed) {
        Tensor x = GradientCheck.random(seed, 4, STEPS, FEATURES);
        float[] whole = m.predict(x, 4).data();
        double worst = 0;
        for (int b = 0; b < 4; b++) {
            RecurrentState s = m.newState();
            for (int k = 0; k < STEPS; k++) {
                float[] row = new float[FEATURES];
                System.arraycopy(x.data(), (b * STEPS + k) * FEATURES, row, 0, FEATURES);
                float[] y = m.step(s, row);
                for (int j = 0; j < y.length; j++) worst = Math.max(worst, Math.abs(y[j] - whole[(b * STEPS + k) * y.length + j]));
            }
        }
        return worst;
    }

    @Test
    void steppingGruEqualsTheWholeSequenceInBothResetAfterVariants() {
        for (boolean resetAfter : new boolean[] {true, false}) {
            Rnn4j.setRandomSeed(31);
            Sequential m = new Sequential(new GRU(5).resetAfter(resetAfter).returnSequences(true).inputShape(STEPS, FEATURES));
            assertTrue(maxError(m, 32) <= 1e-6, "reset_after=" + resetAfter);
        }
    }

    @Test
    void steppingSimpleRnnEqualsTheWholeSequence() {
        Rnn4j.setRandomSeed(33);
        Sequential m = new Sequential(new SimpleRNN(5).returnSequences(true).inputShape(STEPS, FEATURES));
        assertTrue(maxError(m, 34) <= 1e-6);
    }

    @Test
    void steppingAStackOfAllThreeCellsEqualsTheWholeSequence() {
        Rnn4j.setRandomSeed(35);
        Sequential m = new Sequential();
        m.add(new GRU(6).returnSequences(true).inputShape(STEPS, FEATURES));
        m.add(new LSTM(5).returnSequences(true));
        m.add(new SimpleRNN(4).returnSequences(true));
        m.add(new TimeDistributed(new Dense(2)));
        assertTrue(maxError(m, 36) <= 1e-6);
        // A state of the stack survives the trip through bytes.
        RecurrentState s = m.newState();
        m.step(s, new float[] {1, 2, 3});
        RecurrentState r = m.restoreState(s.toBytes());
        assertArrayEquals(m.step(s, new float[] {0, 1, 0}), m.step(r, new float[] {0, 1, 0}));
    }
}
