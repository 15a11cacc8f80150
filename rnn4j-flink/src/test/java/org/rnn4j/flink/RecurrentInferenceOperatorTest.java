package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;

/**
 * The operator on Flink's operator test harness (real keyed state, checkpoints, processing-time and TTL clocks set by
 * the test): batching and per-key order, flushing before barriers, restore, TTL, reset, hot swap, emit policies.
 */
class RecurrentInferenceOperatorTest {
    @TempDir static Path dir;
    static String v0, v1, wide;
    static Model m0, m1;

    @BeforeAll
    static void models() {
        v0 = TestModels.lstm(dir, "v0", 8, 1);
        v1 = TestModels.lstm(dir, "v1", 8, 2);   // same architecture, other weights
        wide = TestModels.lstm(dir, "wide", 6, 3); // another state layout
        m0 = SharedModels.load(v0);
        m1 = SharedModels.load(v1);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, StreamEvent, ModelUpdate, Prediction> harness(RecurrentInference b)
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(b.operator(), (StreamEvent e) -> e.key, (ModelUpdate u) -> "", Types.STRING);
        return h;
    }

    private static void send(KeyedTwoInputStreamOperatorTestHarness<String, StreamEvent, ModelUpdate, Prediction> h, StreamEvent e)
            throws Exception {
        h.processElement1(e, e.seq);
    }

    /** Each key's outputs in emission order. */
    private static Map<String, List<Prediction>> byKey(List<Prediction> out) {
        Map<String, List<Prediction>> m = new HashMap<>();
        for (Prediction p : out) m.computeIfAbsent(p.key, k -> new ArrayList<>()).add(p);
        return m;
    }

    @Test
    void batchedStepsEqualSteppingEachKeyAloneInEveryKeysOrder() throws Exception {
        int keys = 12, steps = 9;
        // A seeded random interleaving that keeps each key's order (so one batch often holds a key several times).
        List<StreamEvent> events = new ArrayList<>();
        int[] next = new int[keys];
        SplittableRandom r = new SplittableRandom(7);
        while (events.size() < keys * steps) {
            int k = r.nextInt(keys);
            if (next[k] < steps) events.add(new StreamEvent("k" + k, next[k], TestModels.features(k, next[k]++)));
        }
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(16, Duration.ofHours(1)))) {
            h.open();
            for (int i = 0; i < 15; i++) send(h, events.get(i));
            assertEquals(0, h.extractOutputValues().size(), "15 events wait for a batch of 16");
            send(h, events.get(15));
            assertEquals(16, h.extractOutputValues().size(), "the 16th event steps the batch");
            for (int i = 16; i < events.size(); i++) send(h, events.get(i));
            h.endAllInputs();
            Map<String, List<Prediction>> out = byKey(h.extractOutputValues());
            assertEquals(keys, out.size());
            for (int k = 0; k < keys; k++) {
                float[][] ref = TestModels.alone(m0, k, steps);
                List<Prediction> got = out.get("k" + k);
                assertEquals(steps, got.size());
                for (int t = 0; t < steps; t++) {
                    assertEquals(t, got.get(t).seq, "key k" + k + " in order");
                    assertEquals(t + 1, got.get(t).steps);
                    assertTrue(TestModels.maxDiff(ref[t], got.get(t).output) <= 1e-6, "key k" + k + " step " + t);
                }
            }
        }
    }

    @Test
    void aPartialBatchIsSteppedWhenItsDelayPassesOrBeforeABarrier() throws Exception {
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(100, Duration.ofMillis(5)))) {
            h.open();
            h.setProcessingTime(1000);
            for (int k = 0; k < 3; k++) send(h, new StreamEvent("k" + k, 0, TestModels.features(k, 0)));
            assertEquals(0, h.extractOutputValues().size());
            h.setProcessingTime(1005);
            assertEquals(3, h.extractOutputValues().size(), "the 5 ms timer steps the waiting events");
            send(h, new StreamEvent("k0", 1, TestModels.features(0, 1)));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(4, h.extractOutputValues().size(), "nothing waits across a checkpoint barrier");
        }
    }

    @Test
    void aRestoredOperatorContinuesEveryKeyFromTheCheckpoint() throws Exception {
        RecurrentInference b = RecurrentInference.with(ModelSource.of(v0)).batch(4, Duration.ofHours(1));
        int keys = 5, steps = 6;
        OperatorSubtaskState snapshot;
        try (var h = harness(b)) {
            h.open();
            for (StreamEvent e : TestModels.interleaved(keys, 3)) send(h, e);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(b)) {
            h.initializeState(snapshot);
            h.open();
            for (StreamEvent e : TestModels.interleaved(keys, steps)) if (e.seq >= 3) send(h, e);
            h.endAllInputs();
            Map<String, List<Prediction>> out = byKey(h.extractOutputValues());
            for (int k = 0; k < keys; k++) {
                float[][] ref = TestModels.alone(m0, k, steps);
                for (Prediction p : out.get("k" + k)) {
                    assertEquals(p.seq + 1, p.steps);
                    assertTrue(TestModels.maxDiff(ref[(int) p.seq], p.output) <= 1e-6, "key k" + k + " step " + p.seq);
                }
                assertEquals(steps - 3, out.get("k" + k).size());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anIdleKeyExpiresAfterItsTtlAndStartsAfresh(String backend) throws Exception {
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(1, Duration.ZERO).stateTtl(Duration.ofMillis(100)))) {
            if (backend.equals("rocksdb")) h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            h.setStateTtlProcessingTime(0);
            for (int t = 0; t < 3; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            send(h, new StreamEvent("b", 0, TestModels.features(1, 0)));
            h.setStateTtlProcessingTime(99);
            send(h, new StreamEvent("b", 1, TestModels.features(1, 1))); // b is written again at 99: lives to 199
            h.setStateTtlProcessingTime(150);
            send(h, new StreamEvent("a", 3, TestModels.features(0, 0)));
            send(h, new StreamEvent("b", 2, TestModels.features(1, 2)));
            List<Prediction> out = h.extractOutputValues();
            Prediction a = out.get(5), b = out.get(6);
            assertEquals(1, a.steps, "a was idle for 150 ms > 100 ms: a fresh state");
            assertTrue(TestModels.maxDiff(TestModels.alone(m0, 0, 1)[0], a.output) <= 1e-6);
            assertEquals(3, b.steps, "b was idle for 51 ms: its state lives on");
            assertTrue(TestModels.maxDiff(TestModels.alone(m0, 1, 3)[2], b.output) <= 1e-6);
        }
    }

    @Test
    void aResetEventStartsItsKeyAfreshAndAResetAloneClearsIt() throws Exception {
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(8, Duration.ofHours(1)))) {
            h.open();
            for (int t = 0; t < 4; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            send(h, new StreamEvent("a", 4, TestModels.features(0, 0), true)); // same batch as steps 0..3
            send(h, new StreamEvent("a", 5, TestModels.features(0, 1)));
            send(h, new StreamEvent("b", 0, TestModels.features(1, 0)));
            send(h, StreamEvent.reset("b", 1));
            h.endAllInputs();
            assertEquals(7, h.extractOutputValues().size(), "a reset alone emits nothing");
            List<Prediction> out = byKey(h.extractOutputValues()).get("a");
            float[][] ref = TestModels.alone(m0, 0, 4);
            assertEquals(4, out.get(3).steps);
            assertTrue(TestModels.maxDiff(ref[3], out.get(3).output) <= 1e-6);
            assertEquals(1, out.get(4).steps, "the reset event is the first step of a new stream");
            assertTrue(TestModels.maxDiff(ref[0], out.get(4).output) <= 1e-6);
            assertEquals(2, out.get(5).steps);
            assertTrue(TestModels.maxDiff(ref[1], out.get(5).output) <= 1e-6);
            assertEquals(1, h.numKeyedStateEntries(), "b's state is gone, a's is kept");
        }
    }

    private static List<Prediction> swap(SwapRule rule, String newUri) throws Exception {
        RecurrentInference b = RecurrentInference.with(ModelSource.of(v0)).batch(1, Duration.ZERO);
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(b.swapRule(rule).operator(), (StreamEvent e) -> e.key,
                (ModelUpdate u) -> "", Types.STRING)) {
            h.open();
            for (int t = 0; t < 3; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            h.processElement2(new ModelUpdate(newUri, 1), 0);
            h.processElement2(new ModelUpdate(v0, 1), 0); // a replayed or stale update: ignored
            for (int t = 3; t < 5; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            return h.extractOutputValues();
        }
    }

    @Test
    void aHotSwapWithTheResetRuleStartsEveryKeyAfreshOnTheNewModel() throws Exception {
        List<Prediction> out = swap(SwapRule.RESET, v1);
        assertEquals(0, out.get(2).modelVersion);
        assertEquals(1, out.get(3).modelVersion);
        assertEquals(1, out.get(3).steps);
        RecurrentState s = m1.newState();
        m1.step(s, TestModels.features(0, 3));
        assertTrue(TestModels.maxDiff(m1.step(s, TestModels.features(0, 4)), out.get(4).output) <= 1e-6);
    }

    @Test
    void aHotSwapWithTheKeepRuleCarriesStatesToACompatibleModelOnly() throws Exception {
        List<Prediction> out = swap(SwapRule.KEEP_IF_COMPATIBLE, v1);
        // Reference: the state after three steps on v0, carried onto v1, stepped there.
        RecurrentState s0 = m0.newState();
        for (int t = 0; t < 3; t++) m0.step(s0, TestModels.features(0, t));
        RecurrentState s1 = StateCodec.of(m1).decode(StateCodec.of(m0).encode(s0), s0.steps());
        float[] y3 = m1.step(s1, TestModels.features(0, 3));
        assertEquals(4, out.get(3).steps);
        assertEquals(1, out.get(3).modelVersion);
        assertTrue(TestModels.maxDiff(y3, out.get(3).output) <= 1e-6);
        assertTrue(TestModels.maxDiff(m1.step(s1, TestModels.features(0, 4)), out.get(4).output) <= 1e-6);

        List<Prediction> other = swap(SwapRule.KEEP_IF_COMPATIBLE, wide);
        assertEquals(1, other.get(3).steps, "LSTM(6) cannot continue an LSTM(8) state: the key starts afresh");
    }

    @Test
    void emitPoliciesFilterOutputsButEveryEventIsStepped() throws Exception {
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(1, Duration.ZERO).emit(EmitPolicy.everyKth(3)))) {
            h.open();
            for (int t = 0; t < 10; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            List<Prediction> out = h.extractOutputValues();
            assertEquals(List.of(3L, 6L, 9L), out.stream().map(p -> p.steps).toList());
            assertTrue(TestModels.maxDiff(TestModels.alone(m0, 0, 9)[8], out.get(2).output) <= 1e-6);
        }
        float[][] ref = TestModels.alone(m0, 0, 10);
        float threshold = ref[4][0];
        try (var h = harness(RecurrentInference.with(ModelSource.of(v0)).batch(1, Duration.ZERO).emit(EmitPolicy.atOrAbove(0, threshold)))) {
            h.open();
            for (int t = 0; t < 10; t++) send(h, new StreamEvent("a", t, TestModels.features(0, t)));
            List<Prediction> out = h.extractOutputValues();
            long expected = java.util.Arrays.stream(ref).filter(y -> y[0] >= threshold).count();
            assertEquals(expected, out.size());
            for (Prediction p : out) assertTrue(p.output[0] >= threshold);
        }
    }
}
