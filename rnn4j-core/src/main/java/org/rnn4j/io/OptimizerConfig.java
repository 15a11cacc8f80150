package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.optimizers.Adagrad;
import org.rnn4j.optimizers.Adadelta;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.AdamW;
import org.rnn4j.optimizers.Adamax;
import org.rnn4j.optimizers.Lion;
import org.rnn4j.optimizers.Nadam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.RMSprop;
import org.rnn4j.optimizers.SGD;

/**
 * Keras optimizer configs, both ways. Reads {@code {"class_name": "Adam", "config": {...}}} as Keras 2 and 3 write
 * it ({@code learning_rate}, Keras 2.0's {@code lr}, {@code beta_1}, ...) and TensorFlow.js's camelCase
 * ({@code learningRate}, {@code beta1}, {@code useNesterov}, {@code initialAccumulatorValue}); a bare string
 * ({@code "adam"}) means Keras's defaults. Writes Keras 3's serialized form. {@code weight_decay} is Keras 3's
 * decoupled decay on any optimizer. Options rnn4j does not implement (learning-rate schedules, {@code use_ema},
 * Keras 2's {@code decay}) are refused.
 *
 * <pre>{@code
 * Optimizer opt = OptimizerConfig.fromJson(json.get("optimizer"));
 * Map<String, Object> saved = OptimizerConfig.serialize(opt);
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class OptimizerConfig {
    private OptimizerConfig() {}

    /**
     * The optimizer of a serialized optimizer (object or name), with Keras's update rules.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Optimizer fromJson(JsonNode spec) { return fromJson(spec, KerasVersion.KERAS_3); }

    /**
     * The optimizer of a serialized optimizer written by the given Keras; a TensorFlow.js model's Adam keeps
     * TensorFlow.js's epsilon placement ({@link Adam#epsilonOnCorrectedMoments}), so its training continues as there.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Optimizer fromJson(JsonNode spec, KerasVersion version) {
        Optimizer opt = read(spec);
        if (version.isTfjs() && opt.getClass() == Adam.class) ((Adam) opt).epsilonOnCorrectedMoments(true);
        return opt;
    }

    private static Optimizer read(JsonNode spec) {
        if (spec == null || spec.isNull()) throw new ModelFormatException("Optimizer config is missing");
        if (spec.isTextual()) return Optimizer.get(spec.asText());
        if (!spec.isObject() || !spec.path("class_name").isTextual()) {
            throw new ModelFormatException("Optimizer config must be a name or {\"class_name\", \"config\"}, got "
                    + LayerRegistry.abbreviate(spec.toString()));
        }
        String cls = spec.get("class_name").asText();
        JsonNode c = spec.path("config");
        refuse(cls, c, "decay", "use_ema", "schedule_decay");
        double lr = num(cls, c, 0.001, "learning_rate", "lr", "learningRate");
        Optimizer opt;
        switch (cls) {
            case "SGD": case "sgd":
                opt = new SGD(num(cls, c, 0.01, "learning_rate", "lr", "learningRate"), num(cls, c, 0, "momentum"),
                        bool(cls, c, "nesterov", "useNesterov"));
                break;
            case "Adam": case "adam":
                opt = new Adam(lr, num(cls, c, 0.9, "beta_1", "beta1"), num(cls, c, 0.999, "beta_2", "beta2"),
                        num(cls, c, 1e-7, "epsilon"), bool(cls, c, "amsgrad"));
                break;
            case "RMSprop": case "rmsprop":
                opt = new RMSprop(lr, num(cls, c, 0.9, "rho", "decay_rate"), num(cls, c, 0, "momentum"),
                        num(cls, c, 1e-7, "epsilon"), bool(cls, c, "centered"));
                break;
            case "Adagrad": case "adagrad":
                opt = new Adagrad(lr, num(cls, c, 0.1, "initial_accumulator_value", "initialAccumulatorValue"),
                        num(cls, c, 1e-7, "epsilon"));
                break;
            case "Adamax": case "adamax":
                opt = new Adamax(lr, num(cls, c, 0.9, "beta_1", "beta1"), num(cls, c, 0.999, "beta_2", "beta2"),
                        num(cls, c, 1e-7, "epsilon"));
                break;
            case "Adadelta": case "adadelta":
                opt = new Adadelta(lr, num(cls, c, 0.95, "rho"), num(cls, c, 1e-7, "epsilon"));
                break;
            case "Nadam": case "nadam":
                opt = new Nadam(lr, num(cls, c, 0.9, "beta_1", "beta1"), num(cls, c, 0.999, "beta_2", "beta2"),
                        num(cls, c, 1e-7, "epsilon"));
                break;
            case "AdamW": case "adamw":
                opt = new AdamW(lr, num(cls, c, 0.004, "weight_decay"), num(cls, c, 0.9, "beta_1", "beta1"),
                        num(cls, c, 0.999, "beta_2", "beta2"), num(cls, c, 1e-7, "epsilon"), bool(cls, c, "amsgrad"));
                break;
            case "Lion": case "lion":
                opt = new Lion(lr, num(cls, c, 0.9, "beta_1", "beta1"), num(cls, c, 0.99, "beta_2", "beta2"));
                break;
            default:
                throw new ModelFormatException("Optimizer \"" + cls + "\" is not supported; rnn4j has " + List.of("SGD", "Adam",
                        "RMSprop", "Adagrad", "Adamax", "Adadelta", "Nadam", "AdamW", "Lion"));
        }
        if (has(c, "weight_decay")) {
            double wd = num(cls, c, 0, "weight_decay");
            if (wd < 0) throw new ModelFormatException("Optimizer \"" + cls + "\": weight_decay must be non-negative, got " + wd);
            opt.weightDecay(wd);
        }
        if (has(c, "clipnorm")) opt.setClipNorm(num(cls, c, 0, "clipnorm"));
        if (has(c, "clipvalue")) opt.setClipValue(num(cls, c, 0, "clipvalue"));
        if (has(c, "global_clipnorm")) opt.setGlobalClipNorm(num(cls, c, 0, "global_clipnorm"));
        return opt;
    }

    /**
     * Keras 3's {@code serialize_keras_object} of the optimizer.
     * Thread-safe: reads configuration fixed before sharing; no shared mutable state.
     */
    public static Map<String, Object> serialize(Optimizer optimizer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.optimizers");
        m.put("class_name", optimizer.className());
        m.put("config", optimizer.getConfig());
        m.put("registered_name", null);
        return m;
    }

    private static boolean has(JsonNode c, String key) { return c.has(key) && !c.get(key).isNull(); }

    private static void refuse(String cls, JsonNode c, String... keys) {
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (v == null || v.isNull() || (v.isNumber() && v.asDouble() == 0) || (v.isBoolean() && !v.asBoolean())) continue;
            throw new ModelFormatException("Optimizer \"" + cls + "\": option \"" + k + "\" = " + v + " is not supported by rnn4j");
        }
    }

    private static double num(String cls, JsonNode c, double dflt, String... keys) {
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (v == null || v.isNull()) continue;
            if (!v.isNumber()) {
                throw new ModelFormatException("Optimizer \"" + cls + "\": option \"" + k + "\" must be a number, got "
                        + LayerRegistry.abbreviate(v.toString()) + (v.isObject() ? " (learning-rate schedules are not supported)" : ""));
            }
            return v.asDouble();
        }
        return dflt;
    }

    private static boolean bool(String cls, JsonNode c, String... keys) {
        for (String k : keys) {
            JsonNode v = c.get(k);
            if (v == null || v.isNull()) continue;
            if (!v.isBoolean()) throw new ModelFormatException("Optimizer \"" + cls + "\": option \"" + k + "\" must be true or false, got " + v);
            return v.asBoolean();
        }
        return false;
    }
}
