package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The anomaly-detection example's claim: the Conv1D / Conv1DTranspose autoencoder, thresholded at its largest
 * training error, flags the injected half-day jump of the test series and nothing else (the steps detected lie in
 * the jump, shifted by at most the one step of Keras's slice, and cover at least 80% of it); its summary has Keras's
 * 9,505 parameters.
 */
class TimeseriesAnomalyDetectionTest {
    @Test
    void autoencoderFindsTheInjectedJump() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TimeseriesAnomalyDetection example = new TimeseriesAnomalyDetection(new PrintStream(printed, true, StandardCharsets.UTF_8));
        TimeseriesAnomalyDetection.Result r = example.run(50, TimeseriesAnomalyDetection.DEFAULT_SEED);
        assertFalse(r.anomalousSteps().isEmpty(), "no anomaly detected; threshold " + r.threshold());
        for (int step : r.anomalousSteps()) {
            assertTrue(step >= TimeseriesAnomalyDetection.JUMP_START && step <= TimeseriesAnomalyDetection.JUMP_END,
                    "step " + step + " flagged outside the jump: " + r.anomalousSteps());
        }
        int jump = TimeseriesAnomalyDetection.JUMP_END - TimeseriesAnomalyDetection.JUMP_START;
        assertTrue(r.anomalousSteps().size() >= 0.8 * jump, "only " + r.anomalousSteps().size() + " of " + jump + " steps");
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("conv1d_transpose_2 (Conv1DTr (None, 48, 1)             225"), text);
        assertTrue(text.contains("Total params: 9,505"), text);
    }
}
