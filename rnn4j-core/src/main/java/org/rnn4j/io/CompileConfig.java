package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adagrad;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.RMSprop;
import org.rnn4j.optimizers.SGD;

/**
 * A model's compile settings as Keras writes them: Keras 3's {@code compile_config} ({@code optimizer} as a
 * serialized object, {@code loss}, {@code metrics}), Keras 2's {@code training_config} ({@code optimizer_config}
 * with {@code lr}) and TensorFlow.js's {@code trainingConfig} (camelCase: {@code learningRate}, {@code beta1},
 * {@code meanSquaredError}).
 *
 * <pre>{@code
 * Map<String, Object> cfg = CompileConfig.toJson(model);   // null when not compiled
 * CompileConfig.apply(otherModel, json, "model.keras");
 * }</pre>
 */
public final class CompileConfig {
    private CompileConfig() {}

    /** Keras 3's {@code compile_config} of a compiled model, or null. */
    public static Map<String, Object> toJson(Model model) {
        if (!model.isCompiled()) return null;
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("module", "keras.optimizers");
        opt.put("class_name", model.optimizer().className());
        opt.put("config", model.optimizer().getConfig());
        opt.put("registered_name", null);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", opt);
        c.put("loss", model.loss().name());
        c.put("loss_weights", null);
        c.put("metrics", model.metricNames().isEmpty() ? null : new ArrayList<>(model.metricNames()));
        c.put("weighted_metrics", null);
        c.put("run_eagerly", false);
        c.put("steps_per_execution", 1);
        c.put("jit_compile", false);
        return c;
    }

    /** Compiles the model as the config says; a setting rnn4j cannot honour is a {@link ModelFormatException}. */
    public static void apply(Model model, JsonNode config, String what) {
        if (config == null || config.isNull()) return;
        if (!config.isObject()) throw new ModelFormatException(what + ": compile config is not a JSON object");
        JsonNode opt = config.has("optimizer_config") ? config.get("optimizer_config") : config.get("optimizer");
        Optimizer optimizer = optimizer(opt, what);
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

    /** An optimizer from {@code {"class_name": "Adam", "config": {...}}} (or a bare name). */
    static Optimizer optimizer(JsonNode spec, String what) {
        if (spec == null || spec.isNull()) throw new ModelFormatException(what + ": compile config has no optimizer");
        if (spec.isTextual()) {
            try {
                return Optimizer.get(spec.asText());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(what + ": " + e.getMessage(), e);
            }
        }
        String cls = spec.path("class_name").asText("").toLowerCase(Locale.ROOT);
        JsonNode c = spec.path("config");
        JsonNode lrNode = first(c, "learning_rate", "lr", "learningRate");
        if (lrNode != null && lrNode.isObject()) {
            throw new ModelFormatException(what + ": learning-rate schedules (" + lrNode.path("class_name").asText("?")
                    + ") are not supported; rnn4j reads a constant learning_rate");
        }
        double lr = lrNode == null ? Double.NaN : lrNode.asDouble();
        Optimizer o;
        switch (cls) {
            case "adam" -> o = new Adam(or(lr, 0.001), num(c, 0.9, "beta_1", "beta1"), num(c, 0.999, "beta_2", "beta2"),
                    num(c, 1e-7, "epsilon"), c.path("amsgrad").asBoolean(false));
            case "sgd" -> o = new SGD(or(lr, 0.01), num(c, 0.0, "momentum"), c.path("nesterov").asBoolean(false));
            case "rmsprop" -> o = new RMSprop(or(lr, 0.001), num(c, 0.9, "rho", "decay"), num(c, 0.0, "momentum"),
                    num(c, 1e-7, "epsilon"), c.path("centered").asBoolean(false));
            case "adagrad" -> o = new Adagrad(or(lr, 0.001), num(c, 0.1, "initial_accumulator_value", "initialAccumulatorValue"),
                    num(c, 1e-7, "epsilon"));
            default -> throw new ModelFormatException(what + ": optimizer \"" + spec.path("class_name").asText()
                    + "\" is not supported; rnn4j has " + Optimizer.names());
        }
        JsonNode v;
        if ((v = first(c, "clipnorm")) != null && v.isNumber()) o.setClipNorm(v.asDouble());
        if ((v = first(c, "clipvalue")) != null && v.isNumber()) o.setClipValue(v.asDouble());
        if ((v = first(c, "global_clipnorm")) != null && v.isNumber()) o.setGlobalClipNorm(v.asDouble());
        return o;
    }

    private static double or(double v, double dflt) { return Double.isNaN(v) ? dflt : v; }

    private static double num(JsonNode c, double dflt, String... keys) {
        JsonNode v = first(c, keys);
        return v == null || !v.isNumber() ? dflt : v.asDouble();
    }

    private static JsonNode first(JsonNode c, String... keys) {
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (v != null && !v.isNull()) return v;
        }
        return null;
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
