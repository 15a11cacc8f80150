package org.rnn4j.layers;

import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Dropout: in training, zeroes each value with probability {@code rate} and scales the rest by
 * {@code 1 / (1 - rate)} (inverted dropout); at inference, the identity.
 *
 * <pre>{@code
 * model.add(new LSTM(32).inputShape(12, 1));
 * model.add(new Dropout(0.2));   // fit: 20% of the values zeroed, the rest scaled by 1.25; predict: unchanged
 * model.add(new Dense(1));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Dropout extends Layer {
    private final float rate;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Dropout(double rate) {
        super("dropout");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = (float) rate;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public float rate() { return rate; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Dropout"; }

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
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        if (!training || rate == 0f) {
            return new Pass(x, mask) {
                /** Thread-confined: call on the thread that made this pass, once. */
                @Override
                public Tensor[] backward(Tensor[] grads) { return grads.clone(); }
            };
        }
        float[] keep = Rnn4j.draw(r -> dropoutMask(x.size(), rate, r));
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = x.data()[i] * keep[i];
        return new Pass(Tensor.of(y, x.shape()), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dx = new float[y.length];
                float[] dy = grads[0].data();
                for (int i = 0; i < dx.length; i++) dx[i] = dy[i] * keep[i];
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /**
     * A mask of {@code 0} (dropped) or {@code 1/(1-rate)} (kept) values.
     * Thread-safe as far as {@code random} is: give each thread its own.
     */
    public static float[] dropoutMask(int n, float rate, SplittableRandom random) {
        float scale = 1f / (1f - rate);
        float[] m = new float[n];
        for (int i = 0; i < n; i++) m[i] = random.nextDouble() < rate ? 0f : scale;
        return m;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        return c;
    }
}
