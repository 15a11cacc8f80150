package org.rnn4j.layers.reshaping;

import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Shapes;

/**
 * A layer that only moves steps along the time axis of {@code [batch, steps, channels]} ({@link ZeroPadding1D},
 * {@link Cropping1D}, {@link UpSampling1D}): each output step is a copy of one input step or zero.
 */
abstract class TimeAxisLayer extends Layer {
    protected TimeAxisLayer(String prefix) { super(prefix); }

    /** Output steps for this many input steps (unknown stays unknown). */
    protected abstract int outputLength(int steps);

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected "
                    + "ndim=3, found ndim=" + s.length + ". Full shape received: " + Shapes.toString(s));
        }
        if (s[1] >= 0 && outputLength(s[1]) <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" leaves no steps of an input of shape "
                    + Shapes.toString(s));
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return got.length == 3 && got[2] == built[2]; }

    @Override
    public int[] outputShape(int[] in) { return new int[] {in[0], in[1] < 0 ? in[1] : outputLength(in[1]), in[2]}; }

    /** For each output step, the input step it copies, or -1 for a zero step. */
    protected abstract int source(int steps, int t);

    protected org.rnn4j.layers.Pass gather(org.rnn4j.tensor.Tensor x) {
        int batch = x.shape(0), steps = x.shape(1), ch = x.shape(2), out = outputLength(steps);
        if (out <= 0) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" leaves no steps of an input of shape "
                    + Shapes.toString(x.shape()));
        }
        float[] xd = x.data(), y = new float[batch * out * ch];
        int[] src = new int[out];
        for (int t = 0; t < out; t++) src[t] = source(steps, t);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < out; t++) {
                if (src[t] >= 0) System.arraycopy(xd, (b * steps + src[t]) * ch, y, (b * out + t) * ch, ch);
            }
        }
        return new org.rnn4j.layers.Pass(org.rnn4j.tensor.Tensor.of(y, batch, out, ch), null) {
            @Override
            public org.rnn4j.tensor.Tensor[] backward(org.rnn4j.tensor.Tensor[] grads) {
                if (grads[0] == null) return new org.rnn4j.tensor.Tensor[] {null};
                float[] dy = grads[0].data(), dx = new float[xd.length];
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < out; t++) {
                        if (src[t] < 0) continue;
                        int o = (b * out + t) * ch, i = (b * steps + src[t]) * ch;
                        for (int c = 0; c < ch; c++) dx[i + c] += dy[o + c];
                    }
                }
                return new org.rnn4j.tensor.Tensor[] {org.rnn4j.tensor.Tensor.of(dx, x.shape())};
            }
        };
    }

    /** A pair option {@code [a, b]} or one integer meaning both. */
    static int[] pair(org.rnn4j.io.LayerConfig c, String key, int dflt) {
        com.fasterxml.jackson.databind.JsonNode v = c.get(key);
        if (v == null) return new int[] {dflt, dflt};
        if (v.isInt() && v.asInt() >= 0) return new int[] {v.asInt(), v.asInt()};
        if (v.isArray() && v.size() == 2 && v.get(0).isInt() && v.get(1).isInt() && v.get(0).asInt() >= 0 && v.get(1).asInt() >= 0) {
            return new int[] {v.get(0).asInt(), v.get(1).asInt()};
        }
        throw c.error("option \"" + key + "\" must be a non-negative integer or a pair [a, b], got " + v);
    }
}
