package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;

/** The KeyedProcessFunction form on Flink's test harness: each key's outputs, TTL, reset. */
class RecurrentInferenceFunctionTest {
    @TempDir static Path dir;
    static String uri;
    static Model model;

    @BeforeAll
    static void models() {
        uri = TestModels.lstm(dir, "f", 8, 41);
        model = SharedModels.load(uri);
    }

    @Test
    void eachKeysOutputsEqualSteppingItAloneWithTtlAndResets() throws Exception {
        var function = new RecurrentInferenceFunction<String>(ModelSource.of(uri), Duration.ofMillis(100), EmitPolicy.everyEvent(), 10);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), (StreamEvent e) -> e.key, Types.STRING)) {
            h.open();
            h.setStateTtlProcessingTime(0);
            for (int t = 0; t < 4; t++) {
                for (int k = 0; k < 3; k++) h.processElement(new StreamEvent("k" + k, t, TestModels.features(k, t)), t);
            }
            h.processElement(new StreamEvent("k1", 4, TestModels.features(1, 0), true), 4);   // reset: a new stream
            h.setStateTtlProcessingTime(150);                                                   // k0, k2 idle > 100 ms
            h.processElement(new StreamEvent("k0", 5, TestModels.features(0, 0)), 5);
            List<Prediction> out = h.extractOutputValues();
            assertEquals(14, out.size());
            for (int i = 0; i < 12; i++) {
                Prediction p = out.get(i);
                int k = i % 3, t = i / 3;
                assertEquals(t + 1, p.steps);
                assertTrue(TestModels.maxDiff(TestModels.alone(model, k, 4)[t], p.output) <= 1e-6, p.toString());
            }
            assertEquals(1, out.get(12).steps, "the reset event starts k1 afresh");
            assertTrue(TestModels.maxDiff(TestModels.alone(model, 1, 1)[0], out.get(12).output) <= 1e-6);
            assertEquals(1, out.get(13).steps, "k0 expired after 150 ms idle (TTL 100 ms)");
            assertTrue(TestModels.maxDiff(TestModels.alone(model, 0, 1)[0], out.get(13).output) <= 1e-6);
        }
    }
}
