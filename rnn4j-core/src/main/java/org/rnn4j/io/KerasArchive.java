package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

/**
 * Keras 3's native {@code .keras} format: a zip archive of {@code metadata.json}, {@code config.json} (the model
 * config with its {@code compile_config}) and {@code model.weights.h5} (layer variables under
 * {@code layers/<name>/vars/<i>} or {@code layers/<name>/cell/vars/<i>}, the optimizer's under
 * {@code optimizer/vars/<i>}: iteration count, learning rate, then each trainable weight's slots). rnn4j adds the
 * model's {@link Model#attachments()} to {@code metadata.json} under {@code "rnn4j"}, which Keras ignores.
 *
 * <pre>{@code
 * KerasArchive.save(model, Path.of("model.keras"));   // atomic: temp file + rename
 * Model again = KerasArchive.load(Path.of("model.keras"));
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class KerasArchive {
    /** The Keras release whose archive layout rnn4j writes (see keras-real/README.md). */
    public static final String KERAS_VERSION = "3.14.1";
    static final String CONFIG = "config.json", METADATA = "metadata.json", WEIGHTS = "model.weights.h5";
    private static final ObjectMapper JSON = ModelConfig.mapper();

    private KerasArchive() {}

    // ---------------------------------------------------------------- saving

    /**
     * Saves the whole model: architecture, weights, compile settings, optimizer state, attachments.
     * Thread-safe alongside inference (not during training); concurrent saves to one path: the last wins.
     */
    public static void save(Model model, Path path) {
        requireBuilt(model, "save");
        ObjectNode config = ModelConfig.toJson(model);
        Map<String, Object> compile = CompileConfig.toJson(model);
        config.set("compile_config", JSON.valueToTree(compile));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("keras_version", KERAS_VERSION);
        meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        Map<String, Object> rnn4j = new LinkedHashMap<>();
        rnn4j.put("version", "0.1.0");
        rnn4j.put("attachments", model.attachments());
        meta.put("rnn4j", rnn4j);
        byte[] weights = weightsFile(model, true).toBytes();
        byte[] configBytes, metaBytes;
        try {
            configBytes = JSON.writeValueAsBytes(config);
            metaBytes = JSON.writeValueAsBytes(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Model \"" + model.name() + "\": attachments must be JSON values "
                    + "(strings, numbers, booleans, lists, maps): " + e.getOriginalMessage(), e);
        }
        write(path, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, METADATA, metaBytes);
            put(zip, CONFIG, configBytes);
            put(zip, WEIGHTS, weights);
            zip.finish();
        });
    }

    /**
     * Saves only the weights, as Keras 3's {@code model.save_weights("x.weights.h5")}.
     * Thread-safe alongside inference (not during training); concurrent saves to one path: the last wins.
     */
    public static void saveWeights(Model model, Path path) {
        requireBuilt(model, "saveWeights");
        byte[] bytes = weightsFile(model, false).toBytes();
        write(path, out -> out.write(bytes));
    }

    private static void requireBuilt(Model model, String what) {
        if (!model.isBuilt()) {
            throw new IllegalStateException(what + ": model \"" + model.name() + "\" is not built yet, so it has no weights; "
                    + "give the first layer an input shape or call fit()/predict() first");
        }
    }

    private static void write(Path path, AtomicFiles.Writer writer) {
        try {
            AtomicFiles.write(path, writer);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The {@code model.weights.h5} tree of a model, with the optimizer's state when asked and compiled. */
    static Hdf5Writer.Group weightsFile(Model model, boolean withOptimizer) {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        List<Layer> layers = model.layers();
        List<String> keys = KerasPaths.layerKeys(layers);
        Hdf5Writer.Group layersGroup = root.group("layers");
        for (int i = 0; i < layers.size(); i++) {
            for (KerasPaths.VarGroup g : KerasPaths.groups(layers.get(i), keys.get(i))) {
                Hdf5Writer.Group vars = groupAt(layersGroup, g.path());
                vars.attribute("name", g.objectName());
                for (int j = 0; j < g.weights().size(); j++) {
                    Weight w = g.weights().get(j);
                    if (w.isInt8()) vars.int8s(Integer.toString(j), w.value().data(), w.shape());
                    else vars.floats(Integer.toString(j), w.value().data(), w.shape());
                }
            }
        }
        if (withOptimizer && model.isCompiled()) {
            Optimizer opt = model.optimizer();
            Hdf5Writer.Group vars = root.group("optimizer").group("vars");
            vars.attribute("name", opt.className().toLowerCase(java.util.Locale.ROOT));
            vars.longs("0", new long[] {opt.iterations()});
            vars.floats("1", new float[] {(float) opt.learningRate()});
            List<Weight> trainable = model.trainableWeights();
            boolean allSlots = true;
            for (Weight w : trainable) allSlots &= opt.slots(w) != null;
            if (allSlots && opt.slotsPerWeight() > 0) {
                int k = 2;
                // Per weight, its slots in turn (Adam: momentum then velocity), as Keras 3 orders them.
                for (Weight w : trainable) {
                    for (float[] slot : opt.slots(w)) vars.floats(Integer.toString(k++), slot, w.shape());
                }
            }
        }
        root.group("vars").attribute("name", model.name());
        return root;
    }

    private static Hdf5Writer.Group groupAt(Hdf5Writer.Group root, String path) {
        Hdf5Writer.Group g = root;
        for (String part : path.split("/")) g = g.group(part);
        return g;
    }

    // ---------------------------------------------------------------- loading

    /** The three parts of an archive, read with size limits. */
    record Parts(JsonNode metadata, JsonNode config, byte[] weights) {}

    static Parts readParts(Path path) {
        String what = path.toString();
        LoadLimits limits = LoadLimits.current();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            if (zip.size() > limits.maxZipEntries()) {
                throw LoadLimits.exceeded(what, "a zip archive with entries numbering", zip.size(), limits.maxZipEntries(), "maxZipEntries");
            }
            // Every entry's declared size, summed before any is inflated (each is then held to what it declares).
            long declared = 0;
            for (String name : List.of(METADATA, CONFIG, WEIGHTS)) {
                ZipEntry e = zip.getEntry(name);
                if (e != null && e.getSize() > 0) declared += e.getSize();
            }
            if (declared > limits.maxInflatedBytes()) {
                throw LoadLimits.exceeded(what, "the archive's entries inflate to (bytes)", declared, limits.maxInflatedBytes(), "maxInflatedBytes");
            }
            ZipEntry w = zip.getEntry(WEIGHTS);
            if (w != null) requireMemory(what, WEIGHTS, w.getSize() < 0 ? 0 : w.getSize());
            int maxJson = (int) Math.min(limits.maxJsonBytes(), Integer.MAX_VALUE - 8);
            int maxWeights = (int) Math.min(limits.maxInflatedBytes(), Integer.MAX_VALUE - 8);
            byte[] meta = entry(zip, METADATA, maxJson, false, what);
            byte[] config = entry(zip, CONFIG, maxJson, true, what);
            byte[] weights = entry(zip, WEIGHTS, maxWeights, false, what);
            if (weights == null && zip.getEntry("model.weights.npz") != null) {
                throw new ModelFormatException(what + ": weights in model.weights.npz are not supported; save with "
                        + "weights_format=\"h5\" (Keras's default)");
            }
            return new Parts(meta == null ? null : json(meta, what + "!" + METADATA), json(config, what + "!" + CONFIG), weights);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (ZipException e) {
            throw new ModelFormatException(what + ": not a valid .keras (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException(what + ": cannot read the archive: " + e.getMessage(), e);
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(what + ": corrupt zip archive (" + e + ")", e);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(what, e);
        }
    }

    /**
     * Refuses, before reading, a weights file the heap cannot hold: loading keeps its bytes and their floats (about
     * three times its size) at once. The budgets bound what a file may declare; this bounds it by the JVM at hand.
     */
    static void requireMemory(String what, String object, long bytes) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > 0 && bytes > free / 3) {
            throw new ModelFormatException(what + ": " + object + " declares " + bytes + " bytes, more than this JVM can load "
                    + "(about " + (free >> 20) + " MiB of heap free of " + (rt.maxMemory() >> 20) + " MiB; raise -Xmx)");
        }
    }

    /** The one error for running out of memory while loading a file within the budgets. */
    static ModelFormatException outOfMemory(String what, OutOfMemoryError e) {
        return new ModelFormatException(what + ": not enough memory to load it (the JVM has "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise -Xmx or lower the LoadLimits)", e);
    }

    private static byte[] entry(ZipFile zip, String name, int max, boolean required, String what) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            if (required) throw new ModelFormatException(what + ": the archive has no " + name + " (is it a .keras file?)");
            return null;
        }
        if (e.getSize() > max) throw new ModelFormatException(what + ": " + name + " claims " + e.getSize() + " bytes, over the limit of " + max);
        // Read no more than the entry declares (a zip bomb declares little and inflates to a lot).
        int limit = e.getSize() >= 0 ? (int) Math.min(max, e.getSize()) : max;
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new ModelFormatException(what + ": " + name + " inflates to more than "
                        + (limit == max ? "the limit of " + max + " bytes" : "the " + limit + " bytes the archive declares"));
            }
            if (e.getSize() >= 0 && b.length != e.getSize()) {
                throw new ModelFormatException(what + ": " + name + " has " + b.length + " bytes but the archive says " + e.getSize());
            }
            // java.util.zip.ZipFile does not check the CRC of what it inflates; a damaged entry must not load.
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(b);
            if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                throw new ModelFormatException(what + ": " + name + " is damaged (CRC-32 mismatch)");
            }
            return b;
        }
    }

    static JsonNode json(byte[] bytes, String what) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) throw new ModelFormatException(what + ": not a JSON object");
            return n;
        } catch (IOException e) {
            throw new ModelFormatException(what + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        } catch (RuntimeException e) {
            if (e instanceof ModelFormatException m) throw m;
            throw new ModelFormatException(what + ": not valid JSON (" + e + ")", e);
        }
    }

    /** Loads a whole model. Thread-safe: no shared mutable state; concurrent calls are independent. */
    public static Model load(Path path) {
        String what = path.toString();
        try {
            return loadWhole(path, what);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(what, e);
        } catch (StackOverflowError e) {
            throw new ModelFormatException(what + ": nested too deeply to load", e);
        }
    }

    private static Model loadWhole(Path path, String what) {
        Parts parts = readParts(path);
        if (parts.weights == null) throw new ModelFormatException(what + ": the archive has no " + WEIGHTS);
        try (Hdf5File h5 = Hdf5File.open(parts.weights, what + "!" + WEIGHTS)) {
            KerasVersion version = version(parts.metadata, parts.config);
            Model model = build(parts.config, version, parts.weights.length, what);
            readLayerWeights(model, h5);
            JsonNode compile = parts.config.get("compile_config");
            if (compile != null && !compile.isNull()) {
                CompileConfig.apply(model, compile, version, what);
                // A file rnn4j wrote must match exactly; Keras orders some optimizers' slots differently (RMSprop:
                // all velocities, then all momentums), and then, as Keras does on a mismatch, the state is skipped.
                boolean ours = parts.metadata != null && parts.metadata.has("rnn4j");
                readOptimizerState(model, h5, ours);
            }
            readAttachments(model, parts.metadata, what);
            return model;
        }
    }

    static KerasVersion version(JsonNode metadata, JsonNode config) {
        JsonNode v = metadata == null ? null : metadata.get("keras_version");
        if (v != null && v.isTextual()) return KerasVersion.parse(v.asText());
        return KerasVersion.of(config);
    }

    /**
     * The model of a config, its weights allocated but not initialised and limited to what a weights file of
     * {@code weightBytes} can hold; anything the config gets wrong is a {@link ModelFormatException}.
     */
    static Model build(JsonNode config, KerasVersion version, long weightBytes, String what) {
        try {
            JsonNode normalized = withoutInnerInputShapes(config);
            Model model = Initializer.allocateOnly(weightBytes / 4 + 16, () -> ModelConfig.fromJson(normalized, version));
            if (!model.isBuilt()) {
                throw new ModelFormatException(what + ": the model config has no input shape, so its weights cannot be "
                        + "placed (the saved model was never built)");
            }
            return model;
        } catch (ModelFormatException e) {
            throw e.getMessage().startsWith(what) ? e : new ModelFormatException(what + ": " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new ModelFormatException(what + ": invalid model config: " + e.getMessage(), e);
        }
    }

    /**
     * Keras's Sequential takes the input shape from its first layer only; Keras 1 wrote {@code input_dim} on later
     * layers too ({@code lstm_tf_model.h5}: the second LSTM says {@code input_dim: 3}), which Keras ignores, so
     * these keys are dropped from every layer but the first.
     */
    static JsonNode withoutInnerInputShapes(JsonNode root) {
        if (root == null || !root.isObject() || !"Sequential".equals(root.path("class_name").asText())) return root;
        JsonNode config = root.get("config");
        JsonNode layers = config != null && config.isArray() ? config : config == null ? null : config.get("layers");
        if (layers == null || !layers.isArray() || layers.size() < 2) return root;
        JsonNode copy = root.deepCopy();
        JsonNode copyLayers = copy.get("config").isArray() ? copy.get("config") : copy.get("config").get("layers");
        for (int i = 1; i < copyLayers.size(); i++) {
            JsonNode c = copyLayers.get(i).get("config");
            if (c instanceof ObjectNode o && !"InputLayer".equals(copyLayers.get(i - 1).path("class_name").asText())) {
                o.remove(java.util.List.of("input_dim", "input_length", "input_shape", "batch_input_shape", "batch_shape"));
            }
        }
        return copy;
    }

    /** Sets every layer's weights from a Keras 3 weights file (also {@code .weights.h5}). */
    static void readLayerWeights(Model model, Hdf5File h5) {
        String what = h5.what();
        List<Layer> layers = model.layers();
        List<String> keys = KerasPaths.layerKeys(layers);
        Map<Layer, LayerWeights> byLayer = new IdentityHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            LayerWeights lw = new LayerWeights();
            for (KerasPaths.VarGroup g : KerasPaths.groups(layer, keys.get(i))) {
                String path = "layers/" + g.path();
                Group vars = h5.group(path);
                if (vars == null) {
                    if (g.weights().isEmpty()) continue;
                    throw new ModelFormatException(what + ": no group " + path + " for the weights of layer \"" + layer.name() + "\"");
                }
                for (Tensor t : numbered(h5, vars, path)) lw.add(null, t);
            }
            byLayer.put(layer, lw);
        }
        List<String> extra = new ArrayList<>();
        Group all = h5.group("layers");
        java.util.Set<String> known = new java.util.HashSet<>(keys); // a set: a file may list 10^5 layers
        if (all != null) for (String k : h5.children(all)) if (!known.contains(k)) extra.add(k);
        LayerWeights.assign(model, byLayer, extra, what);
    }

    /** The datasets {@code 0, 1, 2, ...} of a vars group, in numeric order; anything else is an error. */
    static List<Tensor> numbered(Hdf5File h5, Group vars, String path) {
        List<String> names = h5.children(vars);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = Integer.toString(i);
            Node n = names.contains(name) ? h5.node(path + "/" + name) : null;
            if (!(n instanceof Dataset d)) {
                throw new ModelFormatException(h5.what() + ": " + path + " should hold datasets 0.." + (names.size() - 1)
                        + " but has " + names);
            }
            out.add(h5.tensor(d));
        }
        return out;
    }

    /** Restores the optimizer's iteration count, learning rate and slots, when the file has them. */
    static void readOptimizerState(Model model, Hdf5File h5, boolean strict) {
        String what = h5.what();
        Group vars = h5.group("optimizer/vars");
        if (vars == null) return;
        List<String> names = h5.children(vars);
        if (names.isEmpty()) return;
        if (names.size() < 2) throw new ModelFormatException(what + ": optimizer/vars has " + names.size() + " entries, expected at least 2");
        Node it = h5.node("optimizer/vars/0"), lrNode = h5.node("optimizer/vars/1");
        if (!(it instanceof Dataset itd) || !(lrNode instanceof Dataset lrd)) {
            throw new ModelFormatException(what + ": optimizer/vars must start with datasets 0 (iterations) and 1 (learning rate)");
        }
        Optimizer opt = model.optimizer();
        long iterations = h5.scalarLong(itd);
        if (iterations < 0) throw new ModelFormatException(what + ": optimizer iteration count " + iterations + " is negative");
        float lr = h5.tensor(lrd).data()[0];
        List<Weight> trainable = model.trainableWeights();
        int slotCount = names.size() - 2;
        Map<Weight, float[][]> slots = new IdentityHashMap<>();
        if (slotCount > 0) {
            int per = opt.slotsPerWeight();
            if (trainable.isEmpty() || slotCount != per * trainable.size()) {
                if (!strict) {
                    opt.setIterations(iterations);
                    return;
                }
                throw new ModelFormatException(what + ": optimizer/vars holds " + slotCount + " slot arrays but " + opt.className()
                        + " keeps " + per + " for each of the model's " + trainable.size() + " trainable weights");
            }
            List<Tensor> all = numbered(h5, vars, "optimizer/vars");
            int k = 2;
            for (Weight w : trainable) {
                float[][] s = new float[per][];
                for (int j = 0; j < per; j++) {
                    Tensor t = all.get(k++);
                    if (!java.util.Arrays.equals(t.shape(), w.shape())) {
                        throw new ModelFormatException(what + ": optimizer slot " + (k - 1) + " for weight \"" + w.path()
                                + "\" has shape " + org.rnn4j.tensor.Shapes.toString(t.shape()) + ", expected "
                                + org.rnn4j.tensor.Shapes.toString(w.shape()));
                    }
                    s[j] = t.data();
                }
                slots.put(w, s);
            }
        }
        // The config's learning rate is a double; the file's is its float32 copy. Keep the double unless a
        // callback changed the rate before saving.
        if ((float) opt.learningRate() != lr) opt.setLearningRate(lr);
        opt.setIterations(iterations);
        for (Map.Entry<Weight, float[][]> e : slots.entrySet()) opt.restore(e.getKey(), e.getValue());
    }

    @SuppressWarnings("unchecked")
    static void readAttachments(Model model, JsonNode metadata, String what) {
        if (metadata == null) return;
        JsonNode a = metadata.path("rnn4j").get("attachments");
        if (a == null || a.isNull()) return;
        if (!a.isObject()) throw new ModelFormatException(what + ": metadata.json rnn4j.attachments is not an object");
        model.attachments().putAll(JSON.convertValue(a, LinkedHashMap.class));
    }

    /**
     * Loads weights (and nothing else) into a built model from a {@code .weights.h5} or {@code .keras} file.
     * Thread-safe: no shared mutable state; use Model.loadWeights on a shared model (published atomically).
     */
    public static void loadWeights(Model model, Path path) {
        requireBuilt(model, "loadWeights");
        byte[] head = head(path);
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            Parts parts = readParts(path);
            if (parts.weights == null) throw new ModelFormatException(path + ": the archive has no " + WEIGHTS);
            try (Hdf5File h5 = Hdf5File.open(parts.weights, path + "!" + WEIGHTS)) {
                readLayerWeights(model, h5);
            }
            return;
        }
        try (Hdf5File h5 = Hdf5File.open(path)) {
            if (h5.group("layers") != null || h5.node("model_weights") == null && h5.group("vars") != null) {
                readLayerWeights(model, h5);
            } else {
                KerasH5.loadWeights(model, h5);
            }
        }
    }

    static byte[] head(Path path) {
        try (InputStream in = java.nio.file.Files.newInputStream(path)) {
            return in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }


}
