package org.rnn4j.layers.pooling;

import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code MaxPooling1D(pool_size=2, strides=pool_size, padding="valid")}: the largest value of each window
 * per channel; the gradient goes to the first maximal step of its window.
 *
 * <pre>{@code model.add(new MaxPooling1D(2)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class MaxPooling1D extends Pooling1D<MaxPooling1D> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public MaxPooling1D(int poolSize, int strides) { super("max_pooling1d", poolSize, strides); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public MaxPooling1D(int poolSize) { this(poolSize, poolSize); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public MaxPooling1D() { this(2); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "MaxPooling1D"; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1), ch = x.shape(2), out = outputLength(steps);
        float[] xd = x.data(), y = new float[batch * out * ch];
        int[] argmax = new int[y.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < out; t++) {
                int start = Math.max(0, windowStart(steps, t)), end = Math.min(steps, windowStart(steps, t) + poolSize);
                for (int c = 0; c < ch; c++) {
                    int best = (b * steps + start) * ch + c;
                    for (int s = start + 1; s < end; s++) {
                        int i = (b * steps + s) * ch + c;
                        if (xd[i] > xd[best]) best = i;
                    }
                    int o = (b * out + t) * ch + c;
                    y[o] = xd[best];
                    argmax[o] = best;
                }
            }
        }
        return new Pass(Tensor.of(y, batch, out, ch), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data(), dx = new float[xd.length];
                for (int o = 0; o < dy.length; o++) dx[argmax[o]] += dy[o];
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** The layer of a Keras {@code MaxPooling1D} config. Thread-safe: builds a new layer from the config. */
    public static MaxPooling1D fromConfig(LayerConfig c) {
        checkFormat(c);
        int[] s = sizes(c);
        return new MaxPooling1D(s[0], s[1]).padding(c.getString("padding", "valid"));
    }
}
