package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.flink.examples.ExactlyOnceCheck;
import org.rnn4j.flink.examples.InferenceJob;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;

/**
 * Reset events and a model hot swap through the broadcast stream in a whole job (MiniCluster, parallelism 2,
 * checkpoints on). Where the swap falls among each key's events is up to the cluster; the test replays each key's
 * outputs in order against its own reference: model v0 until the key's first output by v1, then v1 from a fresh
 * state (the RESET rule), every flagged event starting its key afresh.
 */
class MiniClusterLifecycleTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Keys x steps events (as the example generator), with a reset flag on step 7 of every third key. */
    static StreamEvent event(long i, int keys) {
        int k = (int) (i % keys), t = (int) (i / keys);
        return new StreamEvent("k" + k, t, InferenceJob.features(k, t, TestModels.FEATURES), k % 3 == 0 && t == 7);
    }

    @Test
    void resetEventsAndAHotSwapOnTheBroadcastStreamGiveEachKeysReference(@TempDir Path dir) throws Exception {
        int keys = 60, steps = 16;
        String v0 = TestModels.lstm(dir, "v0", 8, 31), v1 = TestModels.lstm(dir, "v1", 8, 32);
        StreamExecutionEnvironment env = MiniClusterInferenceTest.env(dir, "hashmap");
        // At most 120 events per checkpoint: the events span eight checkpoints, the single model update comes at once.
        DataGeneratorSource<StreamEvent> source = new DataGeneratorSource<>(i -> event(i, keys), (long) keys * steps,
                RateLimiterStrategy.perCheckpoint(120), TypeInformation.of(StreamEvent.class));
        DataStream<StreamEvent> events = env.fromSource(source, WatermarkStrategy.noWatermarks(), "events").setParallelism(1);
        DataStream<ModelUpdate> updates = env.fromData(new ModelUpdate(v1, 1)).setParallelism(1);
        DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(v0)).batch(16, Duration.ofMillis(2))
                .modelUpdates(updates, SwapRule.RESET).apply(events, e -> e.key);
        InferenceJob.fileSink(out, dir.resolve("out").toString());
        env.execute("lifecycle");

        Map<String, List<Prediction>> byKey = new HashMap<>();
        for (Prediction p : ExactlyOnceCheck.readCommitted(dir.resolve("out"))) byKey.computeIfAbsent(p.key, x -> new ArrayList<>()).add(p);
        Model m0 = SharedModels.load(v0), m1 = SharedModels.load(v1);
        int swapped = 0;
        for (int k = 0; k < keys; k++) {
            List<Prediction> got = byKey.get("k" + k);
            assertEquals(steps, got.size(), "key k" + k);
            got.sort(Comparator.comparingLong(p -> p.seq));
            Model model = m0;
            RecurrentState s = m0.newState();
            long version = 0;
            for (int t = 0; t < steps; t++) {
                Prediction p = got.get(t);
                assertEquals(t, p.seq);
                assertTrue(p.modelVersion >= version, "key k" + k + ": the model version never goes back");
                if (p.modelVersion != version) {
                    version = p.modelVersion;
                    model = m1;
                    s = m1.newState();
                    swapped++;
                }
                StreamEvent e = event((long) t * keys + k, keys);
                if (e.reset) s = model.newState();
                float[] y = model.step(s, e.features);
                assertEquals(s.steps(), p.steps, "key k" + k + " step " + t);
                assertTrue(TestModels.maxDiff(y, p.output) <= 1e-6, "key k" + k + " step " + t);
            }
        }
        assertTrue(swapped > 0, "the swap reached the keys");
    }
}
