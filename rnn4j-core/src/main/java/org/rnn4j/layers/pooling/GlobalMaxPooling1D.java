package org.rnn4j.layers.pooling;

import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code GlobalMaxPooling1D(keepdims=False)}: the largest value over the time axis per channel (Keras
 * ignores masks here, and so does rnn4j); the gradient goes to the first maximal step.
 *
 * <pre>{@code model.add(new GlobalMaxPooling1D()); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class GlobalMaxPooling1D extends GlobalPooling1D<GlobalMaxPooling1D> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public GlobalMaxPooling1D() { super("global_max_pooling1d"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "GlobalMaxPooling1D"; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1), ch = x.shape(2);
        float[] xd = x.data(), y = new float[batch * ch];
        int[] argmax = new int[batch * ch];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < ch; c++) {
                int best = b * steps * ch + c;
                for (int t = 1; t < steps; t++) {
                    int i = (b * steps + t) * ch + c;
                    if (xd[i] > xd[best]) best = i;
                }
                y[b * ch + c] = xd[best];
                argmax[b * ch + c] = best;
            }
        }
        return new Pass(Tensor.of(y, outShape(batch, ch)), null) {
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

    /** The layer of a Keras {@code GlobalMaxPooling1D} config. Thread-safe: builds a new layer from the config. */
    public static GlobalMaxPooling1D fromConfig(LayerConfig c) {
        return GlobalPooling1D.fromConfig(new GlobalMaxPooling1D(), c);
    }
}
