package org.rnn4j.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.RNN;

/**
 * Where Keras 3 keeps a layer's variables in {@code model.weights.h5}. Its saver walks {@code model.layers} and
 * names each layer's group by its class in snake case, numbered per class in order ({@code layers/dense},
 * {@code layers/dense_1}); a recurrent layer's variables belong to its cell ({@code layers/lstm/cell/vars}), a
 * wrapper's to the wrapped layer ({@code layers/time_distributed/layer/vars},
 * {@code layers/bidirectional/forward_layer/cell/vars} then {@code backward_layer}). Every visited object gets a
 * {@code vars} group, empty when it has no variables of its own.
 */
final class KerasPaths {
    private KerasPaths() {}

    /** One {@code vars} group and the weights it holds, in order. */
    record VarGroup(String path, String objectName, List<Weight> weights) {}

    /** Keras's {@code naming.to_snake_case}: {@code SimpleRNN} -> {@code simple_rnn}, {@code LSTM} -> {@code lstm}. */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** The group key of each layer, in {@code model.layers} order. */
    static List<String> layerKeys(List<Layer> layers) {
        Map<String, Integer> used = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Layer l : layers) {
            String base = snakeCase(l.className());
            Integer n = used.get(base);
            used.put(base, n == null ? 0 : n + 1);
            keys.add(n == null ? base : base + "_" + (n + 1));
        }
        return keys;
    }

    /** The {@code vars} groups of a layer under {@code prefix} (e.g. {@code layers/lstm}), weights split among them. */
    static List<VarGroup> groups(Layer layer, String prefix) {
        List<VarGroup> out = new ArrayList<>();
        add(layer, prefix, layer.weights(), out);
        return out;
    }

    private static void add(Layer layer, String prefix, List<Weight> weights, List<VarGroup> out) {
        if (layer instanceof RNN<?>) {
            out.add(new VarGroup(prefix + "/vars", layer.name(), List.of()));
            out.add(new VarGroup(prefix + "/cell/vars", snakeCase(layer.className()) + "_cell", weights));
        } else if (layer instanceof org.rnn4j.models.NestedModel nested) {
            // A functional model used as a layer keeps its own layers/ tree, as Keras 3 saves it.
            out.add(new VarGroup(prefix + "/vars", layer.name(), List.of()));
            List<Layer> inner = nested.model().layers();
            List<String> keys = layerKeys(inner);
            for (int i = 0; i < inner.size(); i++) add(inner.get(i), prefix + "/layers/" + keys.get(i), inner.get(i).weights(), out);
        } else if (layer instanceof TimeDistributed td) {
            out.add(new VarGroup(prefix + "/vars", layer.name(), List.of()));
            add(td.layer(), prefix + "/layer", weights, out);
        } else if (layer.className().equals("Bidirectional") && weights.size() % 2 == 0 && !weights.isEmpty()) {
            // forward layer's weights, then backward layer's (rnn4j's order, as Keras's get_weights()).
            int half = weights.size() / 2;
            out.add(new VarGroup(prefix + "/vars", layer.name(), List.of()));
            out.add(new VarGroup(prefix + "/forward_layer/vars", "forward_" + layer.name(), List.of()));
            out.add(new VarGroup(prefix + "/forward_layer/cell/vars", "forward_cell", weights.subList(0, half)));
            out.add(new VarGroup(prefix + "/backward_layer/vars", "backward_" + layer.name(), List.of()));
            out.add(new VarGroup(prefix + "/backward_layer/cell/vars", "backward_cell", weights.subList(half, weights.size())));
        } else {
            out.add(new VarGroup(prefix + "/vars", layer.name(), weights));
        }
    }
}
