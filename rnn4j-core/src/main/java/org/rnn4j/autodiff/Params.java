package org.rnn4j.autodiff;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Weight;

/**
 * A layer's weights as {@link Var}s inside one call's graph: {@link #of} gives the same node for a weight however
 * often a call uses it (every timestep), so its gradients add up there; {@link #addGradientsToWeights} then adds them
 * into {@link Weight#grad()}. A 1-D weight (a bias {@code [n]}) is a one-row matrix {@code [1, n]}.
 *
 * <pre>{@code
 * // in a ComposedLayer's call: y = tanh(x·kernel + bias); p.of gives each weight's node in this call's graph
 * protected Var call(Var x, Params p) {
 *     return x.matmul(p.of(kernel)).add(p.of(bias)).tanh();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one per call, made by the calling layer.
 *
 * <p>Thread safety: thread-confined: belongs to one call, on the thread that made it.
 */
public final class Params {
    private final Map<Weight, Var> nodes = new IdentityHashMap<>();

    /**
     * The node of this weight in this call's graph.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var of(Weight w) {
        return nodes.computeIfAbsent(w, k -> {
            int[] s = k.shape();
            int cols = s.length == 0 ? 1 : s[s.length - 1];
            return Var.leaf(k.value().data(), 0, k.size() / Math.max(cols, 1), cols);
        });
    }

    /**
     * Adds each weight node's gradient into its weight's gradient (after {@link Var#backwardFrom}).
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public void addGradientsToWeights() {
        for (Map.Entry<Weight, Var> e : nodes.entrySet()) {
            float[] g = e.getKey().grad().data();
            double[] d = e.getValue().grad;
            for (int i = 0; i < g.length; i++) g[i] += (float) d[i];
        }
    }

    /** The weights used so far. Thread-confined: a graph belongs to one call, on the thread that made it. */
    public List<Weight> used() { return List.copyOf(nodes.keySet()); }
}
