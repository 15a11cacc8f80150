package org.rnn4j.optimizers.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each schedule's Keras config reads back to the same rates; malformed schedules and configs are refused by name. */
class ScheduleConfigsTest {
    @Test
    void everyScheduleReadsBackFromItsConfig() {
        List<LearningRateSchedule> all = List.of(new ExponentialDecay(0.1, 100, 0.5, true), new CosineDecay(0.1, 1000, 0.2),
                new CosineDecay(0.0, 1000, 0.0, 0.1, 100),
                new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1.0, 0.5, 0.1}));
        for (LearningRateSchedule s : all) {
            LearningRateSchedule back = LearningRateSchedule.fromConfig(s.serialize());
            assertEquals(s.className(), back.className());
            assertEquals(s.getConfig(), back.getConfig(), s.className());
            for (long step : new long[] {0, 10, 11, 50, 150, 2000}) assertEquals(s.rate(step), back.rate(step), s + " at " + step);
            assertTrue(s.toString().startsWith(s.className() + "{"), s.toString());
        }
        assertEquals("PiecewiseConstantDecay", all.get(3).className());
        assertEquals("CosineDecay", all.get(1).className());
        // A Keras config without alpha or warmup: alpha 0, no warmup.
        LearningRateSchedule bare = LearningRateSchedule.fromConfig(Map.of("class_name", "CosineDecay",
                "config", Map.of("initial_learning_rate", 0.1, "decay_steps", 100)));
        assertEquals(new CosineDecay(0.1, 100).rate(50), bare.rate(50));
        assertEquals(0.05, bare.rate(50), 1e-7);
    }

    @Test
    void malformedSchedulesAndConfigsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {20, 10}, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("strictly increasing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {10, 10}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(null, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[0], null));
        assertEquals(1.0, new PiecewiseConstantDecay(new long[0], new double[] {1.0}).rate(5), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 0));
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.fromConfig(Map.of("class_name", "InverseTimeDecay")));
        assertTrue(e.getMessage().contains("\"InverseTimeDecay\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.fromConfig(Map.of("class_name", "ExponentialDecay",
                "config", Map.of("initial_learning_rate", "fast", "decay_steps", 10, "decay_rate", 0.5))));
        assertTrue(e.getMessage().contains("\"initial_learning_rate\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.fromConfig(Map.of("class_name", "PiecewiseConstantDecay",
                "config", Map.of("values", List.of(1.0)))));
    }
}
