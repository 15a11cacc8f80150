package org.rnn4j.layers.convolutional;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.ConvGeometry;

/**
 * Keras's {@code Conv1D}: {@code y[t, o] = act(b[o] + sum_j sum_c xp[t*s + j*d, g*C/groups + c] * kernel[j, c, o])}
 * over {@code [batch, steps, channels]}, where {@code xp} is the input padded as {@code padding} says
 * ({@code valid}: none; {@code same}: TensorFlow's SAME; {@code causal}: {@code d*(k-1)} zeros on the left) and
 * {@code g} the group of filter {@code o}. Weights: {@code kernel [kernel_size, channels / groups, filters]},
 * {@code bias [filters]}. Runs as im2col + GEMM ({@link org.rnn4j.kernels.Conv1d}).
 *
 * <pre>{@code
 * model.add(new Conv1D(64, 3).padding("same").activation("relu").inputShape(500, 1));
 * model.add(new Conv1D(8, 2).padding("causal").dilationRate(4));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Conv1D extends BaseConv1D<Conv1D> {
    private int groups = 1;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Conv1D(int filters, int kernelSize) {
        super("conv1d", filters, kernelSize);
    }

    /**
     * Keras's {@code groups}: input channels and filters split into this many blocks, block g seeing only block g.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public Conv1D groups(int g) {
        if (g <= 0 || filters % g != 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the number of filters must be evenly divisible by "
                    + "the number of groups. Received: groups=" + g + ", filters=" + filters);
        }
        groups = g;
        return this;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int groups() { return groups; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Conv1D"; }

    @Override
    protected List<String> allowedPaddings() { return List.of("valid", "same", "causal"); }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        super.validateInputShapes(shapes);
        int channels = shapes.get(0)[2];
        if (channels % groups != 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": the number of input channels must be evenly "
                    + "divisible by the number of groups. Received groups=" + groups + ", but the input has " + channels
                    + " channels (full input shape is " + org.rnn4j.tensor.Shapes.toString(shapes.get(0)) + ")");
        }
    }

    @Override
    protected int[] kernelShape(int inChannels) { return new int[] {kernelSize, inChannels / groups, filters}; }

    @Override
    protected int outputLength(int inLength) {
        return ConvGeometry.outputLength(padding, inLength, kernelSize, strides, dilationRate);
    }

    @Override
    protected ConvGeometry geometry(int batch, int inLength, int inChannels) {
        return ConvGeometry.of(padding, batch, inLength, inChannels, filters, kernelSize, strides, dilationRate, groups);
    }

    @Override
    protected boolean transposed() { return false; }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("groups", groups);
        putCommonConfig(c);
        return c;
    }

    /** The layer of a Keras {@code Conv1D} config. Thread-safe: builds a new layer from the config. */
    public static Conv1D fromConfig(LayerConfig c) {
        Conv1D layer = new Conv1D(c.getInt("filters", -1), single(c, "kernel_size", -1));
        layer.groups(c.getInt("groups", 1));
        return commonFromConfig(layer, c);
    }
}
