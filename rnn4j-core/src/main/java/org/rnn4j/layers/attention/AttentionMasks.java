package org.rnn4j.layers.attention;

import org.rnn4j.tensor.Tensor;

/**
 * How an attention layer receives the Keras masks of several inputs through the one mask a layer call takes: packed
 * as {@code [batch, n + T_0 + ... + T_(n-1)]}, first one presence flag per input, then each input's timestep mask
 * (ones where absent). {@link #pack} is the layer's {@code combineInputMasks}; {@link #unpack} gives them back in
 * {@code forward}. Thread-safe: pure functions.
 */
final class AttentionMasks {
    private AttentionMasks() {}

    /** The first {@code n} inputs' masks packed; null when none of them has one. */
    static Tensor pack(Tensor[] inputs, Tensor[] masks, int n) {
        boolean any = false;
        for (int i = 0; i < n && i < masks.length; i++) any |= masks[i] != null;
        if (!any) return null;
        int batch = inputs[0].shape(0), width = n;
        for (int i = 0; i < n; i++) width += inputs[i].shape(1);
        float[] p = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            int o = b * width + n;
            for (int i = 0; i < n; i++) {
                Tensor m = i < masks.length ? masks[i] : null;
                int t = inputs[i].shape(1);
                p[b * width + i] = m == null ? 0f : 1f;
                for (int s = 0; s < t; s++) p[o + s] = m == null ? 1f : m.data()[b * t + s];
                o += t;
            }
        }
        return Tensor.of(p, batch, width);
    }

    /** Each input's mask {@code [batch * T_i]} from a packed tensor, null where the input had none. */
    static float[][] unpack(Tensor packed, int batch, int... lengths) {
        int n = lengths.length;
        float[][] out = new float[n][];
        if (packed == null) return out;
        int width = n;
        for (int t : lengths) width += t;
        float[] p = packed.data();
        if (packed.size() != batch * width) {
            throw new IllegalArgumentException("attention masks of " + packed.size() + " values do not fit a batch of " + batch
                    + " with " + java.util.Arrays.toString(lengths) + " steps");
        }
        int off = n;
        for (int i = 0; i < n; i++) {
            if (p[i] != 0f) {
                out[i] = new float[batch * lengths[i]];
                for (int b = 0; b < batch; b++) System.arraycopy(p, b * width + off, out[i], b * lengths[i], lengths[i]);
            }
            off += lengths[i];
        }
        return out;
    }
}
