package org.rnn4j.optimizers.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Weight;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

class SchedulesTest {
    private static void near(double expected, double actual, String what) {
        // Keras computes in float32: compare at float32 resolution.
        assertEquals(expected, actual, Math.abs(expected) * 1e-6 + 1e-12, what);
    }

    @Test
    void exponentialDecayGivesKerasValues() {
        ExponentialDecay d = new ExponentialDecay(0.1, 100, 0.96);
        near(0.1, d.rate(0), "step 0");
        near(0.1 * Math.pow(0.96, 0.5), d.rate(50), "step 50");
        near(0.1 * 0.96, d.rate(100), "step 100");
        near(0.1 * Math.pow(0.96, 2.5), d.rate(250), "step 250");
        ExponentialDecay stairs = new ExponentialDecay(0.1, 100, 0.5, true);
        near(0.1, stairs.rate(99), "staircase keeps the rate within a period");
        near(0.05, stairs.rate(100), "staircase halves at the boundary");
        near(0.025, stairs.rate(250), "staircase floor(2.5) = 2");
        assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5));
    }

    @Test
    void cosineDecayGivesKerasValuesWithAndWithoutWarmup() {
        CosineDecay c = new CosineDecay(0.1, 1000);
        near(0.1, c.rate(0), "step 0");
        near(0.05, c.rate(500), "half way: cos(pi/2) = 0");
        near(0.1 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), c.rate(250), "quarter");
        near(0.0, c.rate(1000), "end");
        near(0.0, c.rate(5000), "steps beyond decay_steps are clamped");
        CosineDecay a = new CosineDecay(0.1, 1000, 0.2);
        near(0.1 * (0.8 * 0.5 + 0.2), a.rate(500), "alpha floor: (1-alpha)*cosine + alpha");
        near(0.02, a.rate(2000), "alpha is the final fraction");
        CosineDecay w = new CosineDecay(0.0, 1000, 0.0, 0.1, 100);
        near(0.0, w.rate(0), "warmup starts at the initial rate");
        near(0.05, w.rate(50), "linear warmup");
        near(0.1, w.rate(100), "warmup target, start of the decay");
        near(0.05, w.rate(600), "decay counts from the end of the warmup");
        near(0.0, w.rate(1100), "end");
    }

    @Test
    void piecewiseConstantDecayUsesInclusiveUpperBoundaries() {
        PiecewiseConstantDecay p = new PiecewiseConstantDecay(new long[] {100, 110}, new double[] {1.0, 0.5, 0.1});
        near(1.0, p.rate(0), "first");
        near(1.0, p.rate(100), "step <= boundary keeps the value");
        near(0.5, p.rate(101), "second");
        near(0.5, p.rate(110), "second, inclusive");
        near(0.1, p.rate(111), "last");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {1, 2}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("1 less than the length of values"), e.getMessage());
    }

    @Test
    void optimizerUsesTheScheduleAtTheStepBeforeTheUpdate() {
        // SGD: w -= lr(step) * g with g = 1, so each update subtracts the scheduled rate; the first uses step 0.
        SGD sgd = new SGD(new PiecewiseConstantDecay(new long[] {0, 1}, new double[] {1.0, 0.5, 0.25}));
        Weight w = new Weight("kernel", "d/kernel", Tensor.zeros(1), true);
        w.grad().data()[0] = 1f;
        float[] expected = {-1f, -1.5f, -1.75f, -2f};
        for (int i = 0; i < 4; i++) {
            sgd.apply(List.of(w));
            assertEquals(expected[i], w.value().data()[0], 1e-7f, "after update " + (i + 1));
        }
        near(0.25, sgd.learningRate(), "learningRate() reports the scheduled value");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.setLearningRate(0.1));
        assertTrue(e.getMessage().contains("not settable"), e.getMessage());
        Optimizer adam = new Adam(new ExponentialDecay(1e-3, 10, 0.5));
        @SuppressWarnings("unchecked")
        Map<String, Object> lr = (Map<String, Object>) adam.getConfig().get("learning_rate");
        assertEquals("ExponentialDecay", lr.get("class_name"));
        assertEquals(Map.of("initial_learning_rate", 1e-3, "decay_steps", 10L, "decay_rate", 0.5, "staircase", false,
                "name", "ExponentialDecay"), lr.get("config"));
        assertEquals(adam.getConfig().get("learning_rate"), LearningRateSchedule.fromConfig(lr).serialize());
    }
}
