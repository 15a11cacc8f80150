package org.rnn4j.layers.convolutional;

import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.Conv1d;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * What {@link Conv1D} and {@link Conv1DTranspose} share (Keras's {@code BaseConv}): the options, the
 * {@code kernel}/{@code bias} weights, bias and activation, and a forward/backward through {@link Conv1d}.
 * Inputs are {@code [batch, steps, channels]} (Keras's {@code channels_last}); any number of steps.
 *
 * <pre>{@code
 * model.add(new Conv1D(32, 3).padding("causal").dilationRate(2).activation("relu").inputShape(100, 1));
 * model.add(new Conv1DTranspose(1, 3).strides(2).padding("same"));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public abstract class BaseConv1D<L extends BaseConv1D<L>> extends Layer {
    protected final int filters;
    protected final int kernelSize;
    protected int strides = 1;
    protected String padding = "valid";
    protected int dilationRate = 1;
    protected Activation activation = Activation.get("linear");
    protected boolean useBias = true;
    protected Initializer kernelInitializer = Initializer.get("glorot_uniform");
    protected Initializer biasInitializer = Initializer.zeros();
    protected Weight kernel;
    protected Weight bias;

    protected BaseConv1D(String prefix, int filters, int kernelSize) {
        super(prefix);
        if (filters <= 0) throw new IllegalArgumentException(prefix + ": filters must be a positive integer, got " + filters);
        if (kernelSize <= 0) throw new IllegalArgumentException(prefix + ": kernel_size must be a positive integer, got " + kernelSize);
        this.filters = filters;
        this.kernelSize = kernelSize;
    }

    @SuppressWarnings("unchecked")
    private L self() { return (L) this; }

    /** Keras's {@code strides}. Not thread-safe: configuration; set it before sharing the layer. */
    public L strides(int s) {
        if (s <= 0) throw new IllegalArgumentException("Layer \"" + name() + "\": strides must be positive, got " + s);
        strides = s;
        checkStridesAndDilation();
        return self();
    }

    /** Keras's {@code padding}. Not thread-safe: configuration; set it before sharing the layer. */
    public L padding(String p) {
        if (!allowedPaddings().contains(p)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": padding must be one of " + allowedPaddings()
                    + ", got \"" + p + "\"");
        }
        padding = p;
        return self();
    }

    /** Keras's {@code dilation_rate}. Not thread-safe: configuration; set it before sharing the layer. */
    public L dilationRate(int d) {
        if (d <= 0) throw new IllegalArgumentException("Layer \"" + name() + "\": dilation_rate must be positive, got " + d);
        dilationRate = d;
        checkStridesAndDilation();
        return self();
    }

    private void checkStridesAndDilation() {
        // Keras: "strides > 1 not supported in conjunction with dilation_rate > 1".
        if (strides > 1 && dilationRate > 1) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": strides > 1 not supported in conjunction with "
                    + "dilation_rate > 1. Received: strides=" + strides + " and dilation_rate=" + dilationRate);
        }
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L activation(String a) { activation = Activation.get(a); return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L useBias(boolean b) { useBias = b; return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L kernelInitializer(Initializer i) { kernelInitializer = i; return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L kernelInitializer(String i) { return kernelInitializer(Initializer.get(i)); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L biasInitializer(Initializer i) { biasInitializer = i; return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L kernelRegularizer(Regularizer r) { setWeightRegularizer("kernel", r); return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L biasRegularizer(Regularizer r) { setWeightRegularizer("bias", r); return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L kernelConstraint(Constraint c) { setWeightConstraint("kernel", c); return self(); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public L biasConstraint(Constraint c) { setWeightConstraint("bias", c); return self(); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int filters() { return filters; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int kernelSize() { return kernelSize; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int strides() { return strides; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public String padding() { return padding; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int dilationRate() { return dilationRate; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation activation() { return activation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useBias() { return useBias; }

    /** Thread-safe: the weight object is fixed once built. */
    public Weight kernel() { return kernel; }

    protected abstract List<String> allowedPaddings();

    /** The kernel's shape for this many input channels. */
    protected abstract int[] kernelShape(int inChannels);

    /** Output steps for this many input steps (negative = unknown stays unknown). */
    protected abstract int outputLength(int inLength);

    /** The geometry of the underlying convolution for a batch of this input. */
    protected abstract ConvGeometry geometry(int batch, int inLength, int inChannels);

    /** True when the layer's forward pass is the convolution's adjoint (a transposed convolution). */
    protected abstract boolean transposed();

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3 || s[2] <= 0) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=3 with a known channel axis, found shape " + Shapes.toString(s));
        }
        if (s[1] >= 0 && outputLength(s[1]) <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": an input of " + s[1] + " steps is too short for "
                    + "kernel_size=" + kernelSize + ", dilation_rate=" + dilationRate + " with padding \"" + padding + "\"");
        }
    }

    /** Keras's {@code InputSpec(min_ndim=3, axes={-1: channels})}: any number of steps. */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        return got.length == 3 && got[2] == built[2];
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        return new int[] {in[0], outputLength(in[1]), filters};
    }

    @Override
    protected void createWeights(List<int[]> shapes) {
        kernel = addWeight("kernel", kernelShape(shapes.get(0)[2]), kernelInitializer, true);
        if (useBias) bias = addWeight("bias", new int[] {filters}, biasInitializer, true);
    }

    /** The int8 kernel and its scale once quantized (Conv1D only), else null. */
    private org.rnn4j.layers.QuantizedWeight quantizedKernel;

    /**
     * rnn4j's extension of Keras 3's int8 scheme to Conv1D: {@code kernel} int8 with {@code kernel_scale [filters]},
     * one scale per output channel (abs-max over kernel_size and input channels); activations stay float. A
     * transposed convolution is not quantized. Thread-safe: a constant.
     */
    @Override
    public boolean quantizable() { return !transposed(); }

    @Override
    protected void quantizeWeights() {
        int[] s = kernel.shape();
        quantizedKernel = org.rnn4j.layers.QuantizedWeight.replace(this, kernel, s[0] * s[1], s[2]);
        kernel = quantizedKernel.values();
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        if (quantizedKernel != null && training) throw org.rnn4j.layers.Quantized.noBackward(this);
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1), channels = x.shape(2);
        int outLen = outputLength(steps);
        if (outLen <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": an input of " + steps + " steps is too short for "
                    + "kernel_size=" + kernelSize + ", dilation_rate=" + dilationRate + " with padding \"" + padding + "\"");
        }
        ConvGeometry g = geometry(batch, steps, channels);
        float[] w = kernel.value().data();
        int rows = batch * outLen;
        float[] z = new float[rows * filters];
        if (quantizedKernel != null) Conv1d.forwardInt8(g, x.data(), quantizedKernel.matrix(), z);
        else if (transposed()) Conv1d.backwardData(g, x.data(), w, z);
        else Conv1d.forward(g, x.data(), w, z);
        if (bias != null) {
            float[] b = bias.value().data();
            for (int r = 0; r < rows; r++) for (int o = 0; o < filters; o++) z[r * filters + o] += b[o];
        }
        float[] y = activation.isLinear() ? z : new float[z.length];
        activation.forward(z, y, rows, filters);
        int[] outShape = {batch, outLen, filters};
        return new Pass(Tensor.of(y, outShape), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (quantizedKernel != null) throw org.rnn4j.layers.Quantized.noBackward(BaseConv1D.this);
                if (grads[0] == null) return new Tensor[] {null};
                float[] dz = grads[0].data();
                if (!activation.isLinear()) {
                    dz = new float[z.length];
                    activation.backward(z, y, grads[0].data(), dz, rows, filters);
                }
                if (bias != null) {
                    float[] db = bias.grad().data();
                    for (int r = 0; r < rows; r++) for (int o = 0; o < filters; o++) db[o] += dz[r * filters + o];
                }
                float[] dw = kernel.grad().data();
                if (transposed()) Conv1d.backwardKernel(g, dz, x.data(), dw);
                else Conv1d.backwardKernel(g, x.data(), dz, dw);
                if (!inputGradientsWanted()) return new Tensor[] {null};
                float[] dx = new float[x.size()];
                if (transposed()) Conv1d.forward(g, dz, w, dx);
                else Conv1d.backwardData(g, dz, w, dx);
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", List.of(kernelSize));
        c.put("strides", List.of(strides));
        c.put("padding", padding);
        c.put("data_format", "channels_last");
        c.put("dilation_rate", List.of(dilationRate));
        return c;
    }

    /** Adds the activation, bias, initializer, regularizer and constraint entries (after the layer's own). */
    protected void putCommonConfig(Map<String, Object> c) {
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        putRegularizationConfig(c, "kernel", "bias");
    }

    /** Reads the options every convolution has from a Keras config. */
    protected static <L extends BaseConv1D<L>> L commonFromConfig(L layer, LayerConfig c) {
        String format = c.getString("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw c.error("option \"data_format\" = \"" + format + "\" is not supported by rnn4j (only channels_last)");
        }
        layer.padding(c.getString("padding", "valid"));
        layer.strides(single(c, "strides", 1));
        layer.dilationRate(single(c, "dilation_rate", 1));
        layer.activation(c.activation("activation", "linear").name());
        layer.useBias(c.getBool("use_bias", true));
        layer.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
        layer.biasInitializer(c.initializer("bias_initializer", "zeros"));
        layer.kernelRegularizer(c.regularizer("kernel_regularizer"));
        layer.biasRegularizer(c.regularizer("bias_regularizer"));
        layer.kernelConstraint(c.constraint("kernel_constraint"));
        layer.biasConstraint(c.constraint("bias_constraint"));
        return layer;
    }

    /** A Keras 1-D size option: an integer or a one-element list ({@code kernel_size: [3]}). */
    protected static int single(LayerConfig c, String key, int dflt) {
        com.fasterxml.jackson.databind.JsonNode v = c.get(key);
        if (v == null) {
            if (dflt < 0) throw c.error("missing required option \"" + key + "\"");
            return dflt;
        }
        if (v.isArray() && v.size() == 1) v = v.get(0);
        if (!v.isInt() || v.asInt() <= 0) throw c.error("option \"" + key + "\" must be a positive integer or [integer], got " + v);
        return v.asInt();
    }
}
