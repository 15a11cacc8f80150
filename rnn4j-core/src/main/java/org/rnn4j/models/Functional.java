package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's functional {@code Model(inputs, outputs)}: a graph of layer calls from {@link Input}s to output tensors,
 * with several inputs and outputs, shared layers (one layer called twice shares its weights) and masks flowing
 * along the graph. Each call is run as its own {@link Pass}; backward runs the calls in reverse order, summing the
 * gradients that reach a tensor from all the calls that consume it.
 *
 * <pre>{@code
 * Input x = new Input(4, 2);
 * KerasTensor[] lstm = new LSTM(3).returnSequences(true).returnState(true).applyAll(x);
 * KerasTensor y = new Dense(1).apply(new Concatenate().apply(lstm[1], lstm[2]));
 * Functional model = new Functional(x, y);          // or Model.of(x, y)
 * model.compile("mse", "adam");
 * }</pre>
 *
 * <p>Thread safety: as {@link Model}; the graph is fixed at construction, so its accessors are thread-safe.
 */
public class Functional extends Model {
    private final List<Input> inputs;
    private final List<KerasTensor> outputs;
    /** The model's nodes from inputs to outputs (a topological order); input nodes included. */
    private final List<Node> nodes;
    private final Set<Node> nodeSet = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Integer, List<Node>> nodesByDepth;
    private final List<Layer> layers;

    /** Not thread-safe: build and configure the model on one thread, then share it. */
    public Functional(KerasTensor input, KerasTensor output) {
        this(List.of(input), List.of(output));
    }

    /** Not thread-safe: build and configure the model on one thread, then share it. */
    public Functional(List<? extends KerasTensor> inputs, List<? extends KerasTensor> outputs) {
        this(inputs, outputs, null);
    }

    /**
     * With an explicit model name ({@code keras.Model(inputs, outputs, name="seq2seq")}).
     * Not thread-safe: build and configure the model on one thread, then share it.
     */
    public Functional(List<? extends KerasTensor> inputs, List<? extends KerasTensor> outputs, String name) {
        super("model");
        if (name != null) {
            if (name.isBlank()) throw new IllegalArgumentException("A model name must not be empty");
            this.name = name;
        }
        if (inputs == null || inputs.isEmpty()) throw new IllegalArgumentException("Model \"" + this.name + "\" needs at least one input");
        if (outputs == null || outputs.isEmpty()) throw new IllegalArgumentException("Model \"" + this.name + "\" needs at least one output");
        List<Input> ins = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            KerasTensor t = inputs.get(i);
            if (!(t instanceof Input in)) {
                throw new IllegalArgumentException("Model \"" + this.name + "\": input " + i + " must be an Input (keras.Input), got "
                        + t);
            }
            if (ins.contains(in)) {
                throw new IllegalArgumentException("Model \"" + this.name + "\": input \"" + in.name() + "\" is given twice");
            }
            ins.add(in);
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == null) throw new IllegalArgumentException("Model \"" + this.name + "\": output " + i + " is null");
        }
        this.inputs = List.copyOf(ins);
        this.outputs = List.copyOf(outputs);

        // Keras's map_graph: depth-first from the outputs gives a topological order of the nodes and the order in
        // which layers are first seen; depths (0 at the outputs) then order model.layers, inputs first.
        List<Node> order = new ArrayList<>();
        Map<Layer, Integer> firstSeen = new IdentityHashMap<>();
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        for (KerasTensor out : outputs) visit(out, done, inProgress, order, firstSeen);

        Map<Node, Integer> nodeDepth = new IdentityHashMap<>();
        Map<Layer, Integer> layerDepth = new IdentityHashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Node node = order.get(i);
            int depth = Math.max(nodeDepth.getOrDefault(node, 0), layerDepth.getOrDefault(node.layer(), 0));
            layerDepth.put(node.layer(), depth);
            nodeDepth.put(node, depth);
            if (node.isInput()) continue;
            for (KerasTensor t : node.inputs()) nodeDepth.merge(t.node(), depth + 1, Math::max);
        }
        // Inputs that no output depends on still belong to the model (Keras keeps them at depth 0).
        for (Input in : this.inputs) {
            if (!layerDepth.containsKey(in.layer())) {
                layerDepth.put(in.layer(), 0);
                firstSeen.put(in.layer(), -1);
                nodeDepth.put(in.node(), 0);
                order.add(0, in.node());
            }
        }
        this.nodes = List.copyOf(order);
        nodeSet.addAll(order);
        Map<Integer, List<Layer>> byDepth = new java.util.TreeMap<>(Collections.reverseOrder());
        for (Map.Entry<Layer, Integer> e : layerDepth.entrySet()) byDepth.computeIfAbsent(e.getValue(), d -> new ArrayList<>()).add(e.getKey());
        List<Layer> ls = new ArrayList<>();
        for (List<Layer> group : byDepth.values()) {
            group.sort((a, b) -> Integer.compare(firstSeen.get(a), firstSeen.get(b)));
            ls.addAll(group);
        }
        this.layers = List.copyOf(ls);
        Map<Integer, List<Node>> nbd = new java.util.TreeMap<>(Collections.reverseOrder());
        for (Node n : order) nbd.computeIfAbsent(nodeDepth.get(n), d -> new ArrayList<>()).add(n);
        this.nodesByDepth = nbd;

        checkConnected();
        Set<String> names = new HashSet<>();
        for (Layer l : layers) {
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("The name \"" + l.name() + "\" is used by two layers of model \"" + this.name
                        + "\"; all layer names should be unique");
            }
        }
    }

    private void visit(KerasTensor t, Set<Node> done, Set<Node> inProgress, List<Node> order, Map<Layer, Integer> firstSeen) {
        Node node = t.node();
        if (done.contains(node)) return;
        if (inProgress.contains(node)) {
            throw new IllegalArgumentException("Tensor " + t + " is part of a cycle");
        }
        firstSeen.putIfAbsent(node.layer(), firstSeen.size());
        inProgress.add(node);
        if (!node.isInput()) for (KerasTensor in : node.inputs()) visit(in, done, inProgress, order, firstSeen);
        inProgress.remove(node);
        done.add(node);
        order.add(node);
    }

    /** Every tensor a node needs must come from the model's inputs (Keras's "Graph disconnected" error). */
    private void checkConnected() {
        Set<KerasTensor> computable = Collections.newSetFromMap(new IdentityHashMap<>());
        computable.addAll(inputs);
        List<String> fine = new ArrayList<>();
        for (Node node : nodes) {
            if (node.isInput()) {
                if (!computable.contains(node.output(0))) {
                    throw new IllegalArgumentException("Graph disconnected: cannot obtain value for tensor " + node.output(0)
                            + " (input \"" + node.layer().name() + "\" is not among the model's inputs). The following previous "
                            + "layers were accessed without issue: " + fine);
                }
                continue;
            }
            for (KerasTensor t : node.inputs()) {
                if (!computable.contains(t)) {
                    throw new IllegalArgumentException("Graph disconnected: cannot obtain value for tensor " + t + " at layer \""
                            + node.layer().name() + "\". The following previous layers were accessed without issue: " + fine);
                }
            }
            fine.add(node.layer().name());
            for (KerasTensor t : node.outputs()) computable.add(t);
        }
    }

    // ---------------------------------------------------------------- the graph

    /**
     * The layers, input layers first, in Keras's order (by depth from the outputs, then by traversal order).
     * Thread-safe: the list is fixed once the model is configured and built.
     */
    @Override
    public List<Layer> layers() { return layers; }

    /** Keras's {@code model.get_layer(name)}. Thread-safe: reads the graph, fixed at construction. */
    public Layer getLayer(String layerName) {
        for (Layer l : layers) if (l.name().equals(layerName)) return l;
        List<String> names = new ArrayList<>();
        for (Layer l : layers) names.add(l.name());
        throw new IllegalArgumentException("No such layer: " + layerName + ". Existing layers are: " + names);
    }

    /** Thread-safe: the graph is fixed at construction. */
    public List<Input> inputs() { return inputs; }

    /** Thread-safe: the graph is fixed at construction. */
    public List<KerasTensor> outputs() { return outputs; }

    /**
     * The calls that belong to this model, inputs first (a layer called outside the model has other nodes too).
     * Thread-safe: the graph is fixed at construction.
     */
    public List<Node> nodes() { return nodes; }

    /** True when the node is one of this model's calls. Thread-safe: the graph is fixed at construction. */
    public boolean contains(Node node) { return nodeSet.contains(node); }

    /** Thread-safe: fixed by the configuration. */
    @Override
    public int inputCount() { return inputs.size(); }

    /** Thread-safe: fixed by the configuration. */
    @Override
    public int outputCount() { return outputs.size(); }

    @Override
    protected void ensureBuilt(Tensor[] x) {}

    /** Thread-safe: a constant (built at construction). */
    @Override
    public boolean isBuilt() { return true; }

    /** Thread-safe: fixed once built. */
    @Override
    public List<int[]> outputShapes() {
        List<int[]> out = new ArrayList<>();
        for (KerasTensor t : outputs) out.add(t.shape());
        return out;
    }

    /** Multi-output logs use the output layers' names, as Keras: {@code dense_1_loss}. */
    @Override
    protected String outputName(int o) { return outputs.get(o).layer().name(); }

    // ---------------------------------------------------------------- as a layer of another model

    private NestedModel asLayer;

    /**
     * This model as a layer (one instance, so every call shares the weights): Keras's {@code model(x)}.
     * Not thread-safe: made lazily on the first call; call it while building a graph, on one thread.
     */
    public NestedModel asLayer() {
        if (asLayer == null) asLayer = new NestedModel(this);
        return asLayer;
    }

    /**
     * Calls this model on symbolic tensors inside another model ({@code y = encoder(x)}).
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor apply(KerasTensor... inputs) { return asLayer().apply(inputs); }

    /**
     * {@link #apply} returning every output of a multi-output model.
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor[] applyAll(KerasTensor... inputs) { return asLayer().applyAll(inputs); }

    // ---------------------------------------------------------------- running

    @Override
    protected Pass forwardModel(Tensor[] x, boolean training) {
        Map<KerasTensor, Tensor> values = new IdentityHashMap<>();
        Map<KerasTensor, Tensor> masks = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            int[] expected = inputs.get(i).shape();
            if (!Shapes.compatible(expected, x[i].shape())) {
                throw new IllegalArgumentException("Input " + i + " of layer \"" + name + "\" is incompatible: expected shape "
                        + Shapes.toString(expected) + ", got " + Shapes.toString(x[i].shape()));
            }
            values.put(inputs.get(i), x[i]);
        }
        List<Node> run = new ArrayList<>();
        List<Pass> passes = new ArrayList<>();
        for (Node node : nodes) {
            if (node.isInput()) continue;
            List<KerasTensor> ins = node.inputs();
            Tensor[] in = new Tensor[ins.size()];
            Tensor[] inMasks = new Tensor[ins.size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = values.get(ins.get(i));
                inMasks[i] = masks.get(ins.get(i));
            }
            Layer layer = node.layer();
            Tensor mask = layer.supportsMasking() ? layer.combineInputMasks(in, inMasks) : null;
            Pass pass = layer.call(in, mask, training);
            if (pass.outputs.length != node.outputCount()) {
                throw new IllegalStateException("Layer \"" + layer.name() + "\" returned " + pass.outputs.length
                        + " tensors where its call declared " + node.outputCount());
            }
            for (int o = 0; o < pass.outputs.length; o++) {
                values.put(node.output(o), pass.outputs[o]);
                Tensor m = pass.mask(o);
                if (m != null) masks.put(node.output(o), m);
            }
            run.add(node);
            passes.add(pass);
        }
        Tensor[] outs = new Tensor[outputs.size()];
        Tensor[] outMasks = new Tensor[outputs.size()];
        for (int o = 0; o < outs.length; o++) {
            outs[o] = values.get(outputs.get(o));
            outMasks[o] = masks.get(outputs.get(o));
        }
        return new Pass(outs, outMasks[0]) {
            /** Thread-confined: belongs to the pass, on the thread that made it. */
            @Override
            public Tensor mask(int i) { return outMasks[i]; }

            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] outputGrads) {
                Map<KerasTensor, Tensor> grads = new IdentityHashMap<>();
                for (int o = 0; o < outputGrads.length; o++) accumulate(grads, Functional.this.outputs.get(o), outputGrads[o]);
                for (int n = run.size() - 1; n >= 0; n--) {
                    Node node = run.get(n);
                    Tensor[] dOut = new Tensor[node.outputCount()];
                    boolean any = false;
                    for (int o = 0; o < dOut.length; o++) {
                        dOut[o] = grads.remove(node.output(o));
                        any |= dOut[o] != null;
                    }
                    if (!any) continue; // nothing downstream depends on this call
                    Tensor[] dIn = passes.get(n).backward(dOut);
                    List<KerasTensor> ins = node.inputs();
                    for (int i = 0; i < ins.size() && i < dIn.length; i++) accumulate(grads, ins.get(i), dIn[i]);
                }
                Tensor[] dx = new Tensor[inputs.size()];
                for (int i = 0; i < dx.length; i++) dx[i] = grads.get(inputs.get(i));
                return dx;
            }
        };
    }

    /** Adds a gradient into a tensor's total; a new array, since a layer may hand back an array it still uses. */
    private static void accumulate(Map<KerasTensor, Tensor> grads, KerasTensor t, Tensor g) {
        if (g == null) return;
        Tensor prev = grads.get(t);
        if (prev == null) {
            grads.put(t, g);
            return;
        }
        float[] a = prev.data(), b = g.data();
        float[] sum = new float[a.length];
        for (int i = 0; i < sum.length; i++) sum[i] = a[i] + b[i];
        grads.put(t, Tensor.of(sum, prev.shape()));
    }

    // ---------------------------------------------------------------- summary

    /**
     * Keras 2's summary: the plain three-column table when the graph is a chain (Keras's "sequential-like" test),
     * else width 98 with a {@code Connected to} column listing each inbound tensor as {@code layer[node][tensor]}.
     * Thread-safe: reads configuration and weight shapes fixed before sharing.
     */
    @Override
    public String summary() {
        boolean chain = isSequentialLike();
        List<Summary.Row> rows = new ArrayList<>();
        for (Layer l : layers) {
            String type = l.name() + " (" + l.className() + ")";
            String shape = outputShapeText(l);
            String params = Integer.toString(l.countParams());
            if (chain) {
                rows.add(new Summary.Row(type, shape, params));
            } else {
                List<String> connections = new ArrayList<>();
                for (Node n : l.inboundNodes()) {
                    if (!contains(n) || n.isInput()) continue;
                    for (KerasTensor t : n.inputs()) connections.add(t.connection());
                }
                rows.add(new Summary.Row(type, shape, params, String.join("\n", connections)));
            }
        }
        long trainable = 0;
        for (var w : trainableWeights()) trainable += w.size();
        if (chain) {
            return Summary.render(name, new String[] {"Layer (type)", "Output Shape", "Param #"}, new int[] {29, 55, 65},
                    rows, countParams(), trainable);
        }
        return Summary.render(name, new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"},
                new int[] {32, 53, 65, 98}, rows, countParams(), trainable);
    }

    /** Keras 2's test: one node per depth, each with one input, and no layer called twice in the model. */
    private boolean isSequentialLike() {
        for (List<Node> level : nodesByDepth.values()) {
            if (level.size() > 1 || level.get(0).inputs().size() > 1) return false;
        }
        for (Layer l : layers) {
            int count = 0;
            for (Node n : l.inboundNodes()) if (contains(n)) count++;
            if (count > 1) return false;
        }
        return true;
    }

    /**
     * Keras 2's {@code layer.output_shape}: a tuple, a list of tuples for several outputs or an InputLayer, and
     * {@code multiple} for a shared layer whose calls give different shapes.
     */
    private static String outputShapeText(Layer l) {
        List<Node> calls = l.inboundNodes();
        String text = null;
        for (Node n : calls) {
            String s = shapesText(n, l instanceof InputLayer);
            if (text != null && !text.equals(s)) return "multiple";
            text = s;
        }
        return text == null ? "multiple" : text;
    }

    private static String shapesText(Node n, boolean asList) {
        KerasTensor[] outs = n.outputs();
        if (outs.length == 1 && !asList) return Shapes.toString(outs[0].shape());
        List<String> parts = new ArrayList<>();
        for (KerasTensor t : outs) parts.add(Shapes.toString(t.shape()));
        return "[" + String.join(", ", parts) + "]";
    }

    // ---------------------------------------------------------------- config helpers

    /**
     * Keras's {@code inbound_nodes} of a layer in this model (Keras 2 form): per call, the list of
     * {@code [layer_name, node_index, tensor_index, {}]}. Node indices count only the calls inside this model.
     * Not thread-safe while a graph using this model is being built; thread-safe afterwards.
     */
    public List<List<List<Object>>> inboundNodesConfig(Layer layer) {
        List<List<List<Object>>> out = new ArrayList<>();
        for (Node n : layer.inboundNodes()) {
            if (!contains(n) || n.isInput()) continue;
            List<List<Object>> call = new ArrayList<>();
            for (KerasTensor t : n.inputs()) {
                Map<String, Object> kwargs = new LinkedHashMap<>();
                if (layer instanceof org.rnn4j.layers.CallArguments a) kwargs.putAll(a.callKwargs());
                call.add(new ArrayList<>(List.of(t.layer().name(), modelNodeIndex(t.node()), t.tensorIndex(), kwargs)));
            }
            out.add(call);
        }
        return out;
    }

    /**
     * A node's index among its layer's calls that belong to this model (what a saved config refers to).
     * Thread-safe: the graph is fixed at construction.
     */
    public int modelNodeIndex(Node node) {
        int i = 0;
        for (Node n : node.layer().inboundNodes()) {
            if (n == node) return i;
            if (contains(n)) i++;
        }
        throw new IllegalArgumentException("Node " + node + " is not part of model \"" + name + "\"");
    }

    /**
     * Keras's {@code input_layers} / {@code output_layers}: {@code [layer_name, node_index, tensor_index]}.
     * Thread-safe: the graph is fixed at construction.
     */
    public List<List<Object>> tensorRefs(List<? extends KerasTensor> tensors) {
        List<List<Object>> out = new ArrayList<>();
        for (KerasTensor t : tensors) out.add(List.of(t.layer().name(), modelNodeIndex(t.node()), t.tensorIndex()));
        return out;
    }
}
