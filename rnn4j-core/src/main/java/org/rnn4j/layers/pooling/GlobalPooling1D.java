package org.rnn4j.layers.pooling;

import java.util.List;
import java.util.Map;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;

/**
 * What {@link GlobalAveragePooling1D} and {@link GlobalMaxPooling1D} share: a reduction over the time axis of
 * {@code [batch, steps, channels]} to {@code [batch, channels]}, or {@code [batch, 1, channels]} with
 * {@code keepdims}.
 *
 * <pre>{@code
 * model.add(new GlobalAveragePooling1D());             // [batch, steps, channels] -> [batch, channels]
 * model.add(new GlobalMaxPooling1D().keepdims(true));  // -> [batch, 1, channels]
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public abstract class GlobalPooling1D<L extends GlobalPooling1D<L>> extends Layer {
    protected boolean keepdims;

    protected GlobalPooling1D(String prefix) { super(prefix); }

    /**
     * Keras's {@code keepdims}: keep the time axis with length 1.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    @SuppressWarnings("unchecked")
    public L keepdims(boolean k) { keepdims = k; return (L) this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean keepdims() { return keepdims; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=3, found ndim=" + s.length + ". Full shape received: " + Shapes.toString(s));
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return got.length == 3 && got[2] == built[2]; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] in) {
        return keepdims ? new int[] {in[0], 1, in[2]} : new int[] {in[0], in[2]};
    }

    protected int[] outShape(int batch, int ch) { return keepdims ? new int[] {batch, 1, ch} : new int[] {batch, ch}; }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", "channels_last");
        c.put("keepdims", keepdims);
        return c;
    }

    static <L extends GlobalPooling1D<L>> L fromConfig(L layer, LayerConfig c) {
        Pooling1D.checkFormat(c);
        return layer.keepdims(c.getBool("keepdims", false));
    }
}
