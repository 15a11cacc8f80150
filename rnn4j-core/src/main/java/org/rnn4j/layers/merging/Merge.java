package org.rnn4j.layers.merging;

import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The base of Keras's elementwise merge layers ({@link Add}, {@link Subtract}, {@link Multiply}, {@link Average}):
 * several inputs of one shape in, one tensor of that shape out. The output mask is the AND of the input masks.
 * Subclasses give the elementwise forward and its backward side by side.
 *
 * <pre>{@code
 * KerasTensor sum = new Add().apply(a, b);           // a and b of one shape
 * KerasTensor mean = new Average().apply(a, b, c);   // any number of inputs; same shape out
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public abstract class Merge extends Layer {
    protected Merge(String namePrefix) { super(namePrefix); }

    /** The fewest inputs the layer takes (Keras: 2). */
    protected int minInputs() { return 2; }

    /** The most inputs the layer takes. */
    protected int maxInputs() { return Integer.MAX_VALUE; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.size() < minInputs() || shapes.size() > maxInputs()) {
            String expected = minInputs() == maxInputs() ? "exactly " + minInputs() : "at least " + minInputs();
            throw new IllegalArgumentException("A merge layer \"" + name() + "\" (" + className() + ") should be called on "
                    + expected + " inputs, got " + shapes.size());
        }
        int[] first = shapes.get(0);
        for (int i = 1; i < shapes.size(); i++) {
            if (!sameShape(first, shapes.get(i))) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" (" + className() + ") needs inputs of one shape: "
                        + "input 0 has shape " + Shapes.toString(first) + ", input " + i + " has shape "
                        + Shapes.toString(shapes.get(i)));
            }
        }
    }

    static boolean sameShape(int[] a, int[] b) {
        if (a.length != b.length) return false;
        for (int d = 0; d < a.length; d++) if (a[d] >= 0 && b[d] >= 0 && a[d] != b[d]) return false;
        return true;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> shapes) {
        validateInputShapes(shapes);
        int[] out = shapes.get(0).clone();
        for (int[] s : shapes) for (int d = 0; d < out.length; d++) if (out[d] < 0) out[d] = s[d];
        return List.of(out);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /**
     * Keras's Merge.compute_mask: a timestep is kept when every masked input keeps it.
     * Thread-safe: a pure function of the configuration.
     */
    @Override
    public Tensor combineInputMasks(Tensor[] inputs, Tensor[] masks) {
        return and(masks);
    }

    static Tensor and(Tensor[] masks) {
        float[] out = null;
        int[] shape = null;
        for (Tensor m : masks) {
            if (m == null) continue;
            if (out == null) {
                out = m.data().clone();
                shape = m.shape();
                continue;
            }
            float[] d = m.data();
            for (int i = 0; i < out.length; i++) if (d[i] == 0f) out[i] = 0f;
        }
        return out == null ? null : Tensor.of(out, shape);
    }

    /** {@code y = op(xs)} elementwise; every array has {@code y.length} values. */
    protected abstract void merge(float[][] xs, float[] y);

    /** Writes {@code dxs[i] = dy · ∂y/∂xs[i]} given the forward's inputs and output. */
    protected abstract void mergeBackward(float[][] xs, float[] y, float[] dy, float[][] dxs);

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        int[] shape = inputs[0].shape();
        float[][] xs = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].sameShape(inputs[0])) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" (" + className() + ") needs inputs of one shape: "
                        + "input 0 has shape " + Shapes.toString(shape) + ", input " + i + " has shape "
                        + Shapes.toString(inputs[i].shape()));
            }
            xs[i] = inputs[i].data();
        }
        float[] y = new float[xs[0].length];
        merge(xs, y);
        return new Pass(Tensor.of(y, shape), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] dIn = new Tensor[xs.length];
                if (grads[0] == null) return dIn;
                float[][] dxs = new float[xs.length][y.length];
                mergeBackward(xs, y, grads[0].data(), dxs);
                for (int i = 0; i < dIn.length; i++) dIn[i] = Tensor.of(dxs[i], shape);
                return dIn;
            }
        };
    }
}
