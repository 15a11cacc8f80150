package org.rnn4j.layers.convolutional;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.ConvGeometry;

/**
 * Keras's {@code Conv1DTranspose}: the adjoint of a {@link Conv1D} (the gradient of a convolution with respect to its
 * input), mapping {@code [batch, steps, channels]} to {@code [batch, length, filters]} with Keras's
 * {@code deconv_output_length}: {@code valid} {@code steps*s + max(k_eff - s, 0)}, {@code same} {@code steps*s}
 * ({@code k_eff = (k-1)*d + 1}). Weights: {@code kernel [kernel_size, filters, channels]}, {@code bias [filters]}.
 *
 * <pre>{@code
 * model.add(new Conv1DTranspose(16, 7).padding("same").strides(2).activation("relu"));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Conv1DTranspose extends BaseConv1D<Conv1DTranspose> {

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Conv1DTranspose(int filters, int kernelSize) {
        super("conv1d_transpose", filters, kernelSize);
    }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Conv1DTranspose"; }

    @Override
    protected List<String> allowedPaddings() { return List.of("valid", "same"); }

    @Override
    protected int[] kernelShape(int inChannels) { return new int[] {kernelSize, filters, inChannels}; }

    @Override
    protected int outputLength(int inLength) {
        if (inLength < 0) return inLength;
        int span = (kernelSize - 1) * dilationRate + 1;
        return padding.equals("same") ? inLength * strides : inLength * strides + Math.max(span - strides, 0);
    }

    /** The convolution from the output ({@code filters} channels) back to the input: this layer runs its adjoint. */
    @Override
    protected ConvGeometry geometry(int batch, int inLength, int inChannels) {
        int length = outputLength(inLength);
        int span = (kernelSize - 1) * dilationRate + 1;
        int padLeft = padding.equals("same") ? Math.max((inLength - 1) * strides + span - length, 0) / 2 : 0;
        return new ConvGeometry(batch, length, filters, inLength, inChannels, kernelSize, strides, dilationRate, padLeft, 1);
    }

    @Override
    protected boolean transposed() { return true; }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("output_padding", null);
        putCommonConfig(c);
        return c;
    }

    /**
     * The layer of a Keras {@code Conv1DTranspose} config ({@code output_padding} must be null).
     * Thread-safe: builds a new layer from the config.
     */
    public static Conv1DTranspose fromConfig(LayerConfig c) {
        c.refuseIfSet("output_padding");
        return commonFromConfig(new Conv1DTranspose(c.getInt("filters", -1), single(c, "kernel_size", -1)), c);
    }
}
