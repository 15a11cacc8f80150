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
 * Tfjs.save(m, Path.of("export/model.json"));   // + export/group1-shard1of1.bin
 * }</pre>
 */
public final class Tfjs {
    static final String SHARD = "group1-shard1of1.bin";
    private static final long MAX_SHARDS_BYTES = 1L << 30;

    private Tfjs() {}

    /** Loads a model from a {@code model.json} (or the directory holding one) and its shards. */
    public static Model load(Path modelJson) {
        if (Files.isDirectory(modelJson)) modelJson = modelJson.resolve("model.json");
        String what = modelJson.toString();
        JsonNode root = KerasArchive.json(read(modelJson, 64 << 20), what);
        return load(root, modelJson.toAbsolutePath().getParent(), what);
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
        for (JsonNode group : manifest) {
            JsonNode paths = group.get("paths"), weights = group.get("weights");
            if (paths == null || !paths.isArray() || weights == null || !weights.isArray()) {
                throw new ModelFormatException(what + ": a weightsManifest group needs \"paths\" and \"weights\" lists");
            }
            List<byte[]> shards = new ArrayList<>();
            long groupBytes = 0;
            for (JsonNode p : paths) {
                String name = p.asText("");
                if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
                    throw new ModelFormatException(what + ": shard path \"" + name + "\" must be a file name next to model.json");
                }
                byte[] b = read(dir.resolve(name), MAX_SHARDS_BYTES - totalBytes);
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
                    count *= shape[i];
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
        List<Weight> ws = model.weights();
        if (ws.size() != values.size()) {
            throw new ModelFormatException(what + ": the model config has " + ws.size() + " weights but the manifest lists "
                    + values.size() + " " + names);
        }
        for (int i = 0; i < ws.size(); i++) {
            if (!java.util.Arrays.equals(ws.get(i).shape(), shapes.get(i))) {
                throw new ModelFormatException(what + ": weight " + i + " (\"" + names.get(i) + "\") has shape "
                        + Shapes.toString(shapes.get(i)) + " in the manifest but the model's \"" + ws.get(i).path()
                        + "\" has " + Shapes.toString(ws.get(i).shape()));
            }
        }
        for (int i = 0; i < ws.size(); i++) ws.get(i).assign(values.get(i), "");
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
     * Writes {@code model.json} (at the given path, or inside it when it is a directory) and
     * {@code group1-shard1of1.bin} beside it. The topology is the Keras 2 form TensorFlow.js reads.
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
        List<Weight> ws = model.weights();
        int total = 0;
        for (Weight w : ws) {
            ObjectNode e = weights.addObject();
            e.put("name", w.path());
            ArrayNode shape = e.putArray("shape");
            for (int d : w.shape()) shape.add(d);
            e.put("dtype", "float32");
            total += w.size();
        }
        ObjectNode group = ModelConfig.mapper().createObjectNode();
        group.putArray("paths").add(SHARD);
        group.set("weights", weights);
        root.putArray("weightsManifest").add(group);
        ByteBuffer bin = ByteBuffer.allocate(total * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (Weight w : ws) for (float f : w.value().data()) bin.putFloat(f);
        try {
            byte[] json = ModelConfig.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            // The shard first: model.json appears (atomically) only once its weights are complete.
            AtomicFiles.write(modelJson.resolveSibling(SHARD), out -> out.write(bin.array()));
            AtomicFiles.write(modelJson, out -> out.write(json));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + modelJson + ": " + e.getMessage(), e);
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
