package org.rnn4j.models;

import java.util.List;
import java.util.Set;
import org.rnn4j.layers.Layer;

/**
 * {@code Model.quantize(mode)}: Keras 3's {@code model.quantize("int8")} over a model's layers. Every layer that
 * holds kernels is quantized: Dense and Embedding with Keras's scheme, LSTM, GRU, SimpleRNN and Conv1D with rnn4j's
 * extension of it (also inside TimeDistributed and Bidirectional). Layers without weights, and the normalization
 * layers (a scale and an offset per feature, no kernel: Keras leaves them float too), stay as they are. Any other
 * layer with weights makes the whole call fail before anything changes, naming the layer.
 *
 * <p>Thread safety: not thread-safe on its own; {@link Model#quantize} runs it under the model's write stamp.
 */
final class Quantizer {
    /** Layers Keras does not quantize either: no kernel, only per-feature vectors. */
    private static final Set<String> KEPT_FLOAT = Set.of("BatchNormalization", "LayerNormalization");

    private Quantizer() {}

    static void quantize(Model model, String mode) {
        Layer.checkQuantizationMode(mode);
        if (!model.isBuilt()) {
            throw new IllegalStateException("Cannot quantize model \"" + model.name() + "\": it is not built yet; give the first "
                    + "layer an input shape or call predict() once first");
        }
        List<Layer> layers = model.layers();
        boolean any = false;
        for (Layer l : layers) {
            if (l.quantizationMode() != null) {
                throw new IllegalStateException("Layer \"" + l.name() + "\" of model \"" + model.name() + "\" is already "
                        + "quantized with dtype_policy='int8_from_float32'. Received: mode=" + mode);
            }
            if (l.weights().isEmpty() || KEPT_FLOAT.contains(l.className())) continue;
            if (!l.quantizable()) {
                throw new IllegalArgumentException("Cannot quantize model \"" + model.name() + "\" to " + mode + ": layer \""
                        + l.name() + "\" (" + l.className() + ") holds weights rnn4j cannot quantize; rnn4j quantizes "
                        + "Dense, Embedding, LSTM, GRU, SimpleRNN and Conv1D layers (also inside TimeDistributed and "
                        + "Bidirectional) and leaves weight-free and normalization layers float");
            }
            any = true;
        }
        if (!any) throw new IllegalArgumentException("No quantizable layers were found in model \"" + model.name() + "\".");
        for (Layer l : layers) {
            if (!l.weights().isEmpty() && l.quantizable()) l.quantize(mode);
        }
    }

    /** True when any layer holds int8 weights. */
    static boolean isQuantized(Model model) {
        for (Layer l : model.layers()) if (l.quantizationMode() != null) return true;
        return false;
    }
}
