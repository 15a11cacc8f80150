package org.rnn4j.layers.reshaping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Reshape(target_shape)}: each sample to the target shape (batch axis not included), row-major. One
 * dimension may be {@code -1}, inferred from the sample size.
 *
 * <pre>{@code KerasTensor seq = new Reshape(4, 3).apply(flat);   // (None, 12) -> (None, 4, 3) }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Reshape extends Layer {
    private final int[] targetShape;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Reshape(int... targetShape) {
        super("reshape");
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) unknown++;
            else if (d <= 0) throw new IllegalArgumentException("Reshape target_shape dimensions must be positive or -1, got "
                    + java.util.Arrays.toString(targetShape));
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape target_shape can have at most one -1, got " + java.util.Arrays.toString(targetShape));
        }
        this.targetShape = targetShape.clone();
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int[] targetShape() { return targetShape.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Reshape"; }

    /** The sample shape for a sample of {@code size} values ({@code -1} for unknown: the -1 stays unknown). */
    private int[] resolve(long size, int[] inputShape) {
        int[] out = targetShape.clone();
        long known = 1;
        int free = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) free = i;
            else known *= out[i];
        }
        if (size < 0) return out;
        if (free >= 0) {
            if (known == 0 || size % known != 0) throw sizeError(inputShape);
            out[free] = (int) (size / known);
        } else if (known != size) {
            throw sizeError(inputShape);
        }
        return out;
    }

    private IllegalArgumentException sizeError(int[] inputShape) {
        return new IllegalArgumentException("Layer \"" + name() + "\": the total size of the new array must be unchanged, "
                + "input_shape = " + Shapes.toString(Shapes.dropBatch(inputShape)) + ", target_shape = "
                + Shapes.toString(targetShape).replace("None", "-1"));
    }

    private static long sampleSize(int[] s) {
        long n = 1;
        for (int d = 1; d < s.length; d++) {
            if (s[d] < 0) return -1;
            n *= s[d];
        }
        return n;
    }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        resolve(sampleSize(shapes.get(0)), shapes.get(0));
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        return Shapes.withBatch(in[0], resolve(sampleSize(in), in));
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int[] s = x.shape();
        int[] target = Shapes.withBatch(s[0], resolve(sampleSize(s), s));
        return new Pass(x.reshape(target), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                return new Tensor[] {grads[0] == null ? null : grads[0].reshape(s)};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Integer> t = new ArrayList<>();
        for (int d : targetShape) t.add(d);
        c.put("target_shape", t);
        return c;
    }
}
