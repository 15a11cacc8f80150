package org.rnn4j.layers;

import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Dense: {@code y = activation(x·kernel + bias)} on the last axis, so it also applies per timestep.
 * Weights: {@code kernel [input_dim, units]}, {@code bias [units]}.
 *
 * <pre>{@code
 * model.add(new Dense(1));                       // linear
 * model.add(new Dense(3).activation("softmax"));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Dense extends Layer {
    private final int units;
    private Activation activation = Activation.get("linear");
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.get("glorot_uniform");
    private Initializer biasInitializer = Initializer.zeros();
    private Weight kernel;
    private Weight bias;
    /** The int8 kernel and its scale once quantized, else null. */
    private QuantizedWeight quantizedKernel;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Dense(int units) {
        super("dense");
        if (units <= 0) {
            throw new IllegalArgumentException("Dense units must be a positive integer, got " + units);
        }
        this.units = units;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Dense(int units, String activation) {
        this(units);
        activation(activation);
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense activation(String name) { this.activation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense useBias(boolean useBias) { this.useBias = useBias; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelInitializer(Initializer init) { this.kernelInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelInitializer(String init) { return kernelInitializer(Initializer.get(init)); }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense biasInitializer(Initializer init) { this.biasInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense biasInitializer(String init) { return biasInitializer(Initializer.get(init)); }

    /** Keras's {@code kernel_regularizer}. Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelRegularizer(org.rnn4j.regularizers.Regularizer r) { setWeightRegularizer("kernel", r); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelRegularizer(String name) { return kernelRegularizer(org.rnn4j.regularizers.Regularizer.get(name)); }

    /** Keras's {@code bias_regularizer}. Not thread-safe: configuration; set it before sharing the layer. */
    public Dense biasRegularizer(org.rnn4j.regularizers.Regularizer r) { setWeightRegularizer("bias", r); return this; }

    /** Keras's {@code kernel_constraint}. Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelConstraint(org.rnn4j.constraints.Constraint c) { setWeightConstraint("kernel", c); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public Dense kernelConstraint(String name) { return kernelConstraint(org.rnn4j.constraints.Constraint.get(name)); }

    /** Keras's {@code bias_constraint}. Not thread-safe: configuration; set it before sharing the layer. */
    public Dense biasConstraint(org.rnn4j.constraints.Constraint c) { setWeightConstraint("bias", c); return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int units() { return units; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation activation() { return activation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useBias() { return useBias; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Dense"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length < 2 || s[s.length - 1] <= 0) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: expected a shape "
                    + "with at least 2 axes and a known last axis, got " + org.rnn4j.tensor.Shapes.toString(s));
        }
    }

    /** Keras's {@code InputSpec(min_ndim=2, axes={-1: input_dim})}: any rank, the same last axis. */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        return got.length >= 2 && got[got.length - 1] == built[built.length - 1];
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        int[] out = in.clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    protected void createWeights(List<int[]> shapes) {
        int[] in = shapes.get(0);
        int inputDim = in[in.length - 1];
        kernel = addWeight("kernel", new int[] {inputDim, units}, kernelInitializer, true);
        if (useBias) bias = addWeight("bias", new int[] {units}, biasInitializer, true);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep (see {@link Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    /**
     * Keras 3's int8 Dense: {@code kernel} becomes int8 with {@code kernel_scale [units]} (abs-max over the input
     * axis), and every call quantizes its input rows too (abs-max per row), multiplies exactly in int32 and divides
     * by {@code row_scale · kernel_scale} before the bias and activation. Thread-safe: a constant.
     */
    @Override
    public boolean quantizable() { return true; }

    @Override
    protected void quantizeWeights() {
        quantizedKernel = QuantizedWeight.replace(this, kernel, kernel.shape()[0], units);
        kernel = quantizedKernel.values();
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int inputDim = kernel.shape()[0];
        int rows = x.size() / inputDim;
        float[] z = new float[rows * units];
        if (quantizedKernel != null) {
            org.rnn4j.kernels.Int8MatMul.gemmDynamic(rows, x.data(), 0, inputDim, quantizedKernel.matrix(), z, 0, units, false);
        } else {
            MatMul.gemm(false, false, rows, units, inputDim, x.data(), 0, inputDim, kernel.value().data(), 0, units, z, 0,
                    units, false);
        }
        if (bias != null) {
            float[] b = bias.value().data();
            for (int r = 0; r < rows; r++) {
                int o = r * units;
                for (int j = 0; j < units; j++) z[o + j] += b[j];
            }
        }
        float[] y = activation.isLinear() ? z : new float[z.length];
        activation.forward(z, y, rows, units);
        Tensor out = Tensor.of(y, outputShape(x.shape()));
        return new Pass(out, mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (quantizedKernel != null) throw Quantized.noBackward(Dense.this);
                Tensor dy = grads[0];
                if (dy == null) return new Tensor[] {null};
                float[] dz = dy.data();
                if (!activation.isLinear()) {
                    dz = new float[z.length];
                    activation.backward(z, y, dy.data(), dz, rows, units);
                }
                // dKernel += x^T · dz ; dBias += column sums of dz ; dx = dz · kernel^T
                MatMul.gemm(true, false, inputDim, units, rows, x.data(), 0, inputDim, dz, 0, units,
                        kernel.grad().data(), 0, units, true);
                if (bias != null) {
                    float[] db = bias.grad().data();
                    for (int r = 0; r < rows; r++) {
                        int o = r * units;
                        for (int j = 0; j < units; j++) db[j] += dz[o + j];
                    }
                }
                float[] dx = new float[x.size()];
                MatMul.gemm(false, true, rows, inputDim, units, dz, 0, units, kernel.value().data(), 0, units,
                        dx, 0, inputDim, false);
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        c.put("activation", activation.name());
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        putRegularizationConfig(c, "kernel", "bias");
        return c;
    }
}
