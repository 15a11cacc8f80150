package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;

/**
 * A model's compile settings as Keras writes them: Keras 3's {@code compile_config} ({@code optimizer} as a
 * serialized object, {@code loss}, {@code metrics}), Keras 2's {@code training_config} ({@code optimizer_config}
 * with {@code lr}) and TensorFlow.js's {@code trainingConfig} (camelCase: {@code learningRate}, {@code beta1},
 * {@code meanSquaredError}).
 *
 * <pre>{@code
 * Map<String, Object> cfg = CompileConfig.toJson(model);   // null when not compiled
 * CompileConfig.apply(otherModel, json, KerasVersion.KERAS_3, "model.keras");
 * }</pre>
 *
 * <p>Thread safety: {@code toJson} is thread-safe; {@code apply} compiles the model (configuration: not thread-safe,
 * call before sharing it).
 */
public final class CompileConfig {
    private CompileConfig() {}

    /**
     * Keras 3's {@code compile_config} of a compiled model, or null.
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static Map<String, Object> toJson(Model model) {
        if (!model.isCompiled()) return null;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", OptimizerConfig.serialize(model.optimizer()));
        c.put("loss", model.loss().name());
        c.put("loss_weights", null);
        c.put("metrics", model.metricNames().isEmpty() ? null : new ArrayList<>(model.metricNames()));
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /**
     * Compiles the model as the config says; a setting rnn4j cannot honour is a {@link ModelFormatException}.
     * Not thread-safe: compiles the model (configuration); call before sharing it.
     */
    public static void apply(Model model, JsonNode config, KerasVersion version, String what) {
        if (config == null || config.isNull()) return;
        if (!config.isObject()) throw new ModelFormatException(what + ": compile config is not a JSON object");
        JsonNode opt = config.has("optimizer_config") ? config.get("optimizer_config") : config.get("optimizer");
        if (opt == null || opt.isNull()) throw new ModelFormatException(what + ": compile config has no optimizer");
        Optimizer optimizer;
        try {
            optimizer = OptimizerConfig.fromJson(opt, version);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(what + ": " + e.getMessage(), e);
        }
        JsonNode lossNode = config.get("loss");
        String loss = lossName(lossNode, what);
        List<String> metrics = new ArrayList<>();
        JsonNode ms = config.get("metrics");
        if (ms != null && ms.isObject() && ms.size() == 1) ms = ms.elements().next(); // Keras 2: {"output": [...]}
        if (ms != null && ms.isArray()) {
            for (JsonNode m : ms) {
                if (m.isArray() && m.size() == 1) m = m.get(0);
                String name = m.isTextual() ? m.asText()
                        : m.path("config").path("name").isTextual() ? m.path("config").path("name").asText() : null;
                if (name == null) throw new ModelFormatException(what + ": cannot read metric " + m);
                metrics.add(snake(name));
            }
        }
        try {
            model.compile(Loss.get(loss), optimizer, metrics.toArray(new String[0]));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(what + ": compile config: " + e.getMessage(), e);
        }
    }

    private static String lossName(JsonNode lossNode, String what) {
        if (lossNode == null || lossNode.isNull()) throw new ModelFormatException(what + ": compile config has no loss");
        if (lossNode.isObject() && lossNode.size() == 1 && !lossNode.has("class_name")) lossNode = lossNode.elements().next();
        if (lossNode.isArray() && lossNode.size() == 1) lossNode = lossNode.get(0);
        if (lossNode.isTextual()) return snake(lossNode.asText());
        if (lossNode.isObject() && lossNode.has("class_name")) {
            JsonNode name = lossNode.path("config").path("name");
            return name.isTextual() ? snake(name.asText()) : snake(lossNode.get("class_name").asText());
        }
        throw new ModelFormatException(what + ": cannot read loss " + LayerRegistry.abbreviate(lossNode.toString()));
    }

    /** TensorFlow.js's camelCase names in Keras's snake_case: {@code meanSquaredError} -> {@code mean_squared_error}. */
    static String snake(String name) {
        StringBuilder s = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                if (s.length() > 0) s.append('_');
                s.append(Character.toLowerCase(ch));
            } else {
                s.append(ch);
            }
        }
        return s.toString();
    }
}
