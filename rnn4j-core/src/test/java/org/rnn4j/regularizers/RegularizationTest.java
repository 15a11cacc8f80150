package org.rnn4j.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class RegularizationTest {
    @Test
    void penaltiesAreKerasFormulas() {
        float[] x = {1f, -2f, 0.5f};
        assertEquals(0.01 * 3.5, Regularizer.l1(0.01).value(x), 1e-9);
        assertEquals(0.01 * 5.25, Regularizer.l2(0.01).value(x), 1e-9);
        assertEquals(0.1 * 3.5 + 0.2 * 5.25, Regularizer.l1l2(0.1, 0.2).value(x), 1e-9);
        assertEquals(0.0, Regularizer.get("l1_l2").value(x), 0.0, "Keras 3's L1L2 defaults are 0");
        assertEquals(0.01 * 5.25, Regularizer.get("l2").value(x), 1e-9);
        float[] g = new float[3];
        Regularizer.l1l2(0.1, 0.2).addGradient(new float[] {1f, -2f, 0f}, g);
        assertEquals(0.1f + 0.4f, g[0], 1e-7f);
        assertEquals(-0.1f - 0.8f, g[1], 1e-7f);
        assertEquals(0f, g[2], 0f, "sign(0) = 0");
        assertThrows(IllegalArgumentException.class, () -> Regularizer.l2(-1));
        assertEquals(Map.of("l2", 0.01), Regularizer.get("l2").getConfig());
    }

    private static Sequential model(boolean regularized) {
        Rnn4j.setRandomSeed(11);
        LSTM lstm = new LSTM(3).returnSequences(true).inputShape(4, 2);
        Dense dense = new Dense(2);
        if (regularized) {
            lstm.kernelRegularizer(Regularizer.l2(0.01)).recurrentRegularizer(Regularizer.l1(0.02))
                    .biasRegularizer(Regularizer.l1l2(0.03, 0.04)).activityRegularizer(Regularizer.l2(0.05));
            dense.kernelRegularizer(Regularizer.l1l2(0.01, 0.02)).biasRegularizer(Regularizer.l2(0.1))
                    .activityRegularizer(Regularizer.l1(0.01));
        }
        Sequential m = new Sequential(lstm, dense);
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new SGD(0.1));
        // A non-zero bias so the bias penalties count; no value within 0.05 of 0, where |w| has its kink and central
        // differences of step 1e-2 would straddle it.
        for (Weight w : m.weights()) {
            float[] v = w.value().data();
            if (w.name().equals("bias")) java.util.Arrays.fill(v, 0.3f);
            for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.05f) v[i] = v[i] < 0 ? -0.05f : 0.05f;
        }
        return m;
    }

    @Test
    void regularizedLossIsLossPlusPenaltiesAndItsGradientChecks() {
        Tensor x = GradientCheck.random(5, 3, 4, 2), y = GradientCheck.random(6, 3, 4, 2);
        Sequential plain = model(false), reg = model(true);
        double base = plain.testOnBatch(x, y).get("loss");
        // Penalties by hand: weights, plus activities of this batch (LSTM outputs, Dense outputs), unscaled by batch.
        double penalty = 0;
        for (Weight w : reg.weights()) if (w.regularizer() != null) penalty += w.regularizer().value(w.value().data());
        Tensor hidden = new Sequential(reg.layers().get(0)).predict(x);
        Tensor out = reg.predict(x);
        penalty += 0.05 * sumSquares(hidden.data()) + 0.01 * sumAbs(out.data());
        assertEquals(base + penalty, reg.testOnBatch(x, y).get("loss"), 1e-5 * (base + penalty));
        assertEquals(base + penalty, reg.evaluate(x, y, 3).get("loss"), 1e-5 * (base + penalty), "evaluate too");
        GradientCheck.assertGradients(reg, new Tensor[] {x}, new Tensor[] {y});
    }

    @Test
    void trainingStepMovesTheWeightsAlongTheRegularizedGradient() {
        // Dense with no data signal (zero inputs): the only kernel gradient is the penalty's, 2 * l2 * w.
        Rnn4j.setRandomSeed(2);
        Dense d = new Dense(2).kernelRegularizer(Regularizer.l2(0.5)).inputShape(3);
        Sequential m = new Sequential(d);
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new SGD(0.1));
        float[] before = m.weights().get(0).value().data().clone();
        m.trainOnBatch(Tensor.zeros(4, 3), Tensor.zeros(4, 2));
        float[] after = m.weights().get(0).value().data();
        for (int i = 0; i < before.length; i++) assertEquals(before[i] * (1 - 0.1f * 2 * 0.5f), after[i], 1e-6f);
    }

    @Test
    void gruAndSimpleRnnTakeThemFromTheSharedDriver() {
        Tensor x = GradientCheck.random(7, 2, 3, 2), y = GradientCheck.random(8, 2, 2);
        for (int kind = 0; kind < 2; kind++) {
            Rnn4j.setRandomSeed(4);
            org.rnn4j.layers.recurrent.RNN<?> rnn = kind == 0 ? new org.rnn4j.layers.recurrent.GRU(2)
                    : new org.rnn4j.layers.recurrent.SimpleRNN(2);
            rnn.kernelRegularizer(Regularizer.l2(0.1)).recurrentRegularizer(Regularizer.l2(0.2)).inputShape(3, 2);
            Sequential m = new Sequential(rnn);
            m.compile(new org.rnn4j.losses.MeanSquaredError(), new SGD(0.1));
            double penalty = 0.1 * sumSquares(m.weights().get(0).value().data()) + 0.2 * sumSquares(m.weights().get(1).value().data());
            double base = org.rnn4j.losses.Loss.get("mse").compute(y, m.predict(x), null, null);
            assertEquals(base + penalty, m.testOnBatch(x, y).get("loss"), 1e-5 * (base + penalty), rnn.className());
            assertEquals(null, m.weights().get(2).regularizer(), "no bias regularizer was set");
        }
    }

    private static double sumSquares(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return s;
    }

    private static double sumAbs(float[] a) {
        double s = 0;
        for (float v : a) s += Math.abs(v);
        return s;
    }
}
