package org.rnn4j.layers.pooling;

import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code AveragePooling1D(pool_size=2, strides=pool_size, padding="valid")}: the mean of each window per
 * channel; a {@code same} window at an edge divides by the number of real steps it holds (TensorFlow's
 * {@code avg_pool}), so padding never pulls the mean towards zero.
 *
 * <pre>{@code model.add(new AveragePooling1D(3, 1).padding("same")); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class AveragePooling1D extends Pooling1D<AveragePooling1D> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public AveragePooling1D(int poolSize, int strides) { super("average_pooling1d", poolSize, strides); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public AveragePooling1D(int poolSize) { this(poolSize, poolSize); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public AveragePooling1D() { this(2); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "AveragePooling1D"; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1), ch = x.shape(2), out = outputLength(steps);
        float[] xd = x.data(), y = new float[batch * out * ch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < out; t++) {
                int start = Math.max(0, windowStart(steps, t)), end = Math.min(steps, windowStart(steps, t) + poolSize);
                float inv = 1f / (end - start);
                for (int c = 0; c < ch; c++) {
                    float s = 0;
                    for (int k = start; k < end; k++) s += xd[(b * steps + k) * ch + c];
                    y[(b * out + t) * ch + c] = s * inv;
                }
            }
        }
        return new Pass(Tensor.of(y, batch, out, ch), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data(), dx = new float[xd.length];
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < out; t++) {
                        int start = Math.max(0, windowStart(steps, t)), end = Math.min(steps, windowStart(steps, t) + poolSize);
                        float inv = 1f / (end - start);
                        for (int c = 0; c < ch; c++) {
                            float g = dy[(b * out + t) * ch + c] * inv;
                            for (int k = start; k < end; k++) dx[(b * steps + k) * ch + c] += g;
                        }
                    }
                }
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** The layer of a Keras {@code AveragePooling1D} config. Thread-safe: builds a new layer from the config. */
    public static AveragePooling1D fromConfig(LayerConfig c) {
        checkFormat(c);
        int[] s = sizes(c);
        return new AveragePooling1D(s[0], s[1]).padding(c.getString("padding", "valid"));
    }
}
