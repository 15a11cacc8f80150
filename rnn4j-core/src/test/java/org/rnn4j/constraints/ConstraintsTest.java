package org.rnn4j.constraints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class ConstraintsTest {
    @Test
    void handCheckedProjections() {
        // Columns (axis 0) of a 2x2 kernel: (3, 4) has norm 5, (0.3, 0.4) has norm 0.5.
        float[] w = {3f, 0.3f, 4f, 0.4f};
        Constraint.maxNorm(2).apply(w, new int[] {2, 2});
        float s = 2f / (1e-7f + 5f);
        assertArrayEquals(new float[] {3f * s, 0.3f * (0.5f / (1e-7f + 0.5f)), 4f * s, 0.4f * (0.5f / (1e-7f + 0.5f))}, w, 1e-6f);
        float[] u = {3f, 0.3f, 4f, 0.4f};
        Constraint.unitNorm().apply(u, new int[] {2, 2});
        assertArrayEquals(new float[] {0.6f, 0.6f, 0.8f, 0.8f}, u, 1e-6f);
        float[] n = {-1f, 2f, 0f, -0.5f};
        Constraint.nonNeg().apply(n, new int[] {4});
        assertArrayEquals(new float[] {0f, 2f, 0f, 0f}, n, 0f);
        assertEquals(Constraint.get("max_norm").serialize(), Constraint.fromConfig(Constraint.maxNorm(2).serialize()).serialize());
    }

    @Test
    void constraintsHoldAfterEachOptimizerStep() {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential();
        LSTM lstm = new LSTM(3).kernelConstraint(Constraint.maxNorm(0.5)).recurrentConstraint(Constraint.unitNorm())
                .biasConstraint(Constraint.nonNeg()).inputShape(4, 2);
        m.add(lstm);
        m.add(new Dense(1).kernelConstraint(Constraint.get("non_neg")));
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new SGD(0.5));
        Tensor x = GradientCheck.random(1, 8, 4, 2), y = GradientCheck.random(2, 8, 1);
        m.fit(x, y, new FitOptions().epochs(3).batchSize(4).verbose(0));
        Tensor kernel = m.weights().get(0).value(), rec = m.weights().get(1).value(), bias = m.weights().get(2).value();
        for (int c = 0; c < 12; c++) {
            assertTrue(columnNorm(kernel, c) <= 0.5f + 1e-6f, "kernel column " + c + " norm " + columnNorm(kernel, c));
            assertEquals(1f, columnNorm(rec, c), 1e-5f, "recurrent column " + c);
        }
        for (float b : bias.data()) assertTrue(b >= 0f, "bias " + b);
        for (float k : m.weights().get(3).value().data()) assertTrue(k >= 0f, "dense kernel " + k);
    }

    private static float columnNorm(Tensor t, int col) {
        int rows = t.shape(0), cols = t.shape(1);
        double s = 0;
        for (int r = 0; r < rows; r++) s += t.data()[r * cols + col] * t.data()[r * cols + col];
        return (float) Math.sqrt(s);
    }
}
