package org.rnn4j.layers;

import java.util.Map;

/**
 * A layer with non-tensor Keras call arguments that change what a call computes (an attention layer's
 * {@code use_causal_mask}, {@code return_attention_scores}). rnn4j keeps them on the layer; saved functional configs
 * carry them in each call's {@code kwargs}, as Keras does.
 *
 * <pre>{@code
 * KerasTensor y = new Attention().useCausalMask(true).apply(h, h);   // saved as kwargs {"use_causal_mask": true}
 * }</pre>
 *
 * <p>Thread safety: call arguments are configuration: apply them before sharing the layer (not thread-safe); reading
 * them is thread-safe.
 */
public interface CallArguments {
    /**
     * The call arguments to write into a node's {@code kwargs} (only those that differ from Keras's defaults).
     * Thread-safe: reads configuration fixed before sharing.
     */
    Map<String, Object> callKwargs();

    /**
     * Applies one call argument read from a saved node; unknown keys are ignored.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    void applyCallKwarg(String key, Object value);
}
