package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * A seeded corpus of damaged model files — truncated, bit-flipped, configs whose shapes no longer match their
 * weights, forged sizes — each of which must end in a {@link ModelFormatException}: never another exception,
 * an {@code OutOfMemoryError} or a hang.
 */
class MutatedFilesTest {
    @TempDir Path dir;
    private final SplittableRandom random = new SplittableRandom(20261129L);
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int mutants;

    @Test
    void everyDamagedFileEndsInModelFormatException() {
        assertTimeoutPreemptively(Duration.ofSeconds(240), this::corpus);
    }

    private void corpus() throws Exception {
        Sequential model = KerasArchiveTest.model(21);
        Tensor[] d = KerasArchiveTest.data(22, 16);
        model.fit(d[0], d[1], new FitOptions().epochs(1).batchSize(8).verbose(0));
        Path good = dir.resolve("good.keras");
        model.save(good);
        // Fixed date and entry times, so the corpus is the same bytes on every run.
        Map<String, byte[]> entries = unzip(Files.readAllBytes(good));
        entries.put("metadata.json", new String(entries.get("metadata.json"), StandardCharsets.UTF_8)
                .replaceAll("\"date_saved\":\"[^\"]*\"", "\"date_saved\":\"2026-01-01@00:00:00\"")
                .getBytes(StandardCharsets.UTF_8));
        byte[] archive = zip(entries);
        Models.load(write("sanity.keras", archive)); // the unmutated file loads

        // 1. Truncated archives.
        for (int i = 0; i < 200; i++) {
            int len = random.nextInt(archive.length);
            expectRefused("truncated .keras at " + len, write("t.keras", java.util.Arrays.copyOf(archive, len)));
        }
        // 2. One flipped bit inside an entry's (compressed) data: caught by the entry's CRC-32 or the inflater.
        List<int[]> spans = dataSpans(archive);
        for (int i = 0; i < 200; i++) {
            int[] span = spans.get(random.nextInt(spans.size()));
            byte[] b = archive.clone();
            // Not the last byte: its padding bits after the end of the deflate stream are never read.
            int pos = span[0] + random.nextInt(span[1] - 1);
            b[pos] ^= (byte) (1 << random.nextInt(8));
            expectRefused("bit flip at " + pos, write("f.keras", b));
        }
        // 3. Configs edited so they no longer describe the weights, or are not configs at all.
        String config = new String(entries.get("config.json"), StandardCharsets.UTF_8);
        for (int i = 0; i < 300; i++) {
            String[] edit = editConfig(config);
            Map<String, byte[]> e = new LinkedHashMap<>(entries);
            e.put("config.json", edit[1].getBytes(StandardCharsets.UTF_8));
            expectRefused("config edit: " + edit[0], write("c.keras", zip(e)));
        }
        for (int i = 0; i < 20; i++) {
            Map<String, byte[]> e = new LinkedHashMap<>(entries);
            byte[] meta = entries.get("metadata.json");
            e.put("metadata.json", java.util.Arrays.copyOf(meta, random.nextInt(meta.length - 1)));
            expectRefused("truncated metadata.json", write("m.keras", zip(e)));
        }
        Map<String, byte[]> noWeights = new LinkedHashMap<>(entries);
        noWeights.remove("model.weights.h5");
        expectRefused("no model.weights.h5", write("n.keras", zip(noWeights)));
        // 4. Weight files that do not match the config: truncated, a weight missing, reshaped or extra.
        byte[] h5 = entries.get("model.weights.h5");
        for (int i = 0; i < 100; i++) {
            Map<String, byte[]> e = new LinkedHashMap<>(entries);
            e.put("model.weights.h5", java.util.Arrays.copyOf(h5, random.nextInt(h5.length)));
            expectRefused("truncated model.weights.h5", write("w.keras", zip(e)));
        }
        for (int i = 0; i < 100; i++) {
            String[] what = new String[1];
            byte[] bad = damagedWeights(model, what);
            Map<String, byte[]> e = new LinkedHashMap<>(entries);
            e.put("model.weights.h5", bad);
            expectRefused("weights: " + what[0], write("w.keras", zip(e)));
        }
        // 5. Real Keras 1 and 2 files: truncated, and model_config edited in place (same length, no checksum).
        for (String name : new String[] {"simple_flatten_lstm_tf_keras_2_model.h5", "simple_lstm_th_keras_1_model.h5"}) {
            byte[] real = Files.readAllBytes(KerasRealTest.REAL.resolve("dl4j/" + name));
            for (int i = 0; i < 50; i++) {
                int len = random.nextInt(real.length);
                expectRefused(name + " truncated at " + len, write("k.h5", java.util.Arrays.copyOf(real, len)));
            }
            for (int i = 0; i < 60; i++) {
                String[] edit = new String[1];
                byte[] b = editInPlace(real, edit);
                expectRefused(name + ": " + edit[0], write("k.h5", b));
            }
        }
        // 6. TensorFlow.js: manifest shapes edited, shards truncated or padded, paths escaping the directory.
        Path web = dir.resolve("web");
        Models.save(model, web.resolve("model.json"));
        String manifest = Files.readString(web.resolve("model.json"));
        String shardName = Tfjs.shardPaths(web.resolve("model.json")).get(0);
        byte[] shard = Files.readAllBytes(web.resolve(shardName));
        for (int i = 0; i < 120; i++) {
            Path m = dir.resolve("tfjs" + i);
            Files.createDirectories(m);
            String json = manifest;
            byte[] bin = shard;
            String kind;
            switch (random.nextInt(4)) {
                case 0 -> {
                    kind = "shape edit";
                    json = replaceRandomNumberIn(json, "\"shape\" : \\[ ([0-9]+)", random);
                }
                case 1 -> {
                    kind = "truncated shard";
                    bin = java.util.Arrays.copyOf(shard, random.nextInt(shard.length));
                }
                case 2 -> {
                    kind = "padded shard";
                    bin = java.util.Arrays.copyOf(shard, shard.length + 4 * (1 + random.nextInt(8)));
                }
                default -> {
                    kind = "path escape";
                    json = json.replace(shardName, "../" + shardName);
                }
            }
            Files.writeString(m.resolve("model.json"), json);
            Files.write(m.resolve(shardName), bin);
            expectRefused("TF.js " + kind, m.resolve("model.json"));
        }
        assertTrue(mutants >= 1000, "only " + mutants + " mutants");
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.println("CORPUS " + mutants + " " + counts);
    }

    /**
     * Random bit flips anywhere in real Keras .h5 files, where HDF5 has no checksums: a flip in weight data leaves a
     * valid file, so each must either load or be refused with a {@link ModelFormatException}, never anything else.
     */
    @Test
    void bitFlipsInRealKerasFilesLoadOrAreRefusedCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int loaded = 0, refused = 0;
            for (String name : new String[] {"simple_flatten_lstm_tf_keras_2_model.h5", "simple_lstm_tf_keras_1_model.h5"}) {
                byte[] real = Files.readAllBytes(KerasRealTest.REAL.resolve("dl4j/" + name));
                for (int i = 0; i < 100; i++) {
                    byte[] b = real.clone();
                    int pos = random.nextInt(b.length);
                    b[pos] ^= (byte) (1 << random.nextInt(8));
                    try {
                        Models.load(write("flip.h5", b));
                        loaded++;
                    } catch (ModelFormatException e) {
                        refused++;
                    } catch (Throwable t) {
                        throw new AssertionError(name + " bit flip at " + pos + ": expected ModelFormatException, got " + t, t);
                    }
                }
            }
            assertTrue(loaded + refused == 200);
            if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.println("FLIPS loaded=" + loaded + " refused=" + refused);
        });
    }

    private void expectRefused(String what, Path file) {
        mutants++;
        try {
            Models.load(file);
            fail("loaded a damaged file: " + what);
        } catch (ModelFormatException e) {
            counts.merge(what.replaceAll("[0-9]+", "#"), 1, Integer::sum);
            if (e.getMessage() == null || e.getMessage().isBlank()) fail("empty message for " + what);
        } catch (Throwable t) {
            throw new AssertionError(what + ": expected ModelFormatException, got " + t, t);
        }
    }

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    // ---------------------------------------------------------------- mutations

    private String[] editConfig(String config) {
        switch (random.nextInt(7)) {
            case 0: {
                String v = pick("0", "-1", "7", "5", "1000000000", "\"x\"", "null", "1.5", "3");
                return new String[] {"units " + v, replaceRandom(config, "\"units\":([0-9]+)", v)};
            }
            case 1: {
                String v = pick("3", "1", "0", "-2", "1000000000", "null", "\"a\"");
                return new String[] {"features " + v, config.replace("\"batch_shape\":[null,5,2]", "\"batch_shape\":[null,5," + v + "]")};
            }
            case 2: {
                String v = pick("Lambda", "TFOpLambda", "MyCustomLayer", "Conv2D", "");
                return new String[] {"class " + v, replaceRandom(config, "\"class_name\":\"(LSTM|Dense)\"", "\"" + v + "\"")};
            }
            case 3: {
                int cut = random.nextInt(config.length() - 1);
                return new String[] {"cut at " + cut, config.substring(0, cut)};
            }
            case 4:
                return new String[] {"use_bias false", replaceRandom(config, "\"use_bias\":(true)", "false")};
            case 5: {
                // Drop one layer from the list: its weights are left without a layer, or the shapes shift.
                Matcher m = Pattern.compile("\\{\"module\":\"keras.layers\",\"class_name\":\"(LSTM|Dense)\"").matcher(config);
                List<Integer> starts = new ArrayList<>();
                while (m.find()) starts.add(m.start());
                int s = starts.get(random.nextInt(starts.size()));
                int depth = 0, e = s;
                do {
                    char ch = config.charAt(e++);
                    if (ch == '{') depth++;
                    if (ch == '}') depth--;
                } while (depth > 0);
                if (config.charAt(e) == ',') e++;
                else if (config.charAt(s - 1) == ',') s--;
                return new String[] {"layer dropped", config.substring(0, s) + config.substring(e)};
            }
            default: {
                String v = pick("\"Functional\"", "\"Model\"", "\"LSTM\"", "42", "null");
                return new String[] {"model class " + v, config.replaceFirst("\"class_name\":\"Sequential\"", "\"class_name\":" + v)};
            }
        }
    }

    private String pick(String... options) { return options[random.nextInt(options.length)]; }

    /** Replaces group 1 of a random match of the pattern. */
    private String replaceRandom(String s, String regex, String value) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(1), m.end(1)});
        if (spans.isEmpty()) throw new IllegalStateException("no match for " + regex);
        int[] sp = spans.get(random.nextInt(spans.size()));
        if (s.substring(sp[0], sp[1]).equals(value)) value = value.equals("3") ? "9" : "3";
        if (regex.contains("class_name") && value.equals("\"\"")) value = "\"\"";
        String v = regex.contains("class_name") ? value.substring(1, value.length() - 1) : value;
        return s.substring(0, sp[0]) + v + s.substring(sp[1]);
    }

    private static String replaceRandomNumberIn(String s, String regex, SplittableRandom random) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(1), m.end(1)});
        int[] sp = spans.get(random.nextInt(spans.size()));
        int old = Integer.parseInt(s.substring(sp[0], sp[1]));
        int v = old + 1 + random.nextInt(5);
        return s.substring(0, sp[0]) + v + s.substring(sp[1]);
    }

    /** A Keras 3 weights file for the model with one thing wrong. */
    private byte[] damagedWeights(Sequential model, String[] what) {
        Hdf5Writer.Group root = KerasArchive.weightsFile(model, true);
        Hdf5Writer.Group cell = root.group("layers").group("lstm").group("cell").group("vars");
        Hdf5Writer.Group dense = root.group("layers").group("dense").group("vars");
        switch (random.nextInt(5)) {
            case 0 -> {
                what[0] = "kernel missing";
                cell.children.remove("0");
            }
            case 1 -> {
                what[0] = "kernel reshaped";
                cell.children.put("0", new Hdf5Writer.Group().floats("x", new float[48], 24, 2));
            }
            case 2 -> {
                what[0] = "extra weight";
                dense.floats("2", new float[] {1, 2, 3}, 3);
            }
            case 3 -> {
                what[0] = "optimizer slots cut";
                Hdf5Writer.Group opt = root.group("optimizer").group("vars");
                opt.children.remove(Integer.toString(opt.children.size() - 1));
            }
            default -> {
                what[0] = "layer group renamed";
                Map<String, Hdf5Writer.Node> layers = root.group("layers").children;
                layers.put("dense_7", layers.remove("dense"));
            }
        }
        return root.toBytes();
    }

    /** The Keras .h5 with its model_config edited at the same length (the attribute is stored as plain text). */
    private byte[] editInPlace(byte[] file, String[] what) {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        String[][] edits = {
            {"\"output_dim\": 50", "\"output_dim\": 49"}, {"\"output_dim\": 1,", "\"output_dim\": 3,"},
            {"\"units\": 50", "\"units\": 51"}, {"\"units\": 1,", "\"units\": 4,"},
            {"\"class_name\": \"LSTM\"", "\"class_name\": \"LXTM\""}, {"\"class_name\": \"Dense\"", "\"class_name\": \"Lmbda\""},
            {"\"name\": \"dense_1\"", "\"name\": \"dense_9\""}, {"\"name\": \"lstm_1\"", "\"name\": \"lstm_8\""},
            {"1, 1]", "1, 7]"}, {"{\"class_name\": \"Sequential\"", "[\"class_name\": \"Sequential\""},
        };
        List<String[]> usable = new ArrayList<>();
        for (String[] e : edits) if (text.contains(e[0])) usable.add(e);
        String[] e = usable.get(random.nextInt(usable.size()));
        what[0] = e[0] + " -> " + e[1];
        return text.replace(e[0], e[1]).getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- zip helpers

    static Map<String, byte[]> unzip(byte[] archive) throws Exception {
        Path tmp = Files.createTempFile("unzip", ".zip");
        try {
            Files.write(tmp, archive);
            Map<String, byte[]> out = new LinkedHashMap<>();
            try (ZipFile z = new ZipFile(tmp.toFile())) {
                for (ZipEntry e : z.stream().toList()) out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
            return out;
        } finally {
            Files.delete(tmp);
        }
    }

    static byte[] zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(1767225600000L);
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** {offset, length} of each entry's stored data, from the local headers and the central directory's sizes. */
    private static List<int[]> dataSpans(byte[] archive) throws Exception {
        List<int[]> spans = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
        Path tmp = Files.createTempFile("spans", ".zip");
        List<Long> sizes = new ArrayList<>();
        try {
            Files.write(tmp, archive);
            try (ZipFile z = new ZipFile(tmp.toFile())) {
                for (ZipEntry e : z.stream().toList()) sizes.add(e.getCompressedSize());
            }
        } finally {
            Files.delete(tmp);
        }
        int off = 0;
        for (long size : sizes) {
            if (b.getInt(off) != 0x04034b50) throw new IllegalStateException("no local header at " + off);
            int flags = b.getShort(off + 6) & 0xffff;
            int start = off + 30 + (b.getShort(off + 26) & 0xffff) + (b.getShort(off + 28) & 0xffff);
            spans.add(new int[] {start, (int) size});
            off = start + (int) size + ((flags & 8) != 0 ? 16 : 0);
        }
        return spans;
    }
}
