package org.rnn4j.layers.reshaping;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Permute(dims)}: reorders the axes of each sample; {@code dims} numbers the non-batch axes from 1,
 * so {@code Permute(2, 1)} swaps time and features.
 *
 * <pre>{@code KerasTensor t = new Permute(2, 1).apply(seq);   // (None, 4, 3) -> (None, 3, 4) }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Permute extends Layer {
    private final int[] dims;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Permute(int... dims) {
        super("permute");
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw new IllegalArgumentException("Invalid permutation argument dims=" + Arrays.toString(dims)
                        + " for Permute: dims must be a permutation of 1.." + dims.length + " (axis 0 is the batch)");
            }
        }
        this.dims = dims.clone();
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int[] dims() { return dims.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Permute"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != dims.length + 1) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=" + (dims.length + 1) + " for dims=" + Arrays.toString(dims) + ", found ndim=" + s.length
                    + ". Full shape received: " + Shapes.toString(s));
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        int[] out = new int[in.length];
        out[0] = in[0];
        for (int i = 0; i < dims.length; i++) out[i + 1] = in[dims[i]];
        return out;
    }

    /** For each output position (row-major), the input position it reads. */
    private static int[] gatherIndex(int[] inShape, int[] perm) {
        int rank = inShape.length;
        int[] inStrides = new int[rank];
        inStrides[rank - 1] = 1;
        for (int d = rank - 2; d >= 0; d--) inStrides[d] = inStrides[d + 1] * inShape[d + 1];
        int[] outShape = new int[rank];
        int[] strides = new int[rank]; // input stride of each output axis
        for (int d = 0; d < rank; d++) {
            outShape[d] = inShape[perm[d]];
            strides[d] = inStrides[perm[d]];
        }
        int size = 1;
        for (int d : inShape) size *= d;
        int[] idx = new int[size];
        int[] counter = new int[rank];
        int src = 0;
        for (int o = 0; o < size; o++) {
            idx[o] = src;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                src += strides[d];
                if (counter[d] < outShape[d]) break;
                src -= strides[d] * outShape[d];
                counter[d] = 0;
            }
        }
        return idx;
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int[] s = x.shape();
        int[] perm = new int[s.length];
        for (int i = 0; i < dims.length; i++) perm[i + 1] = dims[i];
        int[] idx = gatherIndex(s, perm);
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int o = 0; o < y.length; o++) y[o] = xd[idx[o]];
        return new Pass(Tensor.of(y, outputShape(s)), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data();
                float[] dx = new float[dy.length];
                for (int o = 0; o < dy.length; o++) dx[idx[o]] = dy[o];
                return new Tensor[] {Tensor.of(dx, s)};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Integer> d = new ArrayList<>();
        for (int v : dims) d.add(v);
        c.put("dims", d);
        return c;
    }
}
