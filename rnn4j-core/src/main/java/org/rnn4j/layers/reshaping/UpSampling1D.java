package org.rnn4j.layers.reshaping;

import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code UpSampling1D(size=2)}: repeats each step {@code size} times in place, {@code [x0, x0, x1, x1, ...]}.
 *
 * <pre>{@code model.add(new UpSampling1D(2)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class UpSampling1D extends TimeAxisLayer {
    private final int size;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public UpSampling1D(int size) {
        super("up_sampling1d");
        if (size <= 0) throw new IllegalArgumentException("UpSampling1D size must be positive, got " + size);
        this.size = size;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public UpSampling1D() { this(2); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int size() { return size; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "UpSampling1D"; }

    @Override
    protected int outputLength(int steps) { return steps * size; }

    @Override
    protected int source(int steps, int t) { return t / size; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) { return gather(inputs[0]); }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", size);
        return c;
    }

    /** The layer of a Keras {@code UpSampling1D} config. Thread-safe: builds a new layer from the config. */
    public static UpSampling1D fromConfig(LayerConfig c) { return new UpSampling1D(c.getInt("size", 2)); }
}
