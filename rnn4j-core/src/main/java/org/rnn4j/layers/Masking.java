package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Masking: a timestep is masked when all its features equal {@code maskValue}. The output is
 * {@code x * mask}; the mask goes on to the layers that follow (recurrent layers skip masked steps).
 *
 * <pre>{@code model.add(new Masking(0f).inputShape(10, 3)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Masking extends Layer {
    private final float maskValue;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Masking(float maskValue) {
        super("masking");
        this.maskValue = maskValue;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Masking() { this(0f); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public float maskValue() { return maskValue; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Masking"; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return inputShape.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep (see {@link Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    /** Any number of timesteps (Keras gives this layer no input spec). */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return anyTimesteps(built, got); }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor inMask, boolean training) {
        Tensor x = inputs[0];
        int batch = x.shape(0), steps = x.shape(1);
        int feat = x.size() / (batch * steps);
        float[] m = new float[batch * steps];
        float[] y = new float[x.size()];
        float[] xd = x.data();
        for (int r = 0; r < batch * steps; r++) {
            boolean keep = false;
            for (int j = 0; j < feat; j++) keep |= xd[r * feat + j] != maskValue;
            m[r] = keep ? 1f : 0f;
            if (keep) System.arraycopy(xd, r * feat, y, r * feat, feat);
        }
        return new Pass(Tensor.of(y, x.shape()), Tensor.of(m, batch, steps)) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dy = grads[0].data();
                float[] dx = new float[dy.length];
                for (int r = 0; r < m.length; r++) if (m[r] != 0f) System.arraycopy(dy, r * feat, dx, r * feat, feat);
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("mask_value", maskValue);
        return c;
    }
}
