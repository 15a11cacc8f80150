package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.layers.Layer;

/**
 * Keras class name → {@link LayerFactory}: how rnn4j turns a layer's Keras config into a layer. The built-in
 * layers are registered in {@link KerasLayers}; a new layer type is one line there (or, for an application's own
 * Java layer, one call to {@link #register}).
 *
 * <p>Loading never runs code from a file: {@code Lambda} layers (Python bytecode) and classes nobody registered
 * are refused with a {@link ModelFormatException} naming the layer.
 *
 * <pre>{@code
 * LayerRegistry.register("MyAttention", c -> new MyAttention(c.getInt("units", -1)));
 * Layer lstm = LayerRegistry.create(json, KerasVersion.KERAS_3);   // {"class_name": "LSTM", "config": {...}}
 * }</pre>
 *
 * <p>Thread safety: thread-safe (a concurrent registry); register a name before loading files that use it.
 */
public final class LayerRegistry {
    private static final Map<String, LayerFactory> FACTORIES = new ConcurrentHashMap<>();
    /** Classes that hold code: refused whatever is registered. */
    private static final Set<String> CODE_LAYERS = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda");

    static {
        KerasLayers.registerAll();
    }

    private LayerRegistry() {}

    /**
     * Registers (or replaces) the factory of a Keras class name.
     * Thread-safe: a concurrent registry; register before loading files that use the name.
     */
    public static void register(String className, LayerFactory factory) {
        if (className == null || className.isBlank() || factory == null) {
            throw new IllegalArgumentException("LayerRegistry.register needs a class name and a factory");
        }
        if (CODE_LAYERS.contains(className)) {
            throw new IllegalArgumentException("\"" + className + "\" holds Python code and can never be loaded");
        }
        FACTORIES.put(className, factory);
    }

    /** Thread-safe: reads the concurrent registry; concurrent calls are independent. */
    public static boolean isRegistered(String className) { return FACTORIES.containsKey(className); }

    private static final Map<String, java.util.function.Function<LayerConfig, org.rnn4j.layers.recurrent.ComposedCell>> CELLS =
            new ConcurrentHashMap<>();

    /**
     * Registers (or replaces) the factory of a user cell class ({@code RNN(cell)} with a
     * {@link org.rnn4j.layers.recurrent.ComposedCell}), so files that name it load; the factory reads the cell's
     * config. Thread-safe: may be called concurrently.
     *
     * <pre>{@code
     * LayerRegistry.registerCell("MinimalRNNCell", c -> new MinimalRNNCell(c.getInt("units", -1)));
     * }</pre>
     */
    public static void registerCell(String className,
                                    java.util.function.Function<LayerConfig, org.rnn4j.layers.recurrent.ComposedCell> factory) {
        if (className == null || className.isBlank() || factory == null) {
            throw new IllegalArgumentException("LayerRegistry.registerCell needs a class name and a factory");
        }
        CELLS.put(className, factory);
    }

    /** The registered factory of a user cell class, or null. Thread-safe. */
    static java.util.function.Function<LayerConfig, org.rnn4j.layers.recurrent.ComposedCell> cellFactory(String className) {
        return className == null ? null : CELLS.get(className);
    }

    /** The registered class names, sorted. Thread-safe: reads the concurrent registry; concurrent calls are independent. */
    public static Set<String> classNames() { return new TreeSet<>(FACTORIES.keySet()); }

    /**
     * The layer of a serialized layer object {@code {"class_name": ..., "config": {...}}} (Keras 2, TensorFlow.js)
     * or {@code {"module", "class_name", "config", "registered_name", "build_config"}} (Keras 3).
     * Thread-safe: reads the concurrent registry; concurrent calls are independent.
     */
    public static Layer create(JsonNode spec, KerasVersion version) {
        if (spec == null || !spec.isObject() || !spec.path("class_name").isTextual()) {
            throw new ModelFormatException("A layer entry must be an object with a \"class_name\", got "
                    + abbreviate(String.valueOf(spec)));
        }
        String cls = spec.get("class_name").asText();
        JsonNode registered = spec.get("registered_name");
        // The class that loads is the one the file's class_name names, whatever else the entry claims. Keras 3 marks a
        // custom class with a registered name "MyPackage>MyLayer"; it may pick the factory registered under that name
        // only when it names the same class (so {"class_name": "Lambda", "registered_name": "Dense"} stays a Lambda).
        if (!CODE_LAYERS.contains(cls) && !FACTORIES.containsKey(cls) && registered != null && registered.isTextual()
                && registered.asText().endsWith(">" + cls) && FACTORIES.containsKey(registered.asText())) {
            cls = registered.asText();
        }
        return create(cls, spec.get("config"), version);
    }

    /**
     * The layer of a Keras class name and its config object.
     * Thread-safe: reads the concurrent registry; concurrent calls are independent.
     */
    public static Layer create(String className, JsonNode config, KerasVersion version) {
        LayerConfig c = new LayerConfig(className, config, version);
        if (CODE_LAYERS.contains(className)) {
            throw c.error("holds Python code (a " + className + " layer); rnn4j never runs code from a model file, "
                    + "so it cannot load it. Rebuild the model with built-in layers instead of the " + className + ".");
        }
        LayerFactory f = FACTORIES.get(className);
        if (f == null) {
            throw c.error("unknown layer class \"" + className + "\"; rnn4j can load " + classNames()
                    + ". Custom classes are never loaded from code in the file; register a Java factory with "
                    + "LayerRegistry.register(\"" + className + "\", ...)");
        }
        Layer layer;
        try {
            layer = f.create(c);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw c.error(e.getMessage());
        }
        KerasLayers.commonOptions(layer, c);
        return layer;
    }

    static String abbreviate(String s) { return s.length() > 200 ? s.substring(0, 200) + "..." : s; }
}
