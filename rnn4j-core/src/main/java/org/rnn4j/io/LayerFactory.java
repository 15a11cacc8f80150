package org.rnn4j.io;

import org.rnn4j.layers.Layer;

/**
 * Builds a layer from its Keras config (Keras's {@code Layer.from_config}). Register one per Keras class name in
 * {@link LayerRegistry}.
 *
 * <pre>{@code
 * LayerRegistry.register("Dropout", c -> new Dropout(c.getDouble("rate", Double.NaN, "p")));
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
@FunctionalInterface
public interface LayerFactory {
    /**
     * The layer described by {@code config}, with its layer-specific options set. The registry applies the options
     * every layer shares ({@code name}, {@code trainable}, input shapes) afterwards.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    Layer create(LayerConfig config);
}
