package org.rnn4j.layers.pooling;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.ConvGeometry;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;

/**
 * What {@link MaxPooling1D} and {@link AveragePooling1D} share (Keras's {@code BasePooling}): windows of
 * {@code pool_size} steps every {@code strides} steps over {@code [batch, steps, channels]}; {@code valid} keeps
 * whole windows, {@code same} pads as TensorFlow's SAME ({@code ceil(steps / strides)} windows) and padded steps
 * never count.
 *
 * <pre>{@code
 * model.add(new MaxPooling1D(2));                         // windows of 2 every 2 steps: half the steps
 * model.add(new AveragePooling1D(3, 1).padding("same"));  // windows of 3 every step: as many steps as in
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public abstract class Pooling1D<L extends Pooling1D<L>> extends Layer {
    protected final int poolSize;
    protected int strides;
    protected String padding = "valid";

    protected Pooling1D(String prefix, int poolSize, int strides) {
        super(prefix);
        if (poolSize <= 0) throw new IllegalArgumentException(prefix + ": pool_size must be positive, got " + poolSize);
        if (strides <= 0) throw new IllegalArgumentException(prefix + ": strides must be positive, got " + strides);
        this.poolSize = poolSize;
        this.strides = strides;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    @SuppressWarnings("unchecked")
    public L padding(String p) {
        if (!p.equals("valid") && !p.equals("same")) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": padding must be valid or same, got \"" + p + "\"");
        }
        padding = p;
        return (L) this;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int poolSize() { return poolSize; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int strides() { return strides; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public String padding() { return padding; }

    protected int outputLength(int steps) { return ConvGeometry.outputLength(padding, steps, poolSize, strides, 1); }

    /** The first input step of window {@code t} (may be negative under {@code same}). */
    protected int windowStart(int steps, int t) { return t * strides - ConvGeometry.padLeft(padding, steps, poolSize, strides, 1); }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=3, found ndim=" + s.length + ". Full shape received: " + Shapes.toString(s));
        }
        if (s[1] >= 0 && outputLength(s[1]) <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": an input of " + s[1] + " steps is shorter than "
                    + "pool_size=" + poolSize + " with padding \"valid\"");
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return got.length == 3 && got[2] == built[2]; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) { return new int[] {in[0], outputLength(in[1]), in[2]}; }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("pool_size", List.of(poolSize));
        c.put("padding", padding);
        c.put("strides", List.of(strides));
        c.put("data_format", "channels_last");
        return c;
    }

    /** {@code pool_size} (default 2), {@code strides} (default pool_size), {@code padding}. */
    static int[] sizes(LayerConfig c) {
        int pool = single(c, "pool_size", 2);
        return new int[] {pool, single(c, "strides", pool)};
    }

    static int single(LayerConfig c, String key, int dflt) {
        com.fasterxml.jackson.databind.JsonNode v = c.get(key);
        if (v == null) return dflt;
        if (v.isArray() && v.size() == 1) v = v.get(0);
        if (!v.isInt() || v.asInt() <= 0) throw c.error("option \"" + key + "\" must be a positive integer or [integer], got " + v);
        return v.asInt();
    }

    static void checkFormat(LayerConfig c) {
        String format = c.getString("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw c.error("option \"data_format\" = \"" + format + "\" is not supported by rnn4j (only channels_last)");
        }
    }
}
