package org.rnn4j.layers.reshaping;

import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code RepeatVector(n)}: {@code (batch, features)} to {@code (batch, n, features)}, the vector repeated at
 * every step; the classic way to feed an encoder's summary to a decoder at each output timestep.
 *
 * <pre>{@code KerasTensor steps = new RepeatVector(5).apply(encoded);   // (None, 32) -> (None, 5, 32) }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class RepeatVector extends Layer {
    private final int n;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public RepeatVector(int n) {
        super("repeat_vector");
        if (n <= 0) throw new IllegalArgumentException("RepeatVector n must be a positive integer, got " + n);
        this.n = n;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int n() { return n; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "RepeatVector"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 2) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=2, found ndim=" + s.length + ". Full shape received: " + Shapes.toString(s));
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) { return new int[] {in[0], n, in[1]}; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), f = x.shape(1);
        float[] xd = x.data();
        float[] y = new float[batch * n * f];
        for (int b = 0; b < batch; b++) for (int k = 0; k < n; k++) System.arraycopy(xd, b * f, y, (b * n + k) * f, f);
        return new Pass(Tensor.of(y, batch, n, f), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                // Each input value was used n times: its gradient is the sum over the repeats.
                float[] dy = grads[0].data();
                float[] dx = new float[batch * f];
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < n; k++) {
                        int o = (b * n + k) * f;
                        for (int j = 0; j < f; j++) dx[b * f + j] += dy[o + j];
                    }
                }
                return new Tensor[] {Tensor.of(dx, batch, f)};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("n", n);
        return c;
    }
}
