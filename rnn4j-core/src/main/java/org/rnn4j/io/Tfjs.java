package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * TensorFlow.js's layers-model format: {@code model.json} ({@code modelTopology} = the Keras config,
 * {@code weightsManifest} = groups of {@code .bin} shard files and the weights they hold, in order) and the shards
 * (each weight flattened row-major, little-endian float32, concatenated). Weights go to the model's weights in
 * order, each checked against its shape. Shard paths must be plain file names next to {@code model.json}.
 *
 * <pre>{@code
 * Model m = Tfjs.load(Path.of("web_model/model.json"));
 * Tfjs.save(m, Path.of("export/model.json"));   // + export/model.<token>.bin
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class Tfjs {

    private Tfjs() {}

    /**
     * Loads a model from a {@code model.json} (or the directory holding one) and its shards.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Model load(Path modelJson) {
        if (Files.isDirectory(modelJson)) modelJson = modelJson.resolve("model.json");
        String what = modelJson.toString();
        JsonNode root = KerasArchive.json(read(modelJson, LoadLimits.current().maxJsonBytes()), what);
        try {
            return load(root, modelJson.toAbsolutePath().getParent(), what);
        } catch (OutOfMemoryError e) {
            throw KerasArchive.outOfMemory(what, e);
        } catch (StackOverflowError e) {
            throw new ModelFormatException(what + ": nested too deeply to load", e);
        }
    }

    static Model load(JsonNode root, Path dir, String what) {
        JsonNode topology = root.get("modelTopology");
        if (topology == null || !topology.isObject()) throw new ModelFormatException(what + ": no modelTopology object; not a TensorFlow.js layers model");
        if (root.has("format") && !"layers-model".equals(root.path("format").asText())) {
            throw new ModelFormatException(what + ": format \"" + root.path("format").asText() + "\" is not \"layers-model\" "
                    + "(graph models are not Keras models)");
        }
        // The Keras config may sit under model_config (converted from Keras's .h5).
        JsonNode config = topology.has("model_config") ? topology.get("model_config") : topology;
        KerasVersion version = topology.has("keras_version") ? KerasVersion.parse(topology.path("keras_version").asText())
                : KerasVersion.of(config);

        // Read the manifest and shards first: their total size bounds the model the config may build.
        List<String> names = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        JsonNode manifest = root.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) throw new ModelFormatException(what + ": no weightsManifest list");
        long totalBytes = 0;
        long maxBytes = LoadLimits.current().maxInflatedBytes();
        java.util.Set<String> shardNames = new java.util.HashSet<>();
        for (JsonNode group : manifest) {
            JsonNode paths = group.get("paths"), weights = group.get("weights");
            if (paths == null || !paths.isArray() || weights == null || !weights.isArray()) {
                throw new ModelFormatException(what + ": a weightsManifest group needs \"paths\" and \"weights\" lists");
            }
            List<byte[]> shards = new ArrayList<>();
            long groupBytes = 0;
            for (JsonNode p : paths) {
                String name = p.asText("");
                if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")
                        || name.indexOf('\0') >= 0 || name.length() > LoadLimits.current().maxNameLength()) {
                    throw new ModelFormatException(what + ": shard path \"" + LayerRegistry.abbreviate(name.replace("\0", "\\0"))
                            + "\" must be a file name next to model.json");
                }
                if (!shardNames.add(name)) throw new ModelFormatException(what + ": shard \"" + name + "\" is listed twice in the manifest");
                byte[] b = read(dir.resolve(name), maxBytes - totalBytes);
                groupBytes += b.length;
                totalBytes += b.length;
                shards.add(b);
            }
            ByteBuffer data = ByteBuffer.allocate((int) groupBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] b : shards) data.put(b);
            data.flip();
            for (JsonNode w : weights) {
                String name = w.path("name").asText("?");
                String dtype = w.path("dtype").asText("float32");
                if (w.has("quantization")) throw new ModelFormatException(what + ": weight \"" + name + "\" is quantized; rnn4j reads float32 weights");
                if (!dtype.equals("float32") && !dtype.equals("int32")) {
                    throw new ModelFormatException(what + ": weight \"" + name + "\" has dtype " + dtype + "; rnn4j reads float32 weights");
                }
                JsonNode sh = w.get("shape");
                if (sh == null || !sh.isArray() || sh.size() > 8) throw new ModelFormatException(what + ": weight \"" + name + "\" has no valid shape");
                int[] shape = new int[sh.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    JsonNode d = sh.get(i);
                    if (!d.canConvertToInt() || d.asInt() < 0) throw new ModelFormatException(what + ": weight \"" + name + "\" has shape " + sh);
                    shape[i] = d.asInt();
                    // Saturating: a forged shape must not wrap around to a small count.
                    count = shape[i] == 0 ? 0 : count > (Long.MAX_VALUE / 8) / shape[i] ? Long.MAX_VALUE / 8 : count * shape[i];
                }
                if (count * 4 > data.remaining()) {
                    throw new ModelFormatException(what + ": weight \"" + name + "\" of shape " + sh + " needs " + count * 4
                            + " bytes but the shards have " + data.remaining() + " left");
                }
                float[] v = new float[(int) count];
                if (dtype.equals("int32")) for (int i = 0; i < v.length; i++) v[i] = data.getInt();
                else for (int i = 0; i < v.length; i++) v[i] = data.getFloat();
                names.add(name);
                shapes.add(shape);
                values.add(Tensor.of(v, shape));
            }
            if (data.hasRemaining()) {
                throw new ModelFormatException(what + ": the shards of " + paths + " have " + data.remaining()
                        + " bytes beyond the weights the manifest lists");
            }
        }
        Model model = KerasArchive.build(config, version, totalBytes, what);
        Map<Weight, Tensor> byWeight = byName(model, names, values, what);
        for (Map.Entry<Weight, Tensor> e : byWeight.entrySet()) e.getKey().assign(e.getValue(), "");
        JsonNode training = root.get("trainingConfig");
        if (training != null && training.isObject()) {
            try {
                CompileConfig.apply(model, training, version, what);
            } catch (ModelFormatException e) {
                // Inference does not need it; model.compile(...) before training.
            }
        }
        return model;
    }

    /**
     * The manifest's weights matched to the model's by name, as TensorFlow.js matches them, never by position: a
     * manifest name ({@code lstm/kernel}, {@code bidirectional/forward_lstm/kernel}, {@code time_distributed/kernel},
     * with or without {@code :0}) matches the model weight whose path it is, else the one of that layer with that
     * variable name (and direction, in a Bidirectional). A weight missing, left over, matched twice or of another shape
     * is an error naming it; nothing is set until all match.
     */
    static Map<Weight, Tensor> byName(Model model, List<String> names, List<Tensor> values, String what) {
        // Keys of three strengths; a key two weights share maps to null (unusable) at its strength.
        List<Map<String, Weight>> keys = List.of(new java.util.HashMap<>(), new java.util.HashMap<>(), new java.util.HashMap<>());
        List<Weight> all = new ArrayList<>();
        for (org.rnn4j.layers.Layer layer : model.layers()) {
            for (Weight w : layer.weights()) {
                all.add(w);
                String path = w.path(), top = layer.name();
                String dir = direction(path);
                claim(keys.get(0), path, w);
                if (!path.startsWith(top + "/")) claim(keys.get(0), top + "/" + path, w);
                claim(keys.get(1), top + "/" + (dir == null ? "" : dir + "/") + w.name(), w);
                claim(keys.get(2), top + "/" + w.name(), w);
            }
        }
        Map<Weight, Tensor> out = new java.util.IdentityHashMap<>();
        Map<Weight, String> from = new java.util.IdentityHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String n = name.replaceFirst(":\\d+$", "");
            String[] parts = n.split("/");
            String dir = direction(n);
            String last = parts[parts.length - 1];
            Weight w = keys.get(0).get(n);
            if (w == null && parts.length > 1) w = keys.get(1).get(parts[0] + "/" + (dir == null ? "" : dir + "/") + last);
            if (w == null && parts.length > 1) w = keys.get(2).get(parts[0] + "/" + last);
            if (w == null) {
                throw new ModelFormatException(what + ": the manifest's weight \"" + LayerRegistry.abbreviate(name)
                        + "\" matches no weight of the model (it has " + paths(all) + ")");
            }
            if (from.containsKey(w)) {
                throw new ModelFormatException(what + ": the manifest's weights \"" + from.get(w) + "\" and \"" + name
                        + "\" both name the model's \"" + w.path() + "\"");
            }
            if (!java.util.Arrays.equals(w.shape(), values.get(i).shape())) {
                throw new ModelFormatException(what + ": weight \"" + name + "\" has shape " + Shapes.toString(values.get(i).shape())
                        + " in the manifest but the model's \"" + w.path() + "\" has " + Shapes.toString(w.shape()));
            }
            from.put(w, name);
            out.put(w, values.get(i));
        }
        for (Weight w : all) {
            if (!out.containsKey(w)) {
                throw new ModelFormatException(what + ": the manifest has no weight for the model's \"" + w.path() + "\" "
                        + Shapes.toString(w.shape()) + " (it lists " + LayerRegistry.abbreviate(names.toString()) + ")");
            }
        }
        return out;
    }

    /** Maps a key to its weight, or to null once a second weight claims it. */
    private static void claim(Map<String, Weight> keys, String key, Weight w) {
        keys.put(key, keys.containsKey(key) && keys.get(key) != w ? null : w);
    }

    /** {@code forward} or {@code backward} when a segment of the name starts so (a Bidirectional's halves). */
    private static String direction(String path) {
        for (String s : path.split("/")) {
            if (s.startsWith("forward")) return "forward";
            if (s.startsWith("backward")) return "backward";
        }
        return null;
    }

    private static String paths(List<Weight> ws) {
        List<String> out = new ArrayList<>();
        for (Weight w : ws) out.add(w.path());
        return LayerRegistry.abbreviate(out.toString());
    }

    private static byte[] read(Path p, long max) {
        try {
            long size = Files.size(p);
            if (size > max) throw new ModelFormatException(p + ": " + size + " bytes is over the limit of " + max);
            try (InputStream in = Files.newInputStream(p)) {
                return in.readNBytes((int) size);
            }
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + p);
        } catch (IOException e) {
            throw new ModelFormatException(p + ": cannot read: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code model.json} (at the given path, or inside it when it is a directory) and its weights shard beside
     * it, {@code <stem>.<token>.bin} ({@code model.k3x9.bin}): a name of its own for each save, so two models can share
     * a folder and a save never overwrites the shard the current {@code model.json} reads. The two are one unit under a
     * kill at any instant: the new shard is complete before {@code model.json} is renamed over the old one, and the old
     * shard is deleted only after; shards and temporary files of killed earlier saves are deleted by the next save of
     * the same {@code model.json}. The topology is the Keras 2 form TensorFlow.js reads. Not thread-safe for one
     * target: save a given {@code model.json} from one thread at a time.
     */
    public static void save(Model model, Path modelJson) {
        if (Files.isDirectory(modelJson) || !modelJson.getFileName().toString().endsWith(".json")) {
            modelJson = modelJson.resolve("model.json");
        }
        if (!model.isBuilt()) throw new IllegalStateException("Tfjs.save: model \"" + model.name() + "\" is not built yet");
        ObjectNode topology = (ObjectNode) keras2Form(model instanceof org.rnn4j.models.Functional f
                ? FunctionalConfig.toKeras2Json(f) : ModelConfig.toJson(model));
        topology.put("keras_version", "tfjs-layers 4.22.0");
        topology.put("backend", "tensor_flow.js");
        ObjectNode root = ModelConfig.mapper().createObjectNode();
        root.put("format", "layers-model");
        root.put("generatedBy", "rnn4j 0.1.0");
        root.putNull("convertedBy");
        root.set("modelTopology", topology);
        ArrayNode weights = ModelConfig.mapper().createArrayNode();
        long total = 0;
        List<Weight> ws = new ArrayList<>();
        for (org.rnn4j.layers.Layer layer : model.layers()) {
            for (Weight w : layer.weights()) {
                ObjectNode e = weights.addObject();
                // TensorFlow.js's names: the model-level layer, then the weight's path within it.
                e.put("name", w.path().startsWith(layer.name() + "/") ? w.path() : layer.name() + "/" + w.path());
                ArrayNode shape = e.putArray("shape");
                for (int d : w.shape()) shape.add(d);
                e.put("dtype", "float32");
                total += w.size();
                ws.add(w);
            }
        }
        if (total > (Integer.MAX_VALUE - 8) / 4) {
            throw new IllegalArgumentException("Tfjs.save: model \"" + model.name() + "\" has " + total + " weight values, "
                    + "more than one shard file holds here");
        }
        String stem = stem(modelJson);
        String shard = stem + "." + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".bin";
        ObjectNode group = ModelConfig.mapper().createObjectNode();
        group.putArray("paths").add(shard);
        group.set("weights", weights);
        root.putArray("weightsManifest").add(group);
        ByteBuffer bin = ByteBuffer.allocate((int) total * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (Weight w : ws) for (float f : w.value().data()) bin.putFloat(f);
        try {
            byte[] json = ModelConfig.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            Path target = modelJson.toAbsolutePath();
            Files.createDirectories(target.getParent());
            List<String> previous = ownShards(target, shardPaths(target));
            deleteStrayShards(target, previous);
            // The shard first, kept locked (so no other save takes it for a stray) until model.json names it.
            try (AtomicFiles.Held held = AtomicFiles.writeHeld(target.resolveSibling(shard), out -> out.write(bin.array()))) {
                AtomicFiles.write(target, out -> out.write(json));
            }
            for (String old : previous) if (!old.equals(shard)) Files.deleteIfExists(target.resolveSibling(old));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + modelJson + ": " + e.getMessage(), e);
        }
    }

    private static String stem(Path modelJson) {
        String name = modelJson.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    /** The shard names a {@code model.json} lists, or none when it is absent or unreadable. */
    static List<String> shardPaths(Path modelJson) {
        List<String> out = new ArrayList<>();
        try {
            if (!Files.isRegularFile(modelJson) || Files.size(modelJson) > LoadLimits.current().maxJsonBytes()) return out;
            JsonNode root = ModelConfig.mapper().readTree(modelJson.toFile());
            for (JsonNode g : root.path("weightsManifest")) for (JsonNode p : g.path("paths")) out.add(p.asText());
        } catch (IOException | RuntimeException e) {
            // An unreadable manifest names no shard: nothing of it is deleted.
        }
        return out;
    }

    /** Whether a file name is one of the shards saves of this {@code model.json} write: {@code <stem>.<token>.bin}. */
    private static boolean ownShard(String stem, String name) {
        return name.startsWith(stem + ".") && name.endsWith(".bin")
                && name.substring(stem.length() + 1, name.length() - 4).matches("[0-9a-z]+");
    }

    private static List<String> ownShards(Path modelJson, List<String> names) {
        String stem = stem(modelJson);
        List<String> out = new ArrayList<>();
        for (String n : names) if (ownShard(stem, n)) out.add(n);
        return out;
    }

    /**
     * Deletes this {@code model.json}'s shards that it does not list, left by saves killed before their rename (their
     * lock died with them), and the temporary files of such saves.
     */
    private static void deleteStrayShards(Path modelJson, List<String> listed) throws IOException {
        String stem = stem(modelJson);
        AtomicFiles.cleanStrays(modelJson);
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(modelJson.getParent(),
                p -> ownShard(stem, p.getFileName().toString()) || p.getFileName().toString().startsWith("." + stem + "."))) {
            for (Path p : files) {
                String n = p.getFileName().toString();
                int cut = n.endsWith(".tmp") ? n.lastIndexOf('.', n.length() - 5) : -1;
                if (n.startsWith(".") && cut > 1) {
                    AtomicFiles.cleanStrays(p.resolveSibling(n.substring(1, cut))); // a killed shard write's temporary file
                } else if (!n.startsWith(".") && !listed.contains(n)) {
                    AtomicFiles.deleteIfUnlocked(p); // a killed save's shard
                }
            }
        }
    }

    /**
     * Keras 3's serialized form in Keras 2's, as TensorFlow.js reads it: no {@code module},
     * {@code registered_name} or {@code build_config}; {@code dtype} a plain string; an InputLayer's
     * {@code batch_shape} as {@code batch_input_shape}; {@code hard_sigmoid} names in Keras 2's meaning.
     */
    static JsonNode keras2Form(JsonNode n) {
        if (n.isArray()) {
            ArrayNode out = ModelConfig.mapper().createArrayNode();
            for (JsonNode e : n) out.add(keras2Form(e));
            return out;
        }
        if (!n.isObject()) return n;
        ObjectNode out = ModelConfig.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals("module") || k.equals("registered_name") || k.equals("build_config")) continue;
            if (k.equals("dtype") && v.isObject()) {
                out.put("dtype", v.path("config").path("name").asText("float32"));
                continue;
            }
            if (k.equals("batch_shape")) k = "batch_input_shape";
            if (k.endsWith("activation") && v.isTextual()) {
                // Keras 3 config names: hard_sigmoid = x/6 + 0.5, hard_sigmoid_keras2 = 0.2x + 0.5 (TF.js's hard_sigmoid).
                String a = v.asText();
                if (a.equals("hard_sigmoid")) v = TextNode.valueOf("hard_sigmoid_keras3");
                else if (a.equals("hard_sigmoid_keras2")) v = TextNode.valueOf("hard_sigmoid");
            }
            out.set(k, keras2Form(v));
        }
        return out;
    }
}
