package org.rnn4j.layers;

import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's TimeDistributed: applies the inner layer to every timestep of a {@code [batch, timesteps, ...]} input,
 * by folding time into the batch. Its weights are the inner layer's.
 *
 * <pre>{@code model.add(new TimeDistributed(new Dense(1))); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class TimeDistributed extends Layer {
    private final Layer layer;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public TimeDistributed(Layer layer) {
        super("time_distributed");
        if (layer == null) throw new IllegalArgumentException("TimeDistributed needs a layer, got null");
        this.layer = layer;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Layer layer() { return layer; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "TimeDistributed"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.get(0).length < 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: TimeDistributed "
                    + "expects a shape (batch, timesteps, ...) with at least 3 axes, got " + Shapes.toString(shapes.get(0)));
        }
    }

    private static int[] inner(int[] s) {
        int[] r = new int[s.length - 1];
        r[0] = Shapes.NONE;
        System.arraycopy(s, 2, r, 1, s.length - 2);
        return r;
    }

    /** Any number of timesteps, as Keras 3's wrapper; the rest as the inner layer accepts it. */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        return got.length == built.length && got.length >= 3 && layer.acceptsShape(index, inner(built), inner(got));
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        int[] innerOut = layer.outputShape(inner(in));
        int[] out = new int[innerOut.length + 1];
        out[0] = in[0];
        out[1] = in[1];
        System.arraycopy(innerOut, 1, out, 2, innerOut.length - 1);
        return out;
    }

    @Override
    protected void createWeights(List<int[]> shapes) {
        layer.build(inner(shapes.get(0)));
        addWeights(layer.weights());
    }

    /** Quantizes the wrapped layer (as Keras quantizes the innermost layers). Thread-safe: a constant. */
    @Override
    public boolean quantizable() { return layer.quantizable(); }

    @Override
    protected void quantizeWeights() {
        if (layer.quantizationMode() == null) layer.quantize(INT8);
        replaceWeights(layer.weights());
    }

    /** The wrapped layer's config carries the quantized dtype policy, not the wrapper's. Thread-safe: a constant. */
    @Override
    protected boolean ownsQuantizedWeights() { return false; }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep when the wrapped layer is (it sees each timestep alone). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int[] s = x.shape();
        int[] folded = new int[s.length - 1];
        folded[0] = s[0] * s[1];
        System.arraycopy(s, 2, folded, 1, s.length - 2);
        Pass inner = layer.call(x.reshape(folded), null, training);
        Tensor y = inner.output();
        int[] ys = y.shape();
        int[] outShape = new int[ys.length + 1];
        outShape[0] = s[0];
        outShape[1] = s[1];
        System.arraycopy(ys, 1, outShape, 2, ys.length - 1);
        return new Pass(y.reshape(outShape), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                Tensor dx = inner.backward(new Tensor[] {grads[0].reshape(ys)})[0];
                return new Tensor[] {dx == null ? null : dx.reshape(s)};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        // Keras 3's serialize_keras_object of the wrapped layer.
        Map<String, Object> inner = new java.util.LinkedHashMap<>();
        inner.put("module", "keras.layers");
        inner.put("class_name", layer.className());
        inner.put("config", layer.getConfig());
        inner.put("registered_name", null);
        c.put("layer", inner);
        return c;
    }
}
