package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;

/**
 * Hostile but well-formed model files, made by the tests (nothing committed but the real Keras file one of them
 * starts from): each is what an attacker would hand a service that loads user-supplied models. The expected outcome
 * of each is {@code ok} (it loads, correctly) or {@code refused} (a {@link ModelFormatException}).
 */
final class HostileCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileCorpus() {}

    /** Writes the corpus into {@code dir}; file name -> expected outcome ({@code ok} or {@code refused}). */
    static Map<String, String> write(Path dir) throws IOException {
        Map<String, String> expect = new LinkedHashMap<>();
        byte[] h5 = Files.readAllBytes(Path.of("../testdata/keras-real/dl4j/simple_rnn_tf_keras_2_model.h5"));
        Files.write(dir.resolve("dag.h5"), dagBTree(h5, 30, false));
        expect.put("dag.h5", "refused");
        Files.write(dir.resolve("cycle.h5"), dagBTree(h5, 3, true));
        expect.put("cycle.h5", "refused");

        Files.writeString(dir.resolve("layers-1e5.json"), JSON.writeValueAsString(manyLayers(99_999)));
        expect.put("layers-1e5.json", "ok");
        keras(dir.resolve("layers-1e5.keras"), manyLayers(99_999));
        expect.put("layers-1e5.keras", "ok");
        keras(dir.resolve("layers-over-limit.keras"), manyLayers(100_000));
        expect.put("layers-over-limit.keras", "refused");

        honestBomb(dir.resolve("bomb-honest.keras"), 1_400L << 20);
        expect.put("bomb-honest.keras", "refused");
        lyingBomb(dir.resolve("bomb-lying.keras"));
        expect.put("bomb-lying.keras", "refused");

        Path reordered = Files.createDirectories(dir.resolve("tfjs-reordered"));
        Tfjs.save(smallModel(), reordered.resolve("model.json"));
        reorderManifest(reordered.resolve("model.json"));
        expect.put("tfjs-reordered", "ok");
        Path repeated = Files.createDirectories(dir.resolve("tfjs-repeated-shard"));
        Tfjs.save(smallModel(), repeated.resolve("model.json"));
        editManifest(repeated.resolve("model.json"), g -> {
            String shard = g.get("paths").get(0).asText();
            ((ArrayNode) g.get("paths")).add(shard);
        });
        expect.put("tfjs-repeated-shard", "refused");
        for (String[] bad : new String[][] {{"tfjs-dotdot", "../escape.bin"}, {"tfjs-nul", "shard\u0000.bin"},
                {"tfjs-long-path", "x".repeat(100_000) + ".bin"}}) {
            Path d = Files.createDirectories(dir.resolve(bad[0]));
            Tfjs.save(smallModel(), d.resolve("model.json"));
            editManifest(d.resolve("model.json"), g -> ((ArrayNode) g.get("paths")).set(0, bad[1]));
            expect.put(bad[0], "refused");
        }
        Path shapes = Files.createDirectories(dir.resolve("tfjs-overflowing-shape"));
        Tfjs.save(smallModel(), shapes.resolve("model.json"));
        editManifest(shapes.resolve("model.json"), g -> {
            ArrayNode s = ((ObjectNode) g.get("weights").get(0)).putArray("shape");
            s.add(65536).add(65536).add(65536).add(65536);
        });
        expect.put("tfjs-overflowing-shape", "refused");

        for (String units : new String[] {"2147483647", "4294967297", "536870913", "-5", "1e30"}) {
            String name = "units-" + units + ".json";
            Files.writeString(dir.resolve(name), lstmSpec(units, "[null, 4, 1]"));
            expect.put(name, "refused");
        }
        Files.writeString(dir.resolve("input-product.json"), lstmSpec("8", "[null, 16777216, 16777216]").replace(
                "\"class_name\": \"LSTM\"", "\"class_name\": \"Dense\""));
        expect.put("input-product.json", "refused");
        Files.writeString(dir.resolve("dense-huge.json"), lstmSpec("16777216", "[null, 4, 16777216]"));
        expect.put("dense-huge.json", "refused");
        Files.writeString(dir.resolve("long-name.json"), lstmSpec("4", "[null, 4, 1]").replace("\"name\": \"lstm\"",
                "\"name\": \"" + "n".repeat(200_000) + "\""));
        expect.put("long-name.json", "refused");
        Files.writeString(dir.resolve("deep-json.json"), "[".repeat(100_000) + "]".repeat(100_000));
        expect.put("deep-json.json", "refused");
        Files.writeString(dir.resolve("deep-nesting.json"), deepFunctional(120));
        expect.put("deep-nesting.json", "refused");
        Files.writeString(dir.resolve("lambda-as-dense.json"), lstmSpec("4", "[null, 4, 1]").replace(
                "\"class_name\": \"LSTM\"", "\"class_name\": \"Lambda\", \"registered_name\": \"Dense\""));
        expect.put("lambda-as-dense.json", "refused");
        return expect;
    }

    static Sequential smallModel() {
        Rnn4j.setRandomSeed(11);
        Sequential m = new Sequential();
        m.add(new LSTM(3).inputShape(4, 2));
        m.add(new Dense(2));
        return m;
    }

    /** A Sequential config: an InputLayer then {@code n} linear Activation layers (no weights). */
    static ObjectNode manyLayers(int n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("class_name", "Sequential");
        ObjectNode cfg = root.putObject("config");
        cfg.put("name", "many");
        ArrayNode layers = cfg.putArray("layers");
        ObjectNode in = layers.addObject();
        in.put("class_name", "InputLayer");
        in.putObject("config").put("name", "in").putArray("batch_shape").addNull().add(3);
        for (int i = 0; i < n; i++) {
            ObjectNode l = layers.addObject();
            l.put("class_name", "Activation");
            l.putObject("config").put("name", "a" + i).put("activation", "linear");
        }
        return root;
    }

    /** A {@code .keras} archive of a config and an empty weights file. */
    static void keras(Path file, JsonNode config) throws IOException {
        byte[] weights = new Hdf5Writer.Group().toBytes();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("metadata.json"));
            zip.write("{\"keras_version\": \"3.14.1\"}".getBytes());
            zip.putNextEntry(new ZipEntry("config.json"));
            zip.write(JSON.writeValueAsBytes(config));
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.write(weights);
            zip.closeEntry();
        }
    }

    /** A real model's archive whose weights entry honestly declares and inflates to {@code bytes} bytes of zeros. */
    static void honestBomb(Path file, long bytes) throws IOException {
        Path real = file.resolveSibling("real-" + file.getFileName());
        KerasArchive.save(smallModel(), real);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file));
             java.util.zip.ZipFile src = new java.util.zip.ZipFile(real.toFile())) {
            zip.setLevel(Deflater.BEST_SPEED);
            for (String name : new String[] {"metadata.json", "config.json"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(src.getInputStream(src.getEntry(name)).readAllBytes());
            }
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            byte[] zeros = new byte[1 << 20];
            for (long done = 0; done < bytes; done += zeros.length) zip.write(zeros, 0, (int) Math.min(zeros.length, bytes - done));
            zip.closeEntry();
        }
        Files.delete(real);
    }

    /** An archive whose central directory says its weights are 1,000 bytes; they inflate to 64 MiB. */
    static void lyingBomb(Path file) throws IOException {
        honestBomb(file, 64L << 20);
        byte[] b = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = b.length - 46; i >= 0; i--) {
            // Central directory header of model.weights.h5: its uncompressed size is at +24.
            if (bb.getInt(i) == 0x02014b50 && new String(b, i + 46, Math.min(16, b.length - i - 46)).startsWith("model.weights.h5")) {
                bb.putInt(i + 24, 1000);
            }
        }
        Files.write(file, b);
    }

    /**
     * The HDF5 file with its root group's B-tree replaced by {@code levels} new internal nodes, each pointing twice to
     * the next (a DAG: 2^levels paths to the original leaf); with {@code cycle}, the top node points to itself.
     */
    static byte[] dagBTree(byte[] h5, int levels, boolean cycle) {
        ByteBuffer in = ByteBuffer.wrap(h5).order(ByteOrder.LITTLE_ENDIAN);
        // Superblock version 0: the root symbol table entry's scratch pad caches the B-tree and heap addresses.
        long btree = in.getLong(80), heap = in.getLong(88);
        if (h5[8] != 0 || in.getInt(72) != 1 || h5[(int) btree] != 'T') throw new IllegalStateException("not a v0 file with a cached root");
        int nodeSize = 8 + 16 + 3 * 8 + 2 * 8;
        ByteBuffer out = ByteBuffer.allocate(h5.length + levels * nodeSize).order(ByteOrder.LITTLE_ENDIAN);
        out.put(h5);
        long below = btree;
        long top = -1;
        for (int level = 1; level <= levels; level++) {
            long at = out.position();
            out.put(new byte[] {'T', 'R', 'E', 'E', 0, (byte) level}).putShort((short) 2);
            out.putLong(-1L).putLong(-1L);
            long child = cycle && level == levels ? at : below;
            out.putLong(0).putLong(child).putLong(0).putLong(child).putLong(0);
            below = at;
            top = at;
        }
        byte[] b = out.array();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        // Point the root group (its symbol table message and the cached copy) at the new top node.
        for (int i = 0; i + 16 <= h5.length; i++) {
            if (bb.getLong(i) == btree && bb.getLong(i + 8) == heap) bb.putLong(i, top);
        }
        bb.putLong(40, b.length); // end-of-file address
        return b;
    }

    private static String lstmSpec(String units, String batchShape) {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"in\", \"batch_shape\": " + batchShape + "}},"
                + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": " + units + "}}]}}";
    }

    /** A functional model nested {@code depth} times in itself (each level a Functional used as a layer). */
    private static String deepFunctional(int depth) {
        String inner = "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\", \"units\": 1},"
                + " \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}";
        String model = null;
        for (int i = 0; i < depth; i++) {
            String layer = model == null ? inner : model;
            model = "{\"class_name\": \"Functional\", \"name\": \"m" + i + "\", \"config\": {\"name\": \"m" + i + "\", \"layers\": ["
                    + "{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"name\": \"in\", \"batch_shape\": [null, 1]}, \"inbound_nodes\": []},"
                    + layer + "], \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"d\", 0, 0]]},"
                    + " \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}";
        }
        return model;
    }

    private interface GroupEdit {
        void apply(ObjectNode group);
    }

    private static void editManifest(Path modelJson, GroupEdit edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(modelJson.toFile());
        edit.apply((ObjectNode) root.get("weightsManifest").get(0));
        Files.write(modelJson, JSON.writeValueAsBytes(root));
    }

    /**
     * Reverses the manifest's weight order and rewrites the shard to match: a valid export in another order, which
     * must load by name to the same model.
     */
    static void reorderManifest(Path modelJson) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(modelJson.toFile());
        ObjectNode group = (ObjectNode) root.get("weightsManifest").get(0);
        Path shard = modelJson.resolveSibling(group.get("paths").get(0).asText());
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(shard));
        ArrayNode weights = (ArrayNode) group.get("weights");
        java.util.List<byte[]> chunks = new java.util.ArrayList<>();
        for (JsonNode w : weights) {
            long n = 1;
            for (JsonNode d : w.get("shape")) n *= d.asLong();
            byte[] c = new byte[(int) n * 4];
            bytes.get(c);
            chunks.add(c);
        }
        ArrayNode reversed = JSON.createArrayNode();
        try (OutputStream out = Files.newOutputStream(shard)) {
            for (int i = weights.size() - 1; i >= 0; i--) {
                reversed.add(weights.get(i));
                out.write(chunks.get(i));
            }
        }
        group.set("weights", reversed);
        Files.write(modelJson, JSON.writeValueAsBytes(root));
    }
}
