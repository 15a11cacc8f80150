package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which Keras wrote a config: {@code keras_version} ("1.2.2", "2.0.8", "3.3.3") or TensorFlow.js
 * ("tfjs-layers 4.22.0", Keras 2 semantics). Options whose meaning changed between versions
 * ({@code hard_sigmoid}) are read by it.
 *
 * <pre>{@code KerasVersion v = KerasVersion.parse("2.1.3"); v.major(); // 2 }</pre>
 *
 * <p>Thread safety: immutable, thread-safe.
 */
public record KerasVersion(int major, String text) {
    /** Keras 2 semantics, for configs that do not say. */
    public static final KerasVersion KERAS_2 = new KerasVersion(2, "2");
    public static final KerasVersion KERAS_3 = new KerasVersion(3, "3");

    /**
     * True for configs written by TensorFlow.js ({@code "tfjs-layers 4.22.0"}), whose Adam differs from Keras's.
     * Thread-safe: an immutable value.
     */
    public boolean isTfjs() { return text.startsWith("tfjs"); }

    /** Parses a {@code keras_version} string; TensorFlow.js counts as Keras 2. Thread-safe: returns an immutable value. */
    public static KerasVersion parse(String text) {
        if (text == null || text.isBlank()) return KERAS_2;
        String t = text.trim();
        if (t.startsWith("tfjs")) return new KerasVersion(2, t);
        int dot = t.indexOf('.');
        try {
            return new KerasVersion(Integer.parseInt(dot < 0 ? t : t.substring(0, dot)), t);
        } catch (NumberFormatException e) {
            return new KerasVersion(2, t);
        }
    }

    /**
     * From a whole config: its {@code keras_version}, else Keras 3 when objects carry a {@code module}.
     * Thread-safe: returns an immutable value.
     */
    public static KerasVersion of(JsonNode root) {
        JsonNode v = root.get("keras_version");
        if (v != null && v.isTextual()) return parse(v.asText());
        return root.has("module") ? KERAS_3 : KERAS_2;
    }
}
