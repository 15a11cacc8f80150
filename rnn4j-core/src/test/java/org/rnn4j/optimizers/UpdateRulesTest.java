package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.layers.Weight;
import org.rnn4j.optimizers.schedules.ExponentialDecay;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's update rules of SGD, Adam, RMSprop and Adagrad, and the clipping, weight decay, schedules, constraints and
 * slots every optimizer shares: one weight starting at 1 (or a few), stepped by hand-computed amounts.
 */
class UpdateRulesTest {
    /** Applies the gradients in turn to one weight starting at 1; returns its values after each step. */
    private static double[] steps(Optimizer opt, float... grads) {
        Weight w = weight(1f);
        double[] out = new double[grads.length];
        for (int i = 0; i < grads.length; i++) {
            w.grad().data()[0] = grads[i];
            opt.apply(List.of(w));
            out[i] = w.value().data()[0];
        }
        return out;
    }

    private static Weight weight(float... values) {
        return new Weight("w", "w", Tensor.of(values.clone(), values.length), true);
    }

    @Test
    void sgdStepsAgainstTheGradientWithMomentumAndNesterov() {
        // Plain: w -= 0.1 * 0.5, twice.
        assertArrayEquals(new double[] {0.95, 0.9}, steps(new SGD(0.1), 0.5f, 0.5f), 1e-6);
        // Momentum 0.9: v = -0.05, w = 0.95; v = 0.9 * -0.05 - 0.05 = -0.095, w = 0.855.
        assertArrayEquals(new double[] {0.95, 0.855}, steps(new SGD(0.1, 0.9, false), 0.5f, 0.5f), 1e-6);
        // Nesterov: w += 0.9 v - 0.05: 1 - 0.045 - 0.05 = 0.905; 0.905 - 0.0855 - 0.05 = 0.7695.
        assertArrayEquals(new double[] {0.905, 0.7695}, steps(new SGD(0.1, 0.9, true), 0.5f, 0.5f), 1e-6);
        assertEquals(0, new SGD(0.1).slotsPerWeight());
        assertEquals(1, new SGD(0.1, 0.5, false).slotsPerWeight());
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, 1.5, false));
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, -0.1, false));
        Map<String, Object> c = new SGD(0.1, 0.9, true).getConfig();
        assertEquals(0.9, (double) c.get("momentum"));
        assertEquals(true, c.get("nesterov"));
        assertEquals("sgd", c.get("name"));
        assertEquals(0.1, (double) c.get("learning_rate"));
    }

    @Test
    void adamCorrectsBiasAndAddsEpsilonToTheRawMoment() {
        // alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t); w -= alpha_t m / (sqrt(v) + eps), by hand in double precision.
        assertArrayEquals(new double[] {0.9000006, 0.8733671}, steps(new Adam(0.1), 0.5f, -0.25f), 1e-6);
        // AMSGrad keeps the largest v: after g = 1 then 0.01, v falls but the maximum does not (3e-5 apart; the
        // float32 arithmetic is within 2e-6 of these double-precision values).
        assertArrayEquals(new double[] {0.9000003, 0.8322841},
                steps(new Adam(0.1, 0.9, 0.999, 1e-7, true), 1f, 0.01f), 3e-6);
        assertArrayEquals(new double[] {0.9000003, 0.8322536}, steps(new Adam(0.1), 1f, 0.01f), 3e-6);
        // A gradient near epsilon: Keras divides by sqrt(v) + 1e-7, TensorFlow.js by sqrt(v) + 1e-7 sqrt(1 - b2).
        assertEquals(0.9759747, steps(new Adam(0.1), 1e-6f)[0], 1e-6);
        Adam tfjs = new Adam(0.1).epsilonOnCorrectedMoments(true);
        assertTrue(tfjs.epsilonOnCorrectedMoments());
        assertFalse(new Adam().epsilonOnCorrectedMoments());
        assertEquals(0.9090909, steps(tfjs, 1e-6f)[0], 1e-6);
        assertEquals(2, new Adam().slotsPerWeight());
        assertEquals(3, new Adam(0.1, 0.9, 0.999, 1e-7, true).slotsPerWeight());
        Map<String, Object> c = new Adam(0.1, 0.8, 0.99, 1e-6, true).getConfig();
        assertEquals(0.8, (double) c.get("beta_1"));
        assertEquals(0.99, (double) c.get("beta_2"));
        assertEquals(1e-6, (double) c.get("epsilon"));
        assertEquals(true, c.get("amsgrad"));
    }

    @Test
    void rmspropDividesByTheRootMeanSquareCenteredOrWithMomentum() {
        // s = 0.1 * 0.25 = 0.025: w -= 0.1 * 0.5 / sqrt(0.025 + 1e-7); then s = 0.0475.
        assertArrayEquals(new double[] {0.6837729, 0.4543574}, steps(new RMSprop(0.1), 0.5f, 0.5f), 1e-6);
        // Centered: the variance s - mg^2 with mg = 0.05 (then 0.095).
        assertArrayEquals(new double[] {0.6666674, 0.4117614},
                steps(new RMSprop(0.1, 0.9, 0.0, 1e-7, true), 0.5f, 0.5f), 1e-6);
        // Momentum 0.5: the second step moves by 0.5 * inc_1 + inc_2.
        assertArrayEquals(new double[] {0.6837729, 0.2962438},
                steps(new RMSprop(0.1, 0.9, 0.5, 1e-7, false), 0.5f, 0.5f), 1e-6);
        assertEquals(3, new RMSprop(0.1).slotsPerWeight());
        Map<String, Object> c = new RMSprop(0.1, 0.8, 0.5, 1e-6, true).getConfig();
        assertEquals(0.8, (double) c.get("rho"));
        assertEquals(0.5, (double) c.get("momentum"));
        assertEquals(1e-6, (double) c.get("epsilon"));
        assertEquals(true, c.get("centered"));
    }

    @Test
    void adagradAccumulatesSquaresFromItsInitialValue() {
        // acc = 0.1 + 0.25: w -= 0.1 * 0.5 / sqrt(0.35 + 1e-7); then acc = 0.6.
        assertArrayEquals(new double[] {0.9154846, 0.8509349}, steps(new Adagrad(0.1), 0.5f, 0.5f), 1e-6);
        Weight w = weight(1f);
        Adagrad a = new Adagrad(0.1);
        assertNull(a.slots(w));
        a.apply(List.of(w));
        assertArrayEquals(new float[] {0.1f}, a.slots(w)[0]);
        Map<String, Object> c = new Adagrad(0.1, 0.2, 1e-6).getConfig();
        assertEquals(0.2, (double) c.get("initial_accumulator_value"));
        assertEquals(1e-6, (double) c.get("epsilon"));
    }

    /** SGD(1) over weights [1, 1] with gradient [3, 4] (norm 5) and [1] with gradient [0.5]; returns the new values. */
    private static float[][] clipped(Optimizer opt) {
        Weight a = weight(1f, 1f), b = weight(1f);
        a.grad().data()[0] = 3f;
        a.grad().data()[1] = 4f;
        b.grad().data()[0] = 0.5f;
        opt.apply(List.of(a, b));
        // The gradients themselves are left as they were.
        assertArrayEquals(new float[] {3f, 4f}, a.grad().data());
        return new float[][] {a.value().data(), b.value().data()};
    }

    @Test
    void clippingByNormValueAndGlobalNorm() {
        float[][] none = clipped(new SGD(1));
        assertArrayEquals(new float[] {-2f, -3f}, none[0], 1e-6f);
        SGD byNorm = new SGD(1);
        byNorm.setClipNorm(1);
        float[][] n = clipped(byNorm);
        assertArrayEquals(new float[] {0.4f, 0.2f}, n[0], 1e-6f);   // [3, 4] / 5
        assertArrayEquals(new float[] {0.5f}, n[1], 1e-6f);         // norm 0.5 is under 1: as it is
        SGD byValue = new SGD(1);
        byValue.setClipValue(0.4);
        float[][] v = clipped(byValue);
        assertArrayEquals(new float[] {0.6f, 0.6f}, v[0], 1e-6f);
        assertArrayEquals(new float[] {0.6f}, v[1], 1e-6f);
        SGD global = new SGD(1);
        global.setGlobalClipNorm(2.5);
        float[][] g = clipped(global);
        // Over both weights the norm is sqrt(25.25): every gradient scales by 2.5 / sqrt(25.25).
        assertArrayEquals(new float[] {-0.4925558f, -0.9900744f}, g[0], 1e-6f);
        assertArrayEquals(new float[] {0.7512407f}, g[1], 1e-6f);
        SGD globalOver = new SGD(1);
        globalOver.setGlobalClipNorm(10);
        assertArrayEquals(none[0], clipped(globalOver)[0], 1e-6f);
        Map<String, Object> c = global.getConfig();
        assertEquals(2.5, (double) c.get("global_clipnorm"));
        assertEquals(1.0, (double) byNorm.getConfig().get("clipnorm"));
        assertEquals(0.4, (double) byValue.getConfig().get("clipvalue"));
        assertFalse(new SGD(1).getConfig().containsKey("clipnorm"));
        assertFalse(new SGD(1).getConfig().containsKey("weight_decay"));
    }

    @Test
    void aScheduleSetsEachStepsRateFromTheIterationCount() {
        // ExponentialDecay(0.1, 1, 0.5): 0.1 at iteration 0, 0.05 at 1.
        SGD sgd = new SGD(new ExponentialDecay(0.1, 1, 0.5));
        assertEquals(0.1, sgd.learningRate(), 1e-7);
        assertArrayEquals(new double[] {0.95, 0.925}, steps(sgd, 0.5f, 0.5f), 1e-6);
        assertEquals(2, sgd.iterations());
        assertEquals(0.025, sgd.learningRate(), 1e-7);
        assertTrue(sgd.schedule() instanceof ExponentialDecay);
        assertEquals("ExponentialDecay", ((Map<?, ?>) sgd.getConfig().get("learning_rate")).get("class_name"));
        assertThrows(IllegalStateException.class, () -> sgd.setLearningRate(0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).learningRate(null));
        for (Optimizer o : List.of(new Adam(new ExponentialDecay(0.1, 1, 0.5)), new RMSprop(new ExponentialDecay(0.1, 1, 0.5)),
                new Adagrad(new ExponentialDecay(0.1, 1, 0.5)))) {
            assertEquals(0.1, o.learningRate(), 1e-7, o.className());
        }
        sgd.setIterations(0);
        assertEquals(0.1, sgd.learningRate(), 1e-7);
    }

    @Test
    void learningRatesMustBeNonNegativeNumbers() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new SGD(bad));
            assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).setLearningRate(bad));
            assertThrows(IllegalArgumentException.class, () -> new SGD(0.1).weightDecay(bad == -0.1 ? bad : Double.POSITIVE_INFINITY));
        }
        SGD s = new SGD(0.1);
        s.setLearningRate(0.2);
        assertEquals(0.2, s.learningRate());
        assertArrayEquals(new double[] {0.9}, steps(s, 0.5f), 1e-6);
        // weight_decay 0 is off, as NaN.
        assertTrue(Double.isNaN(new SGD(0.1).weightDecay(0).weightDecay()));
        assertArrayEquals(new double[] {1.0}, steps(new SGD(0.1).weightDecay(0), 0f), 1e-7);
    }

    @Test
    void decayShrinksEveryWeightBeforeAnyUpdateAndConstraintsApplyAfter() {
        // Two weights, decay 0.5 at lr 0.1: each shrinks by 5% first, then steps by its own gradient.
        SGD sgd = new SGD(0.1).weightDecay(0.5);
        Weight a = weight(2f), b = weight(-4f);
        a.grad().data()[0] = 1f;
        b.grad().data()[0] = -1f;
        sgd.apply(List.of(a, b));
        assertEquals(2 * 0.95 - 0.1, a.value().data()[0], 1e-6);
        assertEquals(-4 * 0.95 + 0.1, b.value().data()[0], 1e-6);
        // non_neg after the step: -0.5 becomes 0; the version moves so caches see the change.
        Weight c = weight(0.5f);
        c.setConstraint(Constraint.nonNeg());
        int before = c.version();
        c.grad().data()[0] = 10f;
        new SGD(0.1).apply(List.of(c));
        assertEquals(0f, c.value().data()[0], 0f);
        assertTrue(c.version() > before);
    }

    @Test
    void restoredSlotsContinueWhereTheyLeftOff() {
        // Two Adam steps in one optimizer equal one step, then a new optimizer given the slots and the count.
        Weight w1 = weight(1f), w2 = weight(1f);
        Adam a = new Adam(0.1);
        w1.grad().data()[0] = 0.5f;
        a.apply(List.of(w1));
        Adam b = new Adam(0.1);
        float[][] saved = {a.slots(w1)[0].clone(), a.slots(w1)[1].clone()};
        w2.value().data()[0] = w1.value().data()[0];
        b.restore(w2, saved);
        b.setIterations(a.iterations());
        assertSame(saved, b.slots(w2));
        w1.grad().data()[0] = -0.25f;
        w2.grad().data()[0] = -0.25f;
        a.apply(List.of(w1));
        b.apply(List.of(w2));
        assertEquals(0.8733671, w1.value().data()[0], 1e-6);
        assertEquals(w1.value().data()[0], w2.value().data()[0]);
    }

    @Test
    void unknownNamesAreRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.get("adamm"));
        assertTrue(e.getMessage().contains("'adamm'") && e.getMessage().contains("rmsprop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizer.get(null));
        assertEquals(0.01, Optimizer.get("SGD").learningRate());
        assertEquals(0.001, Optimizer.get("Adam").learningRate());
        assertEquals(0.001, Optimizer.get("rmsprop").learningRate());
        assertEquals(0.001, Optimizer.get("adagrad").learningRate());
    }
}
