package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The timeseries-classification example's claim: Keras's Conv1D + BatchNormalization + ReLU (x3) +
 * GlobalAveragePooling1D + softmax network tells a noisy sine from a noisy square wave on held-out series at 95% or
 * more, and its summary counts the moving statistics as Keras does.
 */
class TimeseriesClassificationTest {
    @Test
    void convolutionalClassifierLearnsTheWaveforms() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimeseriesClassification example = new TimeseriesClassification(new PrintStream(printed, true, StandardCharsets.UTF_8));
        TimeseriesClassification.Result r = example.run(TimeseriesClassification.Settings.defaults(),
                TimeseriesClassification.DEFAULT_SEED);
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy());
        // Keras: Conv1D(32, 3) on 1 channel 128, twice on 32 channels 3104, BatchNormalization 128 each (64 moving),
        // Dense(2) 66.
        assertEquals(128 + 2 * 3104 + 3 * 128 + 66, r.params());
        assertEquals(3 * 64, r.nonTrainableParams());
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Non-trainable params: 192"), text);
    }
}
