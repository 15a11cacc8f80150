package org.rnn4j.layers.reshaping;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code ZeroPadding1D(padding=(a, b))}: {@code a} zero steps before the sequence and {@code b} after.
 *
 * <pre>{@code model.add(new ZeroPadding1D(2, 1)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class ZeroPadding1D extends TimeAxisLayer {
    private final int before, after;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public ZeroPadding1D(int before, int after) {
        super("zero_padding1d");
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("ZeroPadding1D padding must be non-negative, got (" + before + ", " + after + ")");
        }
        this.before = before;
        this.after = after;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public ZeroPadding1D(int padding) { this(padding, padding); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public ZeroPadding1D() { this(1); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "ZeroPadding1D"; }

    @Override
    protected int outputLength(int steps) { return steps + before + after; }

    @Override
    protected int source(int steps, int t) { return t < before || t >= before + steps ? -1 : t - before; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) { return gather(inputs[0]); }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("padding", List.of(before, after));
        c.put("data_format", "channels_last");
        return c;
    }

    /** The layer of a Keras {@code ZeroPadding1D} config. Thread-safe: builds a new layer from the config. */
    public static ZeroPadding1D fromConfig(LayerConfig c) {
        int[] p = pair(c, "padding", 1);
        return new ZeroPadding1D(p[0], p[1]);
    }
}
