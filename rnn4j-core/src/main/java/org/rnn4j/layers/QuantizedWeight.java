package org.rnn4j.layers;

import org.rnn4j.kernels.QuantizedMatrix;
import org.rnn4j.tensor.Tensor;

/**
 * A quantized kernel: its int8 {@link Weight} (Keras's {@code kernel} with dtype int8, values in [-127, 127]) and
 * its float {@code <name>_scale} weight, one scale per output channel (Keras's {@code kernel_scale}), with the
 * {@link QuantizedMatrix} the int8 kernels read, made again whenever either weight's {@link Weight#version} moves
 * (a {@code setWeights} or a load).
 *
 * <pre>{@code
 * QuantizedWeight q = QuantizedWeight.replace(this, kernel, inputDim, units);   // in a layer's quantizeWeights()
 * Int8MatMul.gemm(rows, x, 0, inputDim, q.matrix(), y, 0, units, false);
 * }</pre>
 *
 * <p>Thread safety: thread-safe to read from concurrent inference calls (which hold the model's read stamp, so the
 * weights do not change under them); a stale matrix is replaced by an equal one if two calls race to make it.
 */
public final class QuantizedWeight {
    private final Weight values;
    private final Weight scale;
    private final int rows, cols;
    private volatile Made made;

    private record Made(int valuesVersion, int scaleVersion, QuantizedMatrix matrix) {}

    private QuantizedWeight(Weight values, Weight scale, int rows, int cols) {
        this.values = values;
        this.scale = scale;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Quantizes the float weight {@code w}, seen as a matrix {@code [rows, cols]} with the output channels as
     * columns (Keras's {@code abs_max_quantize(w, axis=0)}), puts the int8 weight in its place in {@code owner}'s
     * weight list and appends the scale weight {@code <name>_scale [cols]}. Neither is trainable.
     * Not thread-safe: called by the owner's quantizeWeights, while no call of the layer runs.
     */
    public static QuantizedWeight replace(Layer owner, Weight w, int rows, int cols) {
        QuantizedMatrix m = QuantizedMatrix.quantize(w.value().data(), rows, cols);
        Weight values = Weight.int8(w.name(), w.path(), Tensor.of(m.valuesAsFloats(), w.shape()));
        Weight scale = new Weight(w.name() + "_scale", w.path() + "_scale", Tensor.of(m.scales(), cols), false);
        owner.replaceWeight(w, values);
        owner.appendWeight(scale);
        QuantizedWeight q = new QuantizedWeight(values, scale, rows, cols);
        q.made = new Made(values.version(), scale.version(), m);
        return q;
    }

    /** The int8 weight. Thread-safe: fixed. */
    public Weight values() { return values; }

    /** The scale weight {@code [cols]}. Thread-safe: fixed. */
    public Weight scale() { return scale; }

    /**
     * The int8 matrix of the current weights. Thread-safe: see the class comment (callers hold the model's read stamp).
     * @throws IllegalArgumentException when a scale set through setWeights is not a positive finite number
     */
    public QuantizedMatrix matrix() {
        Made m = made;
        int v = values.version(), s = scale.version();
        if (m == null || m.valuesVersion != v || m.scaleVersion != s) {
            try {
                m = new Made(v, s, QuantizedMatrix.of(values.value().data(), scale.value().data(), rows, cols));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Weights \"" + values.path() + "\" and \"" + scale.path() + "\": "
                        + e.getMessage(), e);
            }
            made = m;
        }
        return m.matrix;
    }
}
