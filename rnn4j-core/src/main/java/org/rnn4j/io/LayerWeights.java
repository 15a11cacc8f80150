package org.rnn4j.io;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The weights a file holds for one layer, in the file's order, with their names when the file has them
 * ({@code lstm_1_W_i:0}, {@code kernel:0}); and the one place that puts such weights into a model: layout
 * conversion (Keras 1's twelve-matrix LSTM, nine-matrix GRU) then a count and shape check of every weight before
 * any is set, so a mismatched file leaves the model untouched and says which layer and weight is wrong.
 */
final class LayerWeights {
    final List<String> names = new ArrayList<>();
    final List<Tensor> values = new ArrayList<>();

    void add(String name, Tensor value) {
        names.add(name);
        values.add(value);
    }

    int size() { return values.size(); }

    /** Keras 1 recurrent weight names: {@code <prefix>_W_i}, {@code _U_f}, {@code _b_o}, with or without {@code :0}. */
    private static final Pattern KERAS1 = Pattern.compile(".*_([WUb])_([icfozrh])(:\\d+)?$");

    /**
     * Sets the weights of a model's layers from what a file holds for them, after checking them all. A layer
     * with weights missing from {@code byLayer}, a file layer the model does not have, a count or a shape that
     * differs: each is a {@link ModelFormatException} naming the file, the layer and both values.
     */
    static void assign(Model model, Map<Layer, LayerWeights> byLayer, List<String> unusedFileLayers, String what) {
        if (!unusedFileLayers.isEmpty()) {
            throw new ModelFormatException(what + ": the file has weights for layer(s) " + unusedFileLayers
                    + " that the model config does not have");
        }
        Map<Weight, Tensor> plan = new IdentityHashMap<>();
        for (Layer layer : model.layers()) {
            List<Weight> ws = layer.weights();
            LayerWeights lw = byLayer.get(layer);
            int got = lw == null ? 0 : lw.size();
            if (ws.isEmpty()) {
                if (got > 0) {
                    throw new ModelFormatException(what + ": layer \"" + layer.name() + "\" (" + layer.className()
                            + ") has no weights but the file holds " + got + " for it");
                }
                continue;
            }
            if (lw == null) {
                throw new ModelFormatException(what + ": the file has no weights for layer \"" + layer.name() + "\" ("
                        + layer.className() + "), which needs " + ws.size() + " " + describe(ws));
            }
            List<Tensor> values = convert(layer, lw, ws, what);
            if (values.size() != ws.size()) {
                throw new ModelFormatException(what + ": layer \"" + layer.name() + "\" (" + layer.className() + ") needs "
                        + ws.size() + " weights " + describe(ws) + " but the file holds " + values.size()
                        + (lw.names.isEmpty() || lw.names.get(0) == null ? "" : " " + lw.names));
            }
            for (int i = 0; i < ws.size(); i++) {
                Weight w = ws.get(i);
                Tensor v = values.get(i);
                if (!java.util.Arrays.equals(w.shape(), v.shape())) {
                    throw new ModelFormatException(what + ": weight \"" + w.path() + "\" of layer \"" + layer.name()
                            + "\" has shape " + Shapes.toString(w.shape()) + " in the model config but "
                            + Shapes.toString(v.shape()) + " in the file");
                }
                plan.put(w, v);
            }
        }
        for (Map.Entry<Weight, Tensor> e : plan.entrySet()) e.getKey().assign(e.getValue(), "");
    }

    private static String describe(List<Weight> ws) {
        List<String> names = new ArrayList<>();
        for (Weight w : ws) names.add(w.name() + " " + Shapes.toString(w.shape()));
        return names.toString();
    }

    /**
     * The file's weights in the model's layout. Keras 1 stored an LSTM as twelve matrices {@code W, U, b} for each
     * gate in the order i, c, f, o, and a GRU as nine ({@code z, r, h}); Keras 2 concatenates each kind along the
     * last axis with gate blocks i, f, c, o (z, r, h). A Bidirectional layer holds two such sets.
     */
    static List<Tensor> convert(Layer layer, LayerWeights lw, List<Weight> ws, String what) {
        int n = lw.size();
        if (n == ws.size() || ws.size() % 3 != 0 && ws.size() % 2 != 0) return lw.values;
        int perDirection = ws.size() % 3 == 0 ? 3 : 2; // kernel, recurrent kernel[, bias]
        int directions = ws.size() / perDirection;
        String[] gates;
        if (n == 12 * directions) gates = new String[] {"i", "f", "c", "o"};
        else if (n == 9 * directions) gates = new String[] {"z", "r", "h"};
        else return lw.values;
        int chunk = n / directions;
        List<Tensor> out = new ArrayList<>();
        for (int d = 0; d < directions; d++) {
            Map<String, Tensor> byKey = new java.util.HashMap<>();
            for (int i = d * chunk; i < (d + 1) * chunk; i++) {
                String name = lw.names.get(i);
                Matcher m = name == null ? null : KERAS1.matcher(name);
                String key;
                if (m != null && m.matches()) {
                    key = m.group(1) + m.group(2);
                } else {
                    // No usable names: Keras 1's save order, W U b per gate, gates i c f o (z r h).
                    String[] saved = gates.length == 4 ? new String[] {"i", "c", "f", "o"} : gates;
                    int j = i - d * chunk;
                    key = "WUb".charAt(j % 3) + saved[j / 3];
                }
                if (byKey.put(key, lw.values.get(i)) != null) {
                    throw new ModelFormatException(what + ": layer \"" + layer.name() + "\" has two Keras 1 weights " + key);
                }
            }
            for (String kind : perDirection == 3 ? new String[] {"W", "U", "b"} : new String[] {"W", "U"}) {
                List<Tensor> parts = new ArrayList<>();
                for (String g : gates) {
                    Tensor t = byKey.get(kind + g);
                    if (t == null) {
                        throw new ModelFormatException(what + ": layer \"" + layer.name() + "\" lacks its Keras 1 weight "
                                + kind + "_" + g + " (has " + lw.names + ")");
                    }
                    parts.add(t);
                }
                out.add(concatLastAxis(parts, layer, what));
            }
        }
        return out;
    }

    /** Concatenates tensors of equal leading shape along their last axis. */
    static Tensor concatLastAxis(List<Tensor> parts, Layer layer, String what) {
        int[] shape = parts.get(0).shape();
        int rank = shape.length;
        if (rank == 0) throw new ModelFormatException(what + ": layer \"" + layer.name() + "\" has a scalar Keras 1 weight");
        int rows = parts.get(0).size() / Math.max(1, shape[rank - 1]);
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (s.length != rank || p.size() / Math.max(1, s[rank - 1]) != rows) {
                throw new ModelFormatException(what + ": layer \"" + layer.name() + "\": Keras 1 gate weights of shapes "
                        + Shapes.toString(shape) + " and " + Shapes.toString(s) + " do not fit together");
            }
            total += s[rank - 1];
        }
        float[] out = new float[rows * total];
        int col = 0;
        for (Tensor p : parts) {
            int w = p.shape(rank - 1);
            for (int r = 0; r < rows; r++) System.arraycopy(p.data(), r * w, out, r * total + col, w);
            col += w;
        }
        shape[rank - 1] = total;
        return Tensor.of(out, shape);
    }
}
