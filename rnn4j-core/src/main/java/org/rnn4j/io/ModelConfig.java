package org.rnn4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/**
 * Keras JSON model configs, both ways: {@code model.to_json()} / {@code keras.models.model_from_json}.
 *
 * <p>Reads Keras 1 and 2 / tf.keras configs ({@code "config"} a list of layers, or {@code {"name", "layers"}}),
 * TensorFlow.js's {@code model.toJSON()} form and Keras 3's ({@code module}, {@code registered_name},
 * {@code build_config}, {@code batch_shape}, an {@code InputLayer} in a Sequential). Writes Keras 3's form. Layers
 * come from the {@link LayerRegistry}; models from the readers registered here by class name
 * ({@code Sequential} built in). Loading never runs code from the config.
 *
 * <pre>{@code
 * Model model = ModelConfig.fromJson(Files.readString(Path.of("model.json")));
 * String json = ModelConfig.toJsonString(model);
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class ModelConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ModelReader> MODELS = new ConcurrentHashMap<>();

    static {
        MODELS.put("Sequential", ModelConfig::readSequential);
        MODELS.put("Functional", FunctionalConfig::read);
        MODELS.put("Model", FunctionalConfig::read);
    }

    private ModelConfig() {}

    /**
     * Registers the reader of a model class ({@code "Functional"}, {@code "Model"}).
     * Thread-safe: a concurrent registry; register before loading files that use the name.
     */
    public static void registerModel(String className, ModelReader reader) { MODELS.put(className, reader); }

    /** The registered model class names. Thread-safe: reads the concurrent registry; concurrent calls are independent. */
    public static Set<String> modelClassNames() { return new TreeSet<>(MODELS.keySet()); }

    // ---------------------------------------------------------------- reading

    /** The model of a JSON config text. Thread-safe: reads the concurrent registry; concurrent calls are independent. */
    public static Model fromJson(String json) {
        if (json == null) throw new ModelFormatException("Model config must be a JSON object, got null");
        LoadLimits limits = LoadLimits.current();
        if (json.length() > limits.maxJsonBytes()) {
            throw LoadLimits.exceeded("Model config", "JSON text of length", json.length(), limits.maxJsonBytes(), "maxJsonBytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("Model config is not valid JSON: " + e.getOriginalMessage());
        }
        return fromJson(root);
    }

    /**
     * The model of a parsed config; the Keras version comes from its {@code keras_version} (or its form).
     * Thread-safe: reads the concurrent registry; concurrent calls are independent.
     */
    public static Model fromJson(JsonNode root) {
        return fromJson(root, root == null ? KerasVersion.KERAS_2 : KerasVersion.of(root));
    }

    /**
     * The model of a parsed config written by the given Keras version ({@code metadata.json}, HDF5 attributes). The
     * config is held to the {@link LoadLimits} (depth, layers, names, sizes, weight values) before and while it is
     * built. Thread-safe: may be called concurrently.
     */
    public static Model fromJson(JsonNode root, KerasVersion version) {
        LoadLimits limits = LoadLimits.current();
        limits.checkConfig(root, "Model config");
        try {
            return org.rnn4j.initializers.Initializer.limited(limits.maxWeightValues(), () -> read(root, version));
        } catch (OutOfMemoryError e) {
            throw new ModelFormatException("Model config: not enough memory for the model it describes (the JVM has "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise -Xmx, or lower LoadLimits.maxWeightValues)", e);
        } catch (StackOverflowError e) {
            throw new ModelFormatException("Model config: nested too deeply to build (LoadLimits.maxDepth)", e);
        } catch (IllegalArgumentException e) {
            if (e instanceof ModelFormatException m) throw m;
            throw new ModelFormatException("Model config: " + e.getMessage(), e);
        }
    }

    private static Model read(JsonNode root, KerasVersion version) {
        if (root == null || !root.isObject()) {
            throw new ModelFormatException("Model config must be a JSON object, got " + LayerRegistry.abbreviate(String.valueOf(root)));
        }
        // TensorFlow.js model.json wraps the config in modelTopology (and sometimes model_config).
        if (root.has("modelTopology")) return read(root.get("modelTopology"), version);
        if (root.has("model_config") && !root.has("class_name")) return read(root.get("model_config"), version);
        JsonNode cls = root.get("class_name");
        if (cls == null || !cls.isTextual()) {
            throw new ModelFormatException("Model config has no \"class_name\" (expected \"Sequential\", \"Functional\" or \"Model\")");
        }
        ModelReader reader = MODELS.get(cls.asText());
        if (reader == null) {
            if (LayerRegistry.isRegistered(cls.asText())) {
                throw new ModelFormatException("The config is a single layer (" + cls.asText() + "), not a model");
            }
            throw new ModelFormatException("Model class \"" + cls.asText() + "\" is not supported; rnn4j reads "
                    + modelClassNames());
        }
        return reader.read(root.get("config"), root, version);
    }

    private static Model readSequential(JsonNode config, JsonNode root, KerasVersion version) {
        JsonNode layers = config != null && config.isArray() ? config : config == null ? null : config.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new ModelFormatException("Sequential config has no \"layers\" list");
        }
        Sequential model = new Sequential();
        if (config.isObject() && config.path("name").isTextual()) model.setName(config.get("name").asText());
        boolean first = true;
        for (JsonNode spec : layers) {
            String cls = spec.path("class_name").asText("");
            if (cls.equals("InputLayer")) {
                if (!first) throw new ModelFormatException("Sequential \"" + model.name() + "\": an InputLayer can only come first");
                model.add(inputOf(new LayerConfig(cls, spec.get("config"), version)));
            } else {
                model.add(LayerRegistry.create(spec, version));
            }
            first = false;
        }
        if (!model.isBuilt()) {
            // A model built by a first fit() records its input shape in build_input_shape / build_config.
            JsonNode shape = config.isObject() ? config.get("build_input_shape") : null;
            if ((shape == null || shape.isNull()) && root.has("build_config")) shape = root.get("build_config").get("input_shape");
            if (shape != null && shape.isArray() && model.layers().size() > 0) {
                model.build(new LayerConfig("Sequential", JSON.createObjectNode().set("s", shape), version).getShape("s"));
            }
        }
        return model;
    }

    /** An {@code InputLayer} config: {@code batch_shape} (Keras 3), {@code batch_input_shape}, or {@code shape}. */
    static Input inputOf(LayerConfig c) {
        int[] bs = c.getShape("batch_shape", "batch_input_shape");
        if (bs == null) {
            int[] s = c.getShape("shape", "input_shape");
            if (s == null) throw c.error("needs \"batch_shape\" or \"shape\"");
            bs = new int[s.length + 1];
            bs[0] = -1;
            System.arraycopy(s, 0, bs, 1, s.length);
        }
        int[] rest = Arrays.copyOfRange(bs, 1, bs.length);
        // null (a variable number of timesteps) is fine but for the last axis, which every layer's weights need.
        if (rest.length > 0 && rest[rest.length - 1] <= 0) {
            throw c.error("rnn4j needs the last input dimension to be known, got " + Arrays.toString(bs));
        }
        return bs[0] > 0 ? Input.withBatch(bs[0], rest) : new Input(rest);
    }

    // ---------------------------------------------------------------- writing

    /**
     * The model's config as Keras 3 writes it ({@code model.to_json()}, the {@code config.json} of a .keras file).
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static ObjectNode toJson(Model model) {
        if (model instanceof org.rnn4j.models.Functional f) return FunctionalConfig.toJson(f);
        if (!(model instanceof Sequential)) {
            throw new IllegalArgumentException("ModelConfig.toJson: " + model.getClass().getSimpleName()
                    + " models cannot be written yet (only Sequential and Functional)");
        }
        Sequential seq = (Sequential) model;
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("name", model.name());
        cfg.put("trainable", true);
        cfg.put("dtype", "float32");
        List<Object> layers = new ArrayList<>();
        int[] inputShape = seq.inputShape();
        if (inputShape != null) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("batch_shape", shapeList(inputShape));
            in.put("dtype", "float32");
            in.put("sparse", false);
            in.put("name", "input_layer");
            layers.add(serialized("keras.layers", "InputLayer", in, null));
        }
        for (Layer l : seq.layers()) layers.add(serializeLayer(l));
        cfg.put("layers", layers);
        if (inputShape != null) cfg.put("build_input_shape", shapeList(inputShape));
        Map<String, Object> out = serialized("keras", "Sequential", cfg,
                inputShape == null ? null : Map.of("input_shape", shapeList(inputShape)));
        return JSON.valueToTree(out);
    }

    /**
     * {@link #toJson(Model)} as indented text.
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static String toJsonString(Model model) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(model));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the config of model \"" + model.name() + "\"", e);
        }
    }

    /**
     * One layer as Keras 3's {@code serialize_keras_object}: module, class name, config (without the input shape,
     * which the model's InputLayer carries), registered name, build config.
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static Map<String, Object> serializeLayer(Layer layer) {
        Map<String, Object> cfg = keras3Names(layer.getConfig());
        cfg.remove("batch_input_shape");
        Map<String, Object> build = null;
        if (layer.isBuilt() && layer.builtInputShapes().size() == 1) {
            build = Map.of("input_shape", shapeList(layer.builtInputShapes().get(0)));
        } else if (layer.isBuilt()) {
            List<Object> shapes = new ArrayList<>();
            for (int[] s : layer.builtInputShapes()) shapes.add(shapeList(s));
            build = Map.of("input_shape", shapes);
        }
        return serialized("keras.layers", layer.className(), cfg, build);
    }

    private static Map<String, Object> serialized(String module, String cls, Map<String, Object> config,
                                                  Map<String, Object> build) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", module);
        m.put("class_name", cls);
        m.put("config", config);
        m.put("registered_name", null);
        if (build != null) m.put("build_config", build);
        return m;
    }

    /**
     * Activation names as Keras 3 reads them: its {@code hard_sigmoid} is {@code clip(x/6 + 0.5)}, so rnn4j's
     * Keras 2 {@code hard_sigmoid} (0.2x + 0.5) is written {@code hard_sigmoid_keras2} — Keras 3 refuses it rather
     * than computing something else; rnn4j reads it back exactly.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> keras3Names(Map<String, Object> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            Object v = e.getValue();
            if (e.getKey().endsWith("activation") && v instanceof String) {
                if (v.equals("hard_sigmoid")) v = "hard_sigmoid_keras2";
                else if (v.equals("hard_sigmoid_keras3")) v = "hard_sigmoid";
            } else if (v instanceof Map) {
                v = keras3Names((Map<String, Object>) v);
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static List<Integer> shapeList(int[] shape) {
        List<Integer> out = new ArrayList<>();
        for (int d : shape) out.add(d < 0 ? null : d);
        return out;
    }

    /**
     * The shared Jackson mapper (for readers built on this class).
     * Thread-safe: Jackson's ObjectMapper is thread-safe once configured; do not reconfigure it.
     */
    public static ObjectMapper mapper() { return JSON; }
}
