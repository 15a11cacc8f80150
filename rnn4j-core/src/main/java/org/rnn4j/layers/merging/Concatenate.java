package org.rnn4j.layers.merging;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Concatenate(axis=-1)}: joins its inputs along one axis; all other axes must agree. Along the
 * feature axis a timestep stays unmasked only when every input keeps it; along the time axis the masks are joined
 * (an unmasked input counts as all ones), as Keras's {@code compute_mask}.
 *
 * <pre>{@code
 * KerasTensor both = new Concatenate().apply(stateH, stateC);     // (None, 3) + (None, 3) -> (None, 6)
 * KerasTensor longer = new Concatenate(1).apply(seqA, seqB);      // along time
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Concatenate extends Layer {
    private final int axis;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Concatenate() { this(-1); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Concatenate(int axis) {
        super("concatenate");
        if (axis == 0) throw new IllegalArgumentException("Concatenate cannot join along the batch axis (axis=0)");
        this.axis = axis;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int axis() { return axis; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Concatenate"; }

    private int axisFor(int rank) {
        int a = axis < 0 ? rank + axis : axis;
        if (a <= 0 || a >= rank) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": axis " + axis + " is out of range for inputs of rank "
                    + rank + " (axis 0 is the batch)");
        }
        return a;
    }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.size() < 2) {
            throw new IllegalArgumentException("A Concatenate layer (\"" + name() + "\") should be called on a list of at least "
                    + "2 inputs, got " + shapes.size());
        }
        int[] first = shapes.get(0);
        int a = axisFor(first.length);
        for (int i = 1; i < shapes.size(); i++) {
            int[] s = shapes.get(i);
            boolean ok = s.length == first.length;
            for (int d = 0; ok && d < s.length; d++) {
                if (d != a && first[d] >= 0 && s[d] >= 0 && first[d] != s[d]) ok = false;
            }
            if (!ok) {
                throw new IllegalArgumentException("A Concatenate layer (\"" + name() + "\") requires inputs with matching "
                        + "shapes except for the concatenation axis " + axis + ". Received: input_shape="
                        + Shapes.toString(first) + " and " + Shapes.toString(s));
            }
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> shapes) {
        validateInputShapes(shapes);
        int[] out = shapes.get(0).clone();
        int a = axisFor(out.length);
        out[a] = 0;
        for (int[] s : shapes) {
            for (int d = 0; d < out.length; d++) if (d != a && out[d] < 0) out[d] = s[d];
            out[a] = out[a] < 0 || s[a] < 0 ? Shapes.NONE : out[a] + s[a];
        }
        return List.of(out);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public Tensor combineInputMasks(Tensor[] inputs, Tensor[] masks) {
        boolean any = false;
        for (Tensor m : masks) any |= m != null;
        if (!any) return null;
        int rank = inputs[0].rank();
        if (rank >= 3 && axisFor(rank) == 1) {
            // Joined along time: the masks join too, an unmasked input counting as all ones.
            int batch = inputs[0].shape(0), total = 0;
            for (Tensor x : inputs) total += x.shape(1);
            float[] out = new float[batch * total];
            int off = 0;
            for (int i = 0; i < inputs.length; i++) {
                int t = inputs[i].shape(1);
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < t; k++) out[b * total + off + k] = masks[i] == null ? 1f : masks[i].data()[b * t + k];
                }
                off += t;
            }
            return Tensor.of(out, batch, total);
        }
        return Merge.and(masks);
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        int rank = inputs[0].rank();
        int a = axisFor(rank);
        int[] outShape = inputs[0].shape();
        int outer = 1;
        for (int d = 0; d < a; d++) outer *= outShape[d];
        // Each input is [outer, block_i] with block_i = its size along the axis times everything after it.
        int[] blocks = new int[inputs.length];
        int total = 0;
        outShape[a] = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            for (int d = 0; d < rank; d++) {
                if (d != a && x.shape(d) != inputs[0].shape(d)) {
                    throw new IllegalArgumentException("A Concatenate layer (\"" + name() + "\") requires inputs with matching "
                            + "shapes except for the concatenation axis " + axis + ". Received: input_shape="
                            + Shapes.toString(inputs[0].shape()) + " and " + Shapes.toString(x.shape()));
                }
            }
            blocks[i] = x.size() / outer;
            total += blocks[i];
            outShape[a] += x.shape(a);
        }
        float[] y = new float[outer * total];
        int off = 0;
        for (int i = 0; i < inputs.length; i++) {
            float[] x = inputs[i].data();
            for (int o = 0; o < outer; o++) System.arraycopy(x, o * blocks[i], y, o * total + off, blocks[i]);
            off += blocks[i];
        }
        final int outerF = outer, totalF = total;
        return new Pass(Tensor.of(y, outShape), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] dIn = new Tensor[inputs.length];
                if (grads[0] == null) return dIn;
                float[] dy = grads[0].data();
                int at = 0;
                for (int i = 0; i < inputs.length; i++) {
                    float[] dx = new float[inputs[i].size()];
                    for (int o = 0; o < outerF; o++) System.arraycopy(dy, o * totalF + at, dx, o * blocks[i], blocks[i]);
                    at += blocks[i];
                    dIn[i] = Tensor.of(dx, inputs[i].shape());
                }
                return dIn;
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
