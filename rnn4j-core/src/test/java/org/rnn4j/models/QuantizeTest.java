package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.convolutional.Conv1DTranspose;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** {@code Model.quantize("int8")}: streaming equals predict exactly, save/load round trips, shared use, errors. */
class QuantizeTest {
    private static final int STEPS = 7, FEATURES = 3;

    @TempDir
    Path dir;

    /** Every recurrent kind stacked, with a Dense head: the model the streaming and saving tests share. */
    private static Sequential stack(long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(8).returnSequences(true).inputShape(STEPS, FEATURES));
        m.add(new GRU(6).returnSequences(true));
        m.add(new GRU(5).resetAfter(false).returnSequences(true));
        m.add(new SimpleRNN(5).returnSequences(true));
        m.add(new TimeDistributed(new Dense(2)));
        return m;
    }

    @Test
    void steppingAQuantizedModelEqualsItsPredictExactly() {
        Sequential m = stack(41);
        Tensor x = GradientCheck.random(42, 4, STEPS, FEATURES);
        float[] before = m.predict(x, 4).data();
        m.quantize("int8");
        assertEquals("int8", m.quantizationMode());
        float[] whole = m.predict(x, 4).data();
        assertTrue(maxDiff(before, whole) > 0, "quantize changed nothing");
        for (int b = 0; b < 4; b++) {
            RecurrentState s = m.newState();
            for (int k = 0; k < STEPS; k++) {
                float[] row = new float[FEATURES];
                System.arraycopy(x.data(), (b * STEPS + k) * FEATURES, row, 0, FEATURES);
                float[] y = m.step(s, row);
                for (int j = 0; j < y.length; j++) {
                    assertEquals(whole[(b * STEPS + k) * y.length + j], y[j], 0f, "stream " + b + " step " + k + " output " + j);
                }
            }
        }
        // Many streams in one batched step call: the same bits again.
        List<RecurrentState> states = List.of(m.newState(), m.newState(), m.newState(), m.newState());
        for (int k = 0; k < STEPS; k++) {
            float[][] rows = new float[4][FEATURES];
            for (int b = 0; b < 4; b++) System.arraycopy(x.data(), (b * STEPS + k) * FEATURES, rows[b], 0, FEATURES);
            float[][] ys = m.step(states, rows);
            for (int b = 0; b < 4; b++) assertEquals(whole[(b * STEPS + k) * 2 + 1], ys[b][1], 0f, "batched step " + k);
        }
    }

    @Test
    void aWideLstmStepsThroughItsInt8ChunksEqualToPredictWithAndWithoutBias() {
        // 130 units: three chunks of the int8 stream kernel (64, 64, 2), split over threads; no bias: z starts at 0.
        for (boolean useBias : new boolean[] {true, false}) {
            Rnn4j.setRandomSeed(65);
            Sequential m = new Sequential(new LSTM(130).useBias(useBias).returnSequences(true).inputShape(STEPS, 20),
                    new TimeDistributed(new Dense(3)));
            m.quantize("int8");
            Tensor x = GradientCheck.random(66, 3, STEPS, 20);
            float[] whole = m.predict(x, 3).data();
            List<RecurrentState> states = List.of(m.newState(), m.newState(), m.newState());
            for (int k = 0; k < STEPS; k++) {
                float[][] rows = new float[3][20];
                for (int b = 0; b < 3; b++) System.arraycopy(x.data(), (b * STEPS + k) * 20, rows[b], 0, 20);
                float[][] ys = k % 2 == 0 ? m.step(states, rows) : new float[][] {m.step(states.get(0), rows[0]),
                        m.step(states.get(1), rows[1]), m.step(states.get(2), rows[2])};
                for (int b = 0; b < 3; b++) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(whole, (b * STEPS + k) * 3, (b * STEPS + k + 1) * 3), ys[b],
                            "bias " + useBias + " stream " + b + " step " + k);
                }
            }
        }
    }

    @Test
    void aBatchGivesEachSampleTheBitsItGetsAlone() {
        Sequential m = stack(43);
        m.quantize("int8");
        Tensor x = GradientCheck.random(44, 9, STEPS, FEATURES);
        float[] all = m.predict(x, 9).data();
        int per = STEPS * 2;
        for (int b = 0; b < 9; b++) {
            float[] one = new float[STEPS * FEATURES];
            System.arraycopy(x.data(), b * one.length, one, 0, one.length);
            float[] alone = m.predict(Tensor.of(one, 1, STEPS, FEATURES), 1).data();
            for (int i = 0; i < per; i++) assertEquals(all[b * per + i], alone[i], 0f, "sample " + b);
        }
    }

    @Test
    void saveAndLoadKeepTheQuantizedModelExactly() throws Exception {
        Sequential m = stack(45);
        m.quantize("int8");
        Tensor x = GradientCheck.random(46, 3, STEPS, FEATURES);
        float[] want = m.predict(x, 3).data();
        Path file = dir.resolve("q.keras");
        m.save(file);
        Model loaded = Models.load(file);
        assertEquals("int8", loaded.quantizationMode());
        assertArrayEquals(want, loaded.predict(x, 3).data());
        List<Tensor> a = m.getWeights(), b = loaded.getWeights();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), "weight " + i);
        List<Weight> ws = loaded.weights();
        assertEquals("int8", ws.get(0).dtype());
        assertEquals(List.of("kernel", "recurrent_kernel", "bias", "kernel_scale", "recurrent_kernel_scale"),
                loaded.layers().get(0).weights().stream().map(Weight::name).toList());
        // Keras 3's dtype policy in the config, and the int8 kernel stored as int8 (1 byte a value).
        com.fasterxml.jackson.databind.JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(zipEntry(file, "config.json"));
        int quantizedPolicies = 0;
        for (com.fasterxml.jackson.databind.JsonNode d : config.findValues("dtype")) {
            if (!d.path("class_name").asText().equals("QuantizedDTypePolicy")) continue;
            assertEquals("int8", d.path("config").path("mode").asText());
            assertEquals("float32", d.path("config").path("source_name").asText());
            quantizedPolicies++;
        }
        assertEquals(5, quantizedPolicies, "one per quantized layer (the Dense inside TimeDistributed, not the wrapper)");
        byte[] h5 = zipEntry(file, "model.weights.h5");
        Path plain = dir.resolve("f.keras");
        stack(45).save(plain);
        assertTrue(h5.length < zipEntry(plain, "model.weights.h5").length, "int8 kernels take less room than float ones");
        // The loaded model streams as predict too.
        RecurrentState s = loaded.newState();
        float[] y = null;
        for (int k = 0; k < STEPS; k++) y = loaded.step(s, new float[] {x.data()[k * 3], x.data()[k * 3 + 1], x.data()[k * 3 + 2]});
        assertArrayEquals(new float[] {want[(STEPS - 1) * 2], want[(STEPS - 1) * 2 + 1]}, y);
    }

    @Test
    void weightsFilesRoundTripIntoAQuantizedModelOfTheSameArchitecture() {
        Sequential m = stack(47);
        m.quantize("int8");
        Path file = dir.resolve("q.weights.h5");
        m.saveWeights(file);
        Sequential other = stack(48);
        other.quantize("int8");
        other.loadWeights(file);
        Tensor x = GradientCheck.random(49, 2, STEPS, FEATURES);
        assertArrayEquals(m.predict(x, 2).data(), other.predict(x, 2).data());
        // A float model of the same layers has fewer weights than the file: refused, naming the layer.
        Exception e = assertThrows(RuntimeException.class, () -> stack(48).loadWeights(file));
        assertTrue(e.getMessage().contains("lstm"), e.getMessage());
    }

    @Test
    void embeddingConvBidirectionalAndNormalizationModelsQuantizeAndRoundTrip() {
        Rnn4j.setRandomSeed(50);
        Sequential m = new Sequential();
        m.add(new Embedding(30, 8).inputShape(STEPS));
        m.add(new Conv1D(6, 3).padding("causal"));
        m.add(new LayerNormalization());
        m.add(new Bidirectional(new LSTM(4).returnSequences(true)));
        m.add(new TimeDistributed(new Dense(3).activation("softmax")));
        Tensor ids = Tensor.of(new float[] {1, 2, 3, 29, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, STEPS);
        float[] before = m.predict(ids, 2).data();
        m.quantize("int8");
        float[] after = m.predict(ids, 2).data();
        assertTrue(maxDiff(before, after) > 0 && maxDiff(before, after) < 0.05, "int8 error " + maxDiff(before, after));
        assertNull(m.layers().get(2).quantizationMode(), "LayerNormalization stays float (as in Keras)");
        Path file = dir.resolve("e.keras");
        m.save(file);
        Model loaded = Models.load(file);
        assertArrayEquals(after, loaded.predict(ids, 2).data());
    }

    @Test
    void sharedQuantizedModelGivesEveryThreadTheExactResult() throws Exception {
        Sequential m = stack(51);
        m.quantize("int8");
        Tensor x = GradientCheck.random(52, 16, STEPS, FEATURES);
        float[] want = m.predict(x, 16).data();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int i = 0; i < 16; i++) got.add(pool.submit(() -> m.predict(x, 16).data()));
            for (Future<float[]> f : got) assertArrayEquals(want, f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void quantizingWhileOthersPredictGivesThemTheFloatOrTheInt8ModelNeverAMix() throws Exception {
        Tensor x = GradientCheck.random(54, 8, STEPS, FEATURES);
        float[] asFloat = stack(53).predict(x, 8).data();
        Sequential q = stack(53);
        q.quantize("int8");
        float[] asInt8 = q.predict(x, 8).data();
        Sequential m = stack(53);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int i = 0; i < 12; i++) got.add(pool.submit(() -> m.predict(x, 8).data()));
            m.quantize("int8");
            for (int i = 0; i < 6; i++) got.add(pool.submit(() -> m.predict(x, 8).data()));
            for (Future<float[]> f : got) {
                float[] y = f.get();
                assertTrue(java.util.Arrays.equals(y, asFloat) || java.util.Arrays.equals(y, asInt8), "a mixed result");
            }
            assertArrayEquals(asInt8, m.predict(x, 8).data());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void modesOtherThanInt8AreRefusedNamingTheMode() {
        Sequential m = stack(55);
        for (String mode : new String[] {"int4", "float8", "gptq", "INT8", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.quantize(mode));
            assertTrue(e.getMessage().contains("Received: mode=" + mode), e.getMessage());
        }
        assertNull(m.quantizationMode(), "a refused mode changes nothing");
    }

    @Test
    void quantizingTwiceIsRefused() {
        Sequential m = stack(56);
        m.quantize("int8");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.quantize("int8"));
        assertEquals("Layer \"" + m.layers().get(0).name() + "\" of model \"" + m.name() + "\" is already quantized with "
                + "dtype_policy='int8_from_float32'. Received: mode=int8", e.getMessage());
        Layer lstm = m.layers().get(0);
        assertThrows(IllegalStateException.class, () -> lstm.quantize("int8"));
    }

    @Test
    void unsupportedLayerKindsAreRefusedNamingTheLayerAndNothingChanges() {
        Rnn4j.setRandomSeed(57);
        Sequential m = new Sequential();
        m.add(new Dense(4).inputShape(STEPS, FEATURES));
        Conv1DTranspose t = new Conv1DTranspose(2, 3);
        m.add(t);
        m.predict(GradientCheck.random(58, 1, STEPS, FEATURES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.quantize("int8"));
        assertTrue(e.getMessage().contains("layer \"" + t.name() + "\" (Conv1DTranspose)"), e.getMessage());
        assertNull(m.quantizationMode(), "the Dense before it was left float");
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> t.quantize("int8"));
        assertTrue(direct.getMessage().startsWith("Layer \"" + t.name() + "\" (Conv1DTranspose) cannot be quantized to int8"));
        Sequential unbuilt = new Sequential(new Dense(2));
        assertThrows(IllegalStateException.class, () -> unbuilt.quantize("int8"));
    }

    @Test
    void trainingAQuantizedModelIsRefused() {
        Sequential m = stack(59);
        m.compile("mean_squared_error", "adam");
        m.quantize("int8");
        Tensor x = GradientCheck.random(60, 2, STEPS, FEATURES), y = GradientCheck.random(61, 2, STEPS, 2);
        IllegalStateException fit = assertThrows(IllegalStateException.class, () -> m.fit(x, y, 1, 2, 0));
        assertTrue(fit.getMessage().startsWith("fit: model \"" + m.name() + "\" is quantized to int8"), fit.getMessage());
        assertThrows(IllegalStateException.class, () -> m.trainOnBatch(x, y));
        // Inference-mode evaluation still runs.
        assertTrue(Double.isFinite(m.evaluate(x, y, 2).get("loss")));
        // A layer's own backward pass is refused too.
        Layer lstm = m.layers().get(0);
        IllegalStateException back = assertThrows(IllegalStateException.class,
                () -> lstm.call(x, null, false).backward(new Tensor[] {Tensor.zeros(2, STEPS, 8)}));
        assertTrue(back.getMessage().contains("is quantized to int8 and runs inference only"), back.getMessage());
        assertThrows(IllegalStateException.class, () -> lstm.call(x, null, true));
    }

    @Test
    void int8WeightsSetByHandAreCheckedNamingTheWeight() {
        Sequential m = stack(63);
        m.quantize("int8");
        List<Tensor> w = m.getWeights();
        w.get(0).data()[3] = 0.5f; // lstm kernel: int8
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.setWeights(w));
        assertTrue(e.getMessage().contains("/kernel\" is int8, but value 3 is 0.5"), e.getMessage());
        List<Tensor> w2 = m.getWeights();
        w2.get(3).data()[0] = 0f; // lstm kernel_scale
        m.setWeights(w2);
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> m.predict(GradientCheck.random(64, 1, STEPS, FEATURES)));
        assertTrue(s.getMessage().contains("/kernel_scale\": scale 0.0 of column 0 is not a positive finite number"),
                s.getMessage());
    }

    @Test
    void onlyKerasArchivesHoldQuantizedModels() {
        Sequential m = stack(62);
        m.quantize("int8");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.save(dir.resolve("tfjs.json")));
        assertTrue(e.getMessage().contains("is quantized to int8; save it as a .keras archive"), e.getMessage());
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static byte[] zipEntry(Path zip, String name) throws java.io.IOException {
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) return in.readAllBytes();
            }
        }
        throw new AssertionError(name + " not in " + zip);
    }
}
