package org.rnn4j.layers.reshaping;

import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Flatten}: {@code (batch, d1, d2, ...)} to {@code (batch, d1·d2·...)}; row-major, so the values keep
 * their order. A {@code (batch,)} input becomes {@code (batch, 1)}.
 *
 * <pre>{@code KerasTensor flat = new Flatten().apply(sequence);   // (None, 4, 3) -> (None, 12) }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Flatten extends Layer {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Flatten() { super("flatten"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Flatten"; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        int n = 1;
        for (int d = 1; d < in.length; d++) n = in[d] < 0 || n < 0 ? Shapes.NONE : n * in[d];
        return new int[] {in[0], n};
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int[] s = x.shape();
        return new Pass(x.reshape(s[0], s[0] == 0 ? 0 : x.size() / s[0]), null) {
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
        c.put("data_format", "channels_last");
        return c;
    }
}
