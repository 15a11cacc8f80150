package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.rnn4j.activations.Activation;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.initializers.Orthogonal;
import org.rnn4j.initializers.VarianceScaling;
import org.rnn4j.layers.Layer;
import org.rnn4j.regularizers.Regularizer;

/**
 * One layer's Keras config being read: typed getters that accept the names of every Keras generation (Keras 1's
 * {@code output_dim}, {@code init}, {@code inner_activation}; Keras 2/3 and TensorFlow.js snake_case), and errors
 * that name the layer.
 *
 * <pre>{@code
 * int units = c.getInt("units", -1, "output_dim");               // required: -1 never returned
 * Activation act = c.activation("activation", "tanh");
 * Initializer k = c.initializer("kernel_initializer", "glorot_uniform", "init");
 * }</pre>
 *
 * <p>Thread safety: thread-confined: a view of one config, used by the load that made it.
 */
public final class LayerConfig {
    private final String className;
    private final ObjectNode config;
    private final KerasVersion version;

    /** Thread-confined: a view of one config, used by one load. */
    public LayerConfig(String className, JsonNode config, KerasVersion version) {
        this.className = className;
        this.config = config != null && config.isObject() ? (ObjectNode) config : JsonNodeFactory.instance.objectNode();
        this.version = version;
    }

    /** Keras's class name, e.g. {@code LSTM}. Thread-confined: a view of one config, used by the load that made it. */
    public String className() { return className; }

    /** The raw config object. Thread-confined: a view of one config, used by the load that made it. */
    public ObjectNode json() { return config; }

    /**
     * Which Keras wrote it (decides e.g. what {@code hard_sigmoid} means).
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public KerasVersion version() { return version; }

    /**
     * The layer's name in the config, or null.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public String name() {
        JsonNode n = config.get("name");
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * An error that names this layer: {@code Layer "lstm" (LSTM): <message>}.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public ModelFormatException error(String message) {
        return new ModelFormatException("Layer \"" + (name() == null ? "?" : name()) + "\" (" + className + "): " + message);
    }

    private String errorPrefix() { return "Layer \"" + (name() == null ? "?" : name()) + "\" (" + className + ")"; }

    /**
     * The first present, non-null value among {@code key} and its aliases, or null.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public JsonNode get(String key, String... aliases) {
        JsonNode v = config.get(key);
        if (v != null && !v.isNull()) return v;
        for (String a : aliases) {
            v = config.get(a);
            if (v != null && !v.isNull()) return v;
        }
        return null;
    }

    /** Thread-confined: a view of one config, used by the load that made it. */
    public boolean has(String key, String... aliases) { return get(key, aliases) != null; }

    /**
     * An integer option; with {@code dflt} = -1 the option is required.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public int getInt(String key, int dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) {
            if (dflt == -1) throw error("missing required option \"" + key + "\"");
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
            throw error("option \"" + key + "\" must be an integer, got " + v);
        }
        // asInt() would wrap 2^32 + 1 around to 1; a size beyond the limit would overflow the shapes built from it.
        long n = v.canConvertToLong() ? v.asLong() : Long.MAX_VALUE;
        if (!key.equals("axis")) LoadLimits.current().checkDimension(errorPrefix(), "option \"" + key + "\" =", Math.abs(n));
        if (n != (int) n) throw error("option \"" + key + "\" must be a 32-bit integer, got " + v);
        return (int) n;
    }

    /**
     * A number option; with {@code dflt} = NaN the option is required.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public double getDouble(String key, double dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) {
            if (Double.isNaN(dflt)) throw error("missing required option \"" + key + "\"");
            return dflt;
        }
        if (!v.isNumber()) throw error("option \"" + key + "\" must be a number, got " + v);
        return v.asDouble();
    }

    /**
     * A boolean option (null or absent gives {@code dflt}).
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public boolean getBool(String key, boolean dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) return dflt;
        if (!v.isBoolean()) throw error("option \"" + key + "\" must be true or false, got " + v);
        return v.asBoolean();
    }

    /** Thread-confined: a view of one config, used by the load that made it. */
    public String getString(String key, String dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) return dflt;
        if (!v.isTextual()) throw error("option \"" + key + "\" must be a string, got " + v);
        return v.asText();
    }

    /**
     * An integer list option ({@code null} entries become -1), or null when absent.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public int[] getShape(String key, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) return null;
        if (!v.isArray()) throw error("option \"" + key + "\" must be a list of integers, got " + v);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode d = v.get(i);
            if (d.isNull()) {
                out[i] = -1;
            } else if (d.isInt() && d.asInt() > 0) {
                LoadLimits.current().checkDimension(errorPrefix(), "option \"" + key + "\" has a dimension", d.asInt());
                out[i] = d.asInt();
            } else {
                throw error("option \"" + key + "\" must hold positive integers or null, got " + v);
            }
        }
        return out;
    }

    /**
     * An activation by its Keras name. {@code hard_sigmoid} is Keras 1/2's (and TensorFlow.js's)
     * {@code clip(0.2x + 0.5, 0, 1)} unless the config comes from Keras 3, whose definition is
     * {@code clip(x/6 + 0.5, 0, 1)}; rnn4j writes the former as {@code hard_sigmoid_keras2} in Keras 3 configs.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public Activation activation(String key, String dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        String name;
        if (v == null) {
            name = dflt;
        } else if (v.isTextual()) {
            name = v.asText();
        } else if (v.isObject() && v.path("config").isTextual()) {
            name = v.path("config").asText(); // Keras 3 {"module": "keras.activations", "config": "tanh", ...}
        } else if (v.isObject() && v.has("class_name")) {
            name = v.path("class_name").asText();
        } else {
            throw error("option \"" + key + "\" must be an activation name, got " + v);
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("hard_sigmoid") && version.major() >= 3) n = "hard_sigmoid_keras3";
        if (n.equals("hard_sigmoid_keras2")) n = "hard_sigmoid";
        try {
            return Activation.get(n);
        } catch (IllegalArgumentException e) {
            throw error("option \"" + key + "\": " + e.getMessage());
        }
    }

    /**
     * An initializer: a string ({@code "glorot_uniform"}, Keras 1's {@code init}) or an object
     * {@code {"class_name": "VarianceScaling", "config": {...}}} as Keras 2, Keras 3 and TensorFlow.js write it.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public Initializer initializer(String key, String dflt, String... aliases) {
        JsonNode v = get(key, aliases);
        try {
            if (v == null) return Initializer.get(dflt);
            if (v.isTextual()) return Initializer.get(kerasOneInitializer(v.asText()));
            if (!v.isObject() || !v.path("class_name").isTextual()) {
                throw error("option \"" + key + "\" must be an initializer name or {\"class_name\", \"config\"}, got " + v);
            }
            return initializerFromConfig(v.get("class_name").asText(), v.path("config"));
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error("option \"" + key + "\": " + e.getMessage());
        }
    }

    private static String kerasOneInitializer(String name) {
        switch (name) {
            case "zero": return "zeros";
            case "one": return "ones";
            case "normal": return "random_normal";
            case "uniform": return "random_uniform";
            default: return name;
        }
    }

    private Initializer initializerFromConfig(String cls, JsonNode c) {
        switch (cls) {
            case "Zeros": case "Zero": case "zeros": return Initializer.zeros();
            case "Ones": case "One": case "ones": return Initializer.ones();
            case "Constant": case "constant": return Initializer.constant((float) num(c, "value", 0));
            case "RandomNormal": case "random_normal":
                return Initializer.randomNormal(num(c, "mean", 0), num(c, "stddev", 0.05));
            case "RandomUniform": case "random_uniform":
                return Initializer.randomUniform(num(c, "minval", -0.05), num(c, "maxval", 0.05));
            case "TruncatedNormal": case "truncated_normal":
                return Initializer.truncatedNormal(num(c, "mean", 0), num(c, "stddev", 0.05));
            case "Orthogonal": case "orthogonal": case "OrthogonalInitializer": return new Orthogonal(num(c, "gain", 1));
            case "Identity": case "identity": case "IdentityInitializer": return new org.rnn4j.initializers.Identity(num(c, "gain", 1));
            case "VarianceScaling": case "variance_scaling": {
                String mode = c.path("mode").asText("fan_in");
                // Keras 2.0 and TensorFlow.js say "normal" for the truncated normal.
                String dist = c.path("distribution").asText("truncated_normal");
                if (dist.equals("normal")) dist = "truncated_normal";
                if (!List.of("fan_in", "fan_out", "fan_avg").contains(mode)) {
                    throw error("VarianceScaling mode must be fan_in, fan_out or fan_avg, got \"" + mode + "\"");
                }
                if (!List.of("uniform", "truncated_normal", "untruncated_normal").contains(dist)) {
                    throw error("VarianceScaling distribution must be uniform, truncated_normal or untruncated_normal, "
                            + "got \"" + dist + "\"");
                }
                return new VarianceScaling(num(c, "scale", 1), mode, dist, "variance_scaling");
            }
            default: {
                // GlorotUniform, HeNormal, LecunUniform, ...: the CamelCase of a snake_case name.
                String snake = cls.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
                return Initializer.get(snake);
            }
        }
    }

    private double num(JsonNode c, String key, double dflt) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber()) throw error("initializer option \"" + key + "\" must be a number, got " + v);
        return v.asDouble();
    }

    /**
     * A regularizer: {@code {"class_name": "L2", "config": {"l2": 0.01}}} (Keras 2/3, TensorFlow.js), a name
     * ({@code "l2"}), or Keras 1's {@code {"name": "WeightRegularizer", "l1": ..., "l2": ...}}; null when absent.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public Regularizer regularizer(String key, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) return null;
        try {
            if (v.isObject() && !v.has("class_name") && (v.has("l1") || v.has("l2"))) {
                return Regularizer.l1l2(v.path("l1").asDouble(0), v.path("l2").asDouble(0)); // Keras 1
            }
            return Regularizer.fromConfig(ModelConfig.mapper().convertValue(v, Object.class));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw error("option \"" + key + "\": " + e.getMessage());
        }
    }

    /**
     * A constraint: {@code {"class_name": "MaxNorm", "config": {...}}} or a name; null when absent.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public Constraint constraint(String key, String... aliases) {
        JsonNode v = get(key, aliases);
        if (v == null) return null;
        try {
            return Constraint.fromConfig(ModelConfig.mapper().convertValue(v, Object.class));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw error("option \"" + key + "\": " + e.getMessage());
        }
    }

    /**
     * Refuses options rnn4j does not implement when they are set (non-null, non-false, non-zero).
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public void refuseIfSet(String... keys) {
        for (String k : keys) {
            JsonNode v = config.get(k);
            if (v == null || v.isNull() || (v.isBoolean() && !v.asBoolean()) || (v.isNumber() && v.asDouble() == 0)) continue;
            throw error("option \"" + k + "\" = " + v + " is not supported by rnn4j");
        }
    }

    /**
     * The config of a nested layer (TimeDistributed's or Bidirectional's {@code layer}), built by the registry.
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public Layer layer(String key) {
        JsonNode v = get(key);
        if (v == null || !v.isObject()) throw error("missing the wrapped layer \"" + key + "\"");
        return LayerRegistry.create(v, version);
    }

    /**
     * Names of the options present (for diagnostics).
     * Thread-confined: a view of one config, used by the load that made it.
     */
    public List<String> keys() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = config.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
