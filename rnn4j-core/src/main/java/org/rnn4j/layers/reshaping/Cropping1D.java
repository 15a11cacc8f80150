package org.rnn4j.layers.reshaping;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Cropping1D(cropping=(a, b))}: drops {@code a} steps at the start and {@code b} at the end.
 *
 * <pre>{@code model.add(new Cropping1D(1, 0)); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Cropping1D extends TimeAxisLayer {
    private final int start, end;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Cropping1D(int start, int end) {
        super("cropping1d");
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("Cropping1D cropping must be non-negative, got (" + start + ", " + end + ")");
        }
        this.start = start;
        this.end = end;
    }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Cropping1D(int cropping) { this(cropping, cropping); }

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Cropping1D() { this(1); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Cropping1D"; }

    @Override
    protected int outputLength(int steps) { return steps - start - end; }

    @Override
    protected int source(int steps, int t) { return t + start; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) { return gather(inputs[0]); }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("cropping", List.of(start, end));
        return c;
    }

    /** The layer of a Keras {@code Cropping1D} config. Thread-safe: builds a new layer from the config. */
    public static Cropping1D fromConfig(LayerConfig c) {
        int[] p = pair(c, "cropping", 1);
        return new Cropping1D(p[0], p[1]);
    }
}
