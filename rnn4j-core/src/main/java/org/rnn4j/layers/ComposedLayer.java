package org.rnn4j.layers;

import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.autodiff.WeightFactory;
import org.rnn4j.tensor.Tensor;

/**
 * A custom layer written by composing {@link Var} primitives, as a custom Keras {@code Layer} with {@code build} and
 * {@code call}: it maps the last axis of its input (all other axes are rows, so it works on {@code [batch, features]}
 * and per timestep on {@code [batch, steps, features]}) and gets its gradient from the primitives. For save and
 * load, register a factory under {@link #className()} with {@code LayerRegistry.register} and return the
 * constructor arguments from {@link #getConfig()}.
 *
 * <pre>{@code
 * class Scale extends ComposedLayer {            // y = x * w, one weight per feature
 *     Weight w;
 *     Scale() { super("scale"); }
 *     public String className() { return "Scale"; }
 *     protected void build(WeightFactory f, int inputDim) { w = f.add("w", new int[] {inputDim}, "ones"); }
 *     protected int outputDim(int inputDim) { return inputDim; }
 *     protected Var call(Var x, Params p) { return x.mul(p.of(w)); }
 * }
 * }</pre>
 *
 * <p>Thread safety: a call keeps what it computes in its own graph; {@link #call} must not write fields.
 */
public abstract class ComposedLayer extends Layer {
    protected ComposedLayer(String namePrefix) { super(namePrefix); }

    /** Creates the weights for inputs whose last axis has {@code inputDim} features. Called once. */
    protected abstract void build(WeightFactory weights, int inputDim);

    /** The width of the output's last axis. */
    protected abstract int outputDim(int inputDim);

    /** The computation on {@code x [rows, inputDim]}; returns {@code [rows, outputDim]}. */
    protected abstract Var call(Var x, Params p);

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) {
        int[] out = inputShape.clone();
        out[out.length - 1] = outputDim(inputShape[inputShape.length - 1]);
        return out;
    }

    @Override
    protected void createWeights(java.util.List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length < 2 || s[s.length - 1] <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" needs inputs (batch, ..., features) with known features, got "
                    + org.rnn4j.tensor.Shapes.toString(s));
        }
        build((weightName, shape, init) -> addWeight(weightName, shape, init, true), s[s.length - 1]);
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int cols = x.shape(-1), rows = x.size() / cols;
        Params p = new Params();
        Var in = Var.leaf(x.data(), 0, rows, cols);
        Var out = call(in, p);
        int[] shape = x.shape();
        shape[shape.length - 1] = out.cols;
        if (out.rows != rows) {
            throw new IllegalStateException("Layer \"" + name() + "\" returned " + out.rows + " rows for " + rows + " input rows");
        }
        float[] y = new float[out.value.length];
        for (int i = 0; i < y.length; i++) y[i] = (float) out.value[i];
        return new Pass(Tensor.of(y, shape), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] g = grads[0].data();
                for (int i = 0; i < g.length; i++) out.grad[i] += g[i];
                Var.backwardFrom(java.util.List.of(out));
                p.addGradientsToWeights();
                float[] dx = new float[in.grad.length];
                for (int i = 0; i < dx.length; i++) dx[i] = (float) in.grad[i];
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Passes a timestep mask through unchanged (the layer maps each step on its own). Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }
}
