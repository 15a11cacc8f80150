package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The budgets every loader checks before the work they bound, so that a hostile file (or JSON config, or Java
 * object graph read from one) fails fast with a {@link ModelFormatException} naming the limit instead of exhausting
 * memory or time. The defaults fit any real recurrent model; a rare huge one raises a limit with a system property
 * ({@code -Drnn4j.load.maxLayers=200000}) or in code.
 *
 * <pre>{@code
 * LoadLimits.set(LoadLimits.current().withMaxWeightValues(1L << 30));   // a 4 GiB model
 * Model m = Models.load(Path.of("huge.keras"));
 * }</pre>
 *
 * @param maxJsonBytes      bytes of one JSON document ({@code config.json}, {@code model.json}, a spec file)
 * @param maxInflatedBytes  bytes all entries of a {@code .keras} archive inflate to, together
 * @param maxZipEntries     entries of a {@code .keras} archive
 * @param maxLayers         layers of a model config, nested models' layers included
 * @param maxDepth          nesting depth of a JSON config (objects and lists)
 * @param maxNameLength     characters of a layer, weight or class name
 * @param maxDimension      a layer's units (or other size option) and any one dimension of a shape
 * @param maxWeightValues   weight values of a whole model (float32 each)
 *
 * <p>Thread safety: instances are immutable and thread-safe; the process-wide default is read by every load.
 */
public record LoadLimits(long maxJsonBytes, long maxInflatedBytes, int maxZipEntries, int maxLayers, int maxDepth,
                         int maxNameLength, int maxDimension, long maxWeightValues) {
    /** The defaults: 64 MiB JSON, 1.5 GiB archives, 10,000 entries, 100,000 layers, depth 200, 1,024-character names,
     *  dimensions up to 2^24, 2^28 weight values (1 GiB). */
    public static final LoadLimits DEFAULTS = new LoadLimits(64L << 20, 3L << 29, 10_000, 100_000, 200, 1024, 1 << 24, 1L << 28);

    private static volatile LoadLimits current = fromProperties(DEFAULTS);

    public LoadLimits {
        if (maxJsonBytes <= 0 || maxInflatedBytes <= 0 || maxZipEntries <= 0 || maxLayers <= 0 || maxDepth <= 0
                || maxNameLength <= 0 || maxDimension <= 0 || maxWeightValues <= 0) {
            throw new IllegalArgumentException("LoadLimits: every limit must be positive");
        }
    }

    /** The limits loaders use now. Thread-safe: may be called concurrently. */
    public static LoadLimits current() { return current; }

    /** Replaces the limits for every later load in this JVM. Thread-safe: loads already running keep the old ones. */
    public static void set(LoadLimits limits) {
        if (limits == null) throw new IllegalArgumentException("LoadLimits.set: limits must not be null");
        current = limits;
    }

    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxJsonBytes(long v) { return new LoadLimits(v, maxInflatedBytes, maxZipEntries, maxLayers, maxDepth, maxNameLength, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxInflatedBytes(long v) { return new LoadLimits(maxJsonBytes, v, maxZipEntries, maxLayers, maxDepth, maxNameLength, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxZipEntries(int v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, v, maxLayers, maxDepth, maxNameLength, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxLayers(int v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, maxZipEntries, v, maxDepth, maxNameLength, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxDepth(int v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, maxZipEntries, maxLayers, v, maxNameLength, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxNameLength(int v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, maxZipEntries, maxLayers, maxDepth, v, maxDimension, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxDimension(int v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, maxZipEntries, maxLayers, maxDepth, maxNameLength, v, maxWeightValues); }
    /** Thread-safe: no shared mutable state; concurrent calls are independent. */
    public LoadLimits withMaxWeightValues(long v) { return new LoadLimits(maxJsonBytes, maxInflatedBytes, maxZipEntries, maxLayers, maxDepth, maxNameLength, maxDimension, v); }

    /** The defaults overridden by {@code rnn4j.load.<limit>} system properties. */
    static LoadLimits fromProperties(LoadLimits d) {
        return new LoadLimits(prop("maxJsonBytes", d.maxJsonBytes), prop("maxInflatedBytes", d.maxInflatedBytes),
                (int) prop("maxZipEntries", d.maxZipEntries), (int) prop("maxLayers", d.maxLayers),
                (int) prop("maxDepth", d.maxDepth), (int) prop("maxNameLength", d.maxNameLength),
                (int) prop("maxDimension", d.maxDimension), prop("maxWeightValues", d.maxWeightValues));
    }

    private static long prop(String name, long dflt) {
        String v = System.getProperty("rnn4j.load." + name);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0 && (n <= Integer.MAX_VALUE || name.equals("maxJsonBytes") || name.equals("maxInflatedBytes")
                    || name.equals("maxWeightValues"))) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("System property rnn4j.load." + name + " must be a positive integer, got \"" + v + "\"");
    }

    /**
     * The error for a value over a limit: {@code <what>: <thing> <value> is over the limit of <max> (LoadLimits.<limit>;
     * raise it with -Drnn4j.load.<limit>=N or LoadLimits.set(...))}.
     */
    static ModelFormatException exceeded(String what, String thing, long value, long max, String limit) {
        return new ModelFormatException((what == null || what.isEmpty() ? "" : what + ": ") + thing + " " + value
                + " is over the limit of " + max + " (LoadLimits." + limit + "; raise it with -Drnn4j.load." + limit
                + "=N or LoadLimits.set(LoadLimits.current().with" + Character.toUpperCase(limit.charAt(0))
                + limit.substring(1) + "(N)))");
    }

    /**
     * Checks a JSON config against the depth, layer-count and name-length limits in one iterative pass (no recursion:
     * the depth comes from the file). Layers are the entries of every {@code "layers"} list.
     */
    void checkConfig(JsonNode root, String what) {
        if (root == null) return;
        ArrayDeque<JsonNode> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        long layers = 0;
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int depth = depths.pop();
            if (depth > maxDepth) throw exceeded(what, "config nesting depth", depth, maxDepth, "maxDepth");
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String key = e.getKey();
                    JsonNode v = e.getValue();
                    if (key.length() > maxNameLength) {
                        throw exceeded(what, "a config key of length", key.length(), maxNameLength, "maxNameLength");
                    }
                    if ((key.equals("name") || key.equals("class_name") || key.equals("registered_name")) && v.isTextual()
                            && v.asText().length() > maxNameLength) {
                        throw exceeded(what, "a \"" + key + "\" of length", v.asText().length(), maxNameLength, "maxNameLength");
                    }
                    if (key.equals("layers") && v.isArray()) {
                        layers += v.size();
                        if (layers > maxLayers) throw exceeded(what, "a model config with layers numbering at least", layers, maxLayers, "maxLayers");
                    }
                    if (v.isContainerNode()) {
                        nodes.push(v);
                        depths.push(depth + 1);
                    }
                }
            } else if (n.isArray()) {
                for (JsonNode v : n) {
                    if (v.isContainerNode()) {
                        nodes.push(v);
                        depths.push(depth + 1);
                    }
                }
            }
        }
    }

    /** Checks one dimension or size option ({@code units}, a shape entry) read from a config. */
    void checkDimension(String what, String option, long value) {
        if (value > maxDimension) throw exceeded(what, option, value, maxDimension, "maxDimension");
    }
}
