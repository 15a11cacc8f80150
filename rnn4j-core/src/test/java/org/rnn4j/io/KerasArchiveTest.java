package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.api.Dataset;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

class KerasArchiveTest {
    @TempDir Path dir;

    static Sequential model(long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(6).returnSequences(true).recurrentActivation("hard_sigmoid").inputShape(5, 2));
        m.add(new LSTM(4));
        m.add(new Dense(3, "tanh"));
        m.add(new Dense(1));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new Adam(0.01), "mae");
        return m;
    }

    static Tensor[] data(long seed, int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n * 5 * 2], y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = x[i * 10] * 0.5f - x[i * 10 + 9];
        return new Tensor[] {Tensor.of(x, n, 5, 2), Tensor.of(y, n, 1)};
    }

    @Test
    void wholeModelRoundTripIsBitIdentical() {
        Sequential m = model(1);
        Tensor[] d = data(2, 40);
        m.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(8).verbose(0));
        m.attachments().put("scaler", Map.of("mean", List.of(1.5, -2.0), "std", List.of(0.5, 3.0)));
        m.attachments().put("target", "load_kw");
        Path f = dir.resolve("m.keras");
        m.save(f);
        Model back = Models.load(f);
        assertArrayEquals(m.predict(d[0]).data(), back.predict(d[0]).data());
        assertEquals(m.summary(), back.summary());
        assertEquals("mean_squared_error", back.loss().name());
        assertEquals(List.of("mae"), back.metricNames());
        assertEquals("Adam", back.optimizer().className());
        assertEquals(0.01, back.optimizer().learningRate());
        assertEquals(m.optimizer().iterations(), back.optimizer().iterations());
        assertEquals(m.attachments().get("target"), back.attachments().get("target"));
        assertEquals(List.of(1.5, -2.0), ((Map<?, ?>) back.attachments().get("scaler")).get("mean"));
        assertEquals(m.getWeights().size(), back.getWeights().size());
        for (int i = 0; i < m.getWeights().size(); i++) {
            assertArrayEquals(m.getWeights().get(i).data(), back.getWeights().get(i).data());
        }
    }

    @Test
    void archiveHasKeras3Layout() throws Exception {
        Sequential m = model(3);
        Tensor[] d = data(4, 16);
        m.fit(d[0], d[1], new FitOptions().epochs(1).batchSize(8).verbose(0));
        Path f = dir.resolve("layout.keras");
        m.save(f);
        byte[] weights;
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"),
                    z.stream().map(ZipEntry::getName).toList());
            String config = new String(z.getInputStream(z.getEntry("config.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(config.contains("\"compile_config\""), config);
            assertTrue(config.contains("\"class_name\":\"Sequential\""), config);
            weights = z.getInputStream(z.getEntry("model.weights.h5")).readAllBytes();
        }
        try (Hdf5File h5 = Hdf5File.open(weights, "model.weights.h5")) {
            assertEquals(List.of("dense", "dense_1", "lstm", "lstm_1"),
                    h5.children(h5.group("layers")).stream().sorted().toList());
            assertEquals(0, h5.children(h5.group("layers/lstm/vars")).size());
            assertArrayEquals(new int[] {2, 24}, h5.tensor((Dataset) h5.node("layers/lstm/cell/vars/0")).shape());
            assertArrayEquals(new int[] {6, 24}, h5.tensor((Dataset) h5.node("layers/lstm/cell/vars/1")).shape());
            assertArrayEquals(new int[] {24}, h5.tensor((Dataset) h5.node("layers/lstm/cell/vars/2")).shape());
            assertArrayEquals(new int[] {3, 1}, h5.tensor((Dataset) h5.node("layers/dense_1/vars/0")).shape());
            // Adam: iterations, learning rate, then (momentum, velocity) for each of the 10 trainable weights.
            assertEquals(22, h5.children(h5.group("optimizer/vars")).size());
            assertEquals(2L, h5.scalarLong((Dataset) h5.node("optimizer/vars/0")));
            assertEquals(0.01f, h5.tensor((Dataset) h5.node("optimizer/vars/1")).data()[0]);
            assertArrayEquals(new int[] {2, 24}, h5.tensor((Dataset) h5.node("optimizer/vars/3")).shape());
            assertEquals(0, h5.children(h5.group("vars")).size());
        }
    }

    @Test
    void trainingResumesExactlyAfterSaveAndLoad() {
        Tensor[] d = data(5, 48);
        Sequential straight = model(7);
        straight.fit(d[0], d[1], new FitOptions().epochs(10).batchSize(16).verbose(0));

        Sequential first = model(7);
        first.fit(d[0], d[1], new FitOptions().epochs(5).batchSize(16).verbose(0));
        Path f = dir.resolve("epoch5.keras");
        first.save(f);
        Model resumed = Models.load(f);
        resumed.fit(new Tensor[] {d[0]}, new Tensor[] {d[1]}, new FitOptions().epochs(10).initialEpoch(5).batchSize(16).verbose(0));

        List<Tensor> a = straight.getWeights(), b = resumed.getWeights();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), "weight " + i);
        assertEquals(straight.optimizer().iterations(), resumed.optimizer().iterations());
    }

    @Test
    void tensorflowJsRoundTripIsBitIdentical() {
        Rnn4j.setRandomSeed(9);
        Sequential m = new Sequential();
        m.add(new LSTM(5).returnSequences(true).recurrentActivation("hard_sigmoid").inputShape(5, 2));
        m.add(new TimeDistributed(new Dense(2, "sigmoid")));
        m.add(new LSTM(3).recurrentActivation("hard_sigmoid_keras3").goBackwards(true));
        m.add(new Dense(1));
        Tensor x = data(10, 12)[0];
        Path f = dir.resolve("web/model.json");
        Models.save(m, f);
        assertTrue(Files.exists(dir.resolve("web").resolve(Tfjs.shardPaths(f).get(0))));
        Model back = Models.load(f);
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
        Model viaDir = Models.load(dir.resolve("web"));
        assertArrayEquals(m.predict(x).data(), viaDir.predict(x).data());
    }

    @Test
    void weightsOnlySaveAndLoad() {
        Sequential a = model(11), b = model(12);
        Tensor[] d = data(13, 8);
        Path f = dir.resolve("w.weights.h5");
        a.saveWeights(f);
        b.loadWeights(f);
        assertArrayEquals(a.predict(d[0]).data(), b.predict(d[0]).data());
        Sequential other = new Sequential(new LSTM(3).inputShape(5, 2), new Dense(1));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> other.loadWeights(f));
        assertTrue(e.getMessage().contains("lstm"), e.getMessage());
    }

    @Test
    void lambdaLayersAreRefusedNamingTheLayer() throws Exception {
        Sequential m = model(14);
        Path good = dir.resolve("good.keras");
        m.save(good);
        Path bad = dir.resolve("lambda.keras");
        rewriteConfig(good, bad, c -> c.replaceFirst("\"class_name\":\"Dense\"", "\"class_name\":\"Lambda\""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(bad));
        assertTrue(e.getMessage().contains("Lambda") && e.getMessage().contains("dense"), e.getMessage());
    }

    @Test
    void zipBombIsRefusedWithoutInflatingIt() throws Exception {
        Sequential m = model(15);
        Path good = dir.resolve("good.keras");
        m.save(good);
        java.util.Map<String, byte[]> entries = MutatedFilesTest.unzip(Files.readAllBytes(good));
        entries.put("model.weights.h5", new byte[64 << 20]); // 64 MiB of zeros deflate to ~64 KiB
        byte[] zip = MutatedFilesTest.zip(entries);
        // Forge the central directory: the weights entry now declares 1,000 bytes.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = zip.length - 22; i >= 0; i--) {
            if (b.getInt(i) == 0x02014b50 && new String(zip, i + 46, b.getShort(i + 28), StandardCharsets.UTF_8).equals("model.weights.h5")) {
                b.putInt(i + 24, 1000);
            }
        }
        Path bomb = dir.resolve("bomb.keras");
        Files.write(bomb, zip);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(bomb));
        assertTrue(e.getMessage().contains("model.weights.h5 inflates to more than the 1000 bytes"), e.getMessage());
    }

    @Test
    void optimizerStateInAnotherLayoutIsSkippedForKerasFilesButRefusedForOurs() throws Exception {
        Sequential m = model(16);
        Tensor[] d = data(17, 16);
        m.fit(d[0], d[1], new FitOptions().epochs(1).batchSize(8).verbose(0));
        Hdf5Writer.Group weights = KerasArchive.weightsFile(m, true);
        Hdf5Writer.Group opt = weights.group("optimizer").group("vars");
        opt.children.remove(Integer.toString(opt.children.size() - 1)); // one slot short: not rnn4j's Adam layout
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("metadata.json", "{\"keras_version\": \"3.14.1\", \"date_saved\": \"2026-01-01@00:00:00\"}"
                .getBytes(StandardCharsets.UTF_8));
        Path ours = dir.resolve("ours.keras");
        m.save(ours);
        entries.put("config.json", MutatedFilesTest.unzip(Files.readAllBytes(ours)).get("config.json"));
        entries.put("model.weights.h5", weights.toBytes());
        Path keras = dir.resolve("from_keras.keras");
        Files.write(keras, MutatedFilesTest.zip(entries));
        Model loaded = Models.load(keras);
        assertArrayEquals(m.predict(d[0]).data(), loaded.predict(d[0]).data());
        assertEquals(2, loaded.optimizer().iterations());
        assertEquals(null, loaded.optimizer().slots(loaded.trainableWeights().get(0)));

        java.util.Map<String, byte[]> mine = MutatedFilesTest.unzip(Files.readAllBytes(ours));
        mine.put("model.weights.h5", weights.toBytes());
        Path bad = dir.resolve("ours_bad.keras");
        Files.write(bad, MutatedFilesTest.zip(mine));
        assertThrows(ModelFormatException.class, () -> Models.load(bad));
    }

    static void rewriteConfig(Path from, Path to, java.util.function.UnaryOperator<String> edit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipFile z = new ZipFile(from.toFile()); ZipOutputStream zo = new ZipOutputStream(out)) {
            for (ZipEntry e : z.stream().toList()) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals("config.json")) b = edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                zo.putNextEntry(new ZipEntry(e.getName()));
                zo.write(b);
                zo.closeEntry();
            }
        }
        Files.write(to, out.toByteArray());
    }
}
