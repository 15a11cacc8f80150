package org.rnn4j.layers.pooling;

import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code GlobalAveragePooling1D(keepdims=False)}: the mean over the time axis; with a timestep mask
 * {@code sum_t m_t x_t / sum_t m_t}, the mean over the valid steps. The mask stops here.
 *
 * <pre>{@code model.add(new GlobalAveragePooling1D()); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class GlobalAveragePooling1D extends GlobalPooling1D<GlobalAveragePooling1D> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public GlobalAveragePooling1D() { super("global_average_pooling1d"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "GlobalAveragePooling1D"; }

    /** Consumes the mask (nothing is passed on). Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1), ch = x.shape(2);
        float[] xd = x.data(), y = new float[batch * ch];
        float[] m = mask == null ? null : mask.data();
        float[] inv = new float[batch];
        for (int b = 0; b < batch; b++) {
            float count = 0;
            for (int t = 0; t < steps; t++) count += m == null ? 1f : m[b * steps + t];
            // Keras divides by the mask's sum as is; a sample with every step masked gives 0/0 there too.
            inv[b] = 1f / count;
            for (int t = 0; t < steps; t++) {
                float w = m == null ? 1f : m[b * steps + t];
                if (w == 0f) continue;
                for (int c = 0; c < ch; c++) y[b * ch + c] += w * xd[(b * steps + t) * ch + c];
            }
            for (int c = 0; c < ch; c++) y[b * ch + c] *= inv[b];
        }
        return new Pass(Tensor.of(y, outShape(batch, ch)), null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data(), dx = new float[xd.length];
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < steps; t++) {
                        float w = (m == null ? 1f : m[b * steps + t]) * inv[b];
                        if (w == 0f) continue;
                        for (int c = 0; c < ch; c++) dx[(b * steps + t) * ch + c] = w * dy[b * ch + c];
                    }
                }
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** The layer of a Keras {@code GlobalAveragePooling1D} config. Thread-safe: builds a new layer from the config. */
    public static GlobalAveragePooling1D fromConfig(LayerConfig c) {
        return GlobalPooling1D.fromConfig(new GlobalAveragePooling1D(), c);
    }
}
