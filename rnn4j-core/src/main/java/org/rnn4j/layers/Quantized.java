package org.rnn4j.layers;

/**
 * The errors of quantized layers, worded once: a quantized layer runs inference only (Keras makes its int8
 * variables non-trainable; rnn4j refuses training outright).
 *
 * <pre>{@code
 * // in a quantized layer's backward pass:
 * throw Quantized.noBackward(this);
 * // Layer "lstm" (LSTM) is quantized to int8 and runs inference only: it has no backward pass. ...
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions.
 */
public final class Quantized {
    private Quantized() {}

    /** The error of a backward pass through a quantized layer. Thread-safe: a pure function. */
    public static IllegalStateException noBackward(Layer layer) {
        return new IllegalStateException("Layer \"" + layer.name() + "\" (" + layer.className() + ") is quantized to int8 and "
                + "runs inference only: it has no backward pass. Train the float model, then quantize it.");
    }
}
