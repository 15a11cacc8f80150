package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a layer config's {@code dtype} for its quantization mode: Keras 3 writes a quantized layer's policy as
 * {@code {"class_name": "QuantizedDTypePolicy", "config": {"mode": "int8", "source_name": "float32"}}} (Keras 3.4
 * and later) or {@code {"config": {"name": "int8_from_float32"}}} (3.3), and a float layer's as {@code "float32"} or
 * {@code {"class_name": "DTypePolicy", "config": {"name": "float32"}}}. rnn4j loads int8 layers; Keras's other modes
 * (int4, float8, gptq) are refused naming the layer.
 *
 * <p>Thread safety: thread-safe: static functions.
 */
final class DtypePolicy {
    private DtypePolicy() {}

    /** {@code "int8"} for an int8-quantized layer, null for a float one; an error for any other quantization mode. */
    static String quantizationMode(LayerConfig c) {
        JsonNode d = c.json().get("dtype");
        if (d == null || d.isNull()) return null;
        String name;
        if (d.isTextual()) {
            name = d.asText();
        } else if (d.isObject()) {
            JsonNode config = d.path("config");
            if (config.path("mode").isTextual()) {
                name = config.path("mode").asText() + "_from_" + config.path("source_name").asText("float32");
            } else {
                name = config.path("name").asText("");
            }
            if (!d.path("class_name").asText("").startsWith("Quantized") && !name.contains("_from_")) return null;
        } else {
            return null;
        }
        int at = name.indexOf("_from_");
        if (at < 0) return null; // a float policy: float32, mixed_float16, ...
        String mode = name.substring(0, at);
        if (!mode.equals("int8")) {
            throw c.error("has dtype policy \"" + name + "\" (quantization mode " + mode + "); rnn4j loads int8-quantized "
                    + "layers only (Keras's int8 scheme)");
        }
        return mode;
    }
}
