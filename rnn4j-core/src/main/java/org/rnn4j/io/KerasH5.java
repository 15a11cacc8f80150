package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Model;

/**
 * Keras 1 and 2 (and tf.keras) HDF5 files: whole models written by {@code model.save("x.h5")} (root attributes
 * {@code keras_version}, {@code model_config}, {@code training_config}; weights under {@code model_weights/}) and
 * weights written by {@code model.save_weights("x.h5")} with the architecture in a separate JSON config.
 * Weights are matched to layers by name, in each layer's {@code weight_names} order; Keras 1's per-gate LSTM and
 * GRU matrices are concatenated into Keras 2's layout; options are read as the file's Keras version defines them
 * ({@code hard_sigmoid} is {@code clip(0.2x + 0.5)} before Keras 3).
 *
 * <pre>{@code
 * Model a = KerasH5.load(Path.of("model.h5"));
 * Model b = KerasH5.load(Path.of("config.json"), Path.of("weights.h5"));
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class KerasH5 {
    private KerasH5() {}

    /** Loads a whole-model {@code .h5} file. Thread-safe: no shared mutable state; concurrent calls are independent. */
    public static Model load(Path path) {
        String what = path.toString();
        try (Hdf5File h5 = Hdf5File.open(path)) {
            Node root = h5.node("/");
            String config = h5.stringAttribute(root, "model_config");
            if (config == null) {
                if (h5.group("layers") != null || h5.group("vars") != null) {
                    throw new ModelFormatException(what + ": this is a Keras 3 weights file (.weights.h5) without the "
                            + "model's architecture; build the model and call model.loadWeights(path)");
                }
                throw new ModelFormatException(what + ": no model_config attribute, so this is a weights-only file "
                        + "(save_weights); load it with its JSON config: Models.load(configJson, weightsH5)");
            }
            KerasVersion version = KerasVersion.parse(h5.stringAttribute(root, "keras_version"));
            JsonNode configJson = KerasArchive.json(config.getBytes(StandardCharsets.UTF_8), what + " (model_config)");
            Model model = KerasArchive.build(configJson, version, size(path), what);
            Group weights = h5.group("model_weights");
            readByName(model, h5, weights == null ? "" : "model_weights");
            String training = h5.stringAttribute(root, "training_config");
            if (training != null) compileIfPossible(model, training, version, what);
            return model;
        }
    }

    /**
     * Loads a model from its JSON config ({@code model.to_json()}) and a weights-only {@code .h5}.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Model load(Path configJson, Path weights) {
        byte[] bytes;
        try {
            if (Files.size(configJson) > 64 << 20) throw new ModelFormatException(configJson + ": too large for a model config");
            bytes = Files.readAllBytes(configJson);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + configJson);
        } catch (IOException e) {
            throw new ModelFormatException(configJson + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode config = KerasArchive.json(bytes, configJson.toString());
        try (Hdf5File h5 = Hdf5File.open(weights)) {
            KerasVersion version = config.has("keras_version") ? KerasVersion.of(config)
                    : KerasVersion.parse(h5.stringAttribute(h5.node("/"), "keras_version"));
            Model model = KerasArchive.build(config, version, size(weights), configJson.toString());
            if (h5.group("layers") != null && h5.stringAttribute(h5.node("/"), "layer_names") == null) {
                KerasArchive.readLayerWeights(model, h5);
            } else {
                readByName(model, h5, h5.group("model_weights") == null ? "" : "model_weights");
            }
            return model;
        }
    }

    /** Loads Keras 2 weights (by layer name) into a built model. */
    static void loadWeights(Model model, Hdf5File h5) {
        readByName(model, h5, h5.group("model_weights") == null ? "" : "model_weights");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new ModelFormatException(p + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads {@code layer_names}, each layer's {@code weight_names}, and sets the model's weights by layer name. */
    static void readByName(Model model, Hdf5File h5, String base) {
        String what = h5.what();
        Node root = base.isEmpty() ? h5.node("/") : h5.node(base);
        List<String> layerNames = h5.stringsAttribute(root, "layer_names");
        if (layerNames == null) {
            throw new ModelFormatException(what + ": no layer_names attribute" + (base.isEmpty() ? "" : " on " + base)
                    + "; not a Keras weights file");
        }
        Map<String, LayerWeights> byName = new LinkedHashMap<>();
        for (String layerName : layerNames) {
            String groupPath = (base.isEmpty() ? "" : base + "/") + layerName;
            Group g = h5.group(groupPath);
            if (g == null) throw new ModelFormatException(what + ": layer_names lists \"" + layerName + "\" but there is no group " + groupPath);
            List<String> weightNames = h5.stringsAttribute(g, "weight_names");
            if (weightNames == null) throw new ModelFormatException(what + ": group " + groupPath + " has no weight_names attribute");
            LayerWeights lw = new LayerWeights();
            for (String wn : weightNames) {
                Node n = h5.node(groupPath + "/" + wn);
                if (!(n instanceof Dataset d)) {
                    throw new ModelFormatException(what + ": weight \"" + wn + "\" of layer \"" + layerName + "\" is missing");
                }
                lw.add(wn, h5.tensor(d));
            }
            byName.put(layerName, lw);
        }
        Map<Layer, LayerWeights> byLayer = new IdentityHashMap<>();
        for (Layer layer : model.layers()) {
            LayerWeights lw = byName.remove(layer.name());
            if (lw != null) byLayer.put(layer, lw);
        }
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, LayerWeights> e : byName.entrySet()) if (e.getValue().size() > 0) extra.add(e.getKey());
        LayerWeights.assign(model, byLayer, extra, what);
    }

    /** Keras 1/2 {@code training_config}: compiled when rnn4j has the loss and optimizer, else left for the user. */
    private static void compileIfPossible(Model model, String training, KerasVersion version, String what) {
        try {
            CompileConfig.apply(model, KerasArchive.json(training.getBytes(StandardCharsets.UTF_8), what), version, what);
        } catch (ModelFormatException e) {
            // Inference does not need it; model.compile(...) before training.
        }
    }
}
