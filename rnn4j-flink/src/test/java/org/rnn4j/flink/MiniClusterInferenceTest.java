package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.flink.examples.ExactlyOnceCheck;
import org.rnn4j.flink.examples.FailureInjector;
import org.rnn4j.flink.examples.InferenceJob;
import org.rnn4j.models.Model;

/**
 * Whole jobs on an embedded Flink MiniCluster (parallelism 2, checkpoints every 100 ms): every key's every output
 * equals stepping that key alone, on the heap and the RocksDB state backends; and a task failure injected mid-stream
 * is recovered from the last checkpoint with every output committed exactly once by the transactional file sink.
 */
class MiniClusterInferenceTest {
    private static final int FEATURES = 3;

    /** One embedded cluster for the class: one task manager with two slots. */
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static StreamExecutionEnvironment env(Path dir, String backend) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                InferenceJob.localConfiguration(dir.resolve("checkpoints").toUri().toString(), backend));
        env.setParallelism(2);
        env.enableCheckpointing(100);
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void everyOutputOfEveryKeyEqualsSteppingThatKeyAlone(String backend, @TempDir Path dir) throws Exception {
        int keys = 300, steps = 20;
        String uri = TestModels.lstm(dir, "m", 8, 11);
        StreamExecutionEnvironment env = env(dir, backend);
        DataStream<StreamEvent> events = InferenceJob.generator(env, keys, steps, FEATURES, 0);
        DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(uri)).batch(64, Duration.ofMillis(2))
                .cacheSize(backend.equals("rocksdb") ? 0 : 100_000) // RocksDB: every state restored from Flink's bytes
                .apply(events, e -> e.key);
        InferenceJob.fileSink(out, dir.resolve("out").toString());
        env.execute("equivalence " + backend);

        Model model = SharedModels.load(uri);
        ExactlyOnceCheck.Result r = ExactlyOnceCheck.check(ExactlyOnceCheck.readCommitted(dir.resolve("out")), model, keys, steps,
                FEATURES, 1e-6);
        assertEquals((long) keys * steps, r.events());
        assertEquals(0, r.mismatches(), r.toString());
        assertTrue(r.maxError() <= 1e-6, r.toString());
    }

    @Test
    void aTaskFailureMidStreamIsRecoveredWithEveryOutputCommittedExactlyOnce(@TempDir Path dir) throws Exception {
        int keys = 200, steps = 25;
        String uri = TestModels.lstm(dir, "m", 8, 12);
        FailureInjector.clear();
        StreamExecutionEnvironment env = env(dir, "hashmap");
        // 5000 events, at most 1000 per checkpoint: the failure (after 400 outputs of a subtask and a completed checkpoint)
        // comes mid-stream whatever the machine's speed.
        DataStream<StreamEvent> events = InferenceJob.generator(env, keys, steps, FEATURES, 1000);
        DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(uri)).batch(32, Duration.ofMillis(2)).apply(events, e -> e.key)
                .map(new FailureInjector<Prediction>(400)).returns(Prediction.class);
        InferenceJob.fileSink(out, dir.resolve("out").toString());
        env.execute("failure");

        assertTrue(FailureInjector.highestAttempt() >= 1, "the injected failure restarted the job");
        Model model = SharedModels.load(uri);
        ExactlyOnceCheck.Result r = ExactlyOnceCheck.check(ExactlyOnceCheck.readCommitted(dir.resolve("out")), model, keys, steps,
                FEATURES, 1e-6);
        assertEquals(0, r.missing(), r.toString());
        assertEquals(0, r.duplicated(), r.toString());
        assertEquals(0, r.mismatches(), r.toString());
        assertEquals((long) keys * steps, r.events());
    }
}
