package org.rnn4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.rnn4j.models.Model;

/**
 * Builds a model from the {@code config} of a model-level Keras object ({@code Sequential}, {@code Functional}).
 * Registered per class name with {@link ModelConfig#registerModel}.
 *
 * <pre>{@code
 * // a Keras model subclass saved under its own class name, rebuilt here from its config
 * ModelConfig.registerModel("Forecaster", (config, root, version) ->
 *         new Sequential(new LSTM(config.get("units").asInt()).inputShape(12, 1), new Dense(1)));
 * Model m = ModelConfig.fromJson(json);   // {"class_name": "Forecaster", "config": {"units": 32}}
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
@FunctionalInterface
public interface ModelReader {
    /**
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     * @param config  the object's {@code config} (a list of layers for Keras 2.0-2.2 Sequential configs)
     * @param root    the whole serialized object (for Keras 3's {@code build_config})
     */
    Model read(JsonNode config, JsonNode root, KerasVersion version);
}
