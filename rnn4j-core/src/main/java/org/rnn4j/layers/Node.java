package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.tensor.Shapes;

/**
 * One call of a layer on symbolic tensors (Keras's {@code Node}): the layer, the tensors it was called on and the
 * tensors it returned. A layer called twice has two nodes and one set of weights; a model runs each node as its own
 * {@link Pass}.
 *
 * <pre>{@code
 * Input x = new Input(5, 1);
 * LSTM lstm = new LSTM(4);
 * KerasTensor h = lstm.apply(x);
 * Node n = h.node();   // n.layer() == lstm, n.inputs() == [x], n.index() == 0 (Keras's lstm[0])
 * }</pre>
 *
 * <p>Thread safety: build a graph on one thread (not thread-safe meanwhile); once built, reading it is thread-safe.
 */
public final class Node {
    private final Layer layer;
    private final List<KerasTensor> inputs;
    private final KerasTensor[] outputs;
    private final int index;

    private Node(Layer layer, List<KerasTensor> inputs, List<int[]> outputShapes) {
        this.layer = layer;
        this.inputs = List.copyOf(inputs);
        this.index = layer.inboundNodes().size();
        this.outputs = new KerasTensor[outputShapes.size()];
        for (int i = 0; i < outputs.length; i++) outputs[i] = new KerasTensor(outputShapes.get(i), this, i);
        layer.addInboundNode(this);
    }

    /** The node of an {@link InputLayer}: no inputs, its one output is the {@link Input} itself. */
    Node(InputLayer layer, Input input) {
        this.layer = layer;
        this.inputs = List.of();
        this.index = layer.inboundNodes().size();
        this.outputs = new KerasTensor[] {input};
        layer.addInboundNode(this);
    }

    /** Calls {@code layer} on symbolic inputs: checks and builds it from their shapes, and records the call. */
    static Node create(Layer layer, KerasTensor[] inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new IllegalArgumentException("Layer \"" + layer.name() + "\" was called on no tensors");
        }
        if (layer instanceof InputLayer) {
            throw new IllegalArgumentException("InputLayer \"" + layer.name() + "\" cannot be called on tensors");
        }
        List<int[]> shapes = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException("Input " + i + " of layer \"" + layer.name() + "\" is null");
            shapes.add(inputs[i].shape());
        }
        if (layer.isBuilt()) {
            // A shared layer: the new call must fit the shapes it was built for (None matches anything).
            List<int[]> built = layer.builtInputShapes();
            for (int i = 0; i < Math.min(built.size(), shapes.size()); i++) {
                if (!layer.acceptsShape(i, built.get(i), known(built.get(i), shapes.get(i)))) {
                    throw new IllegalArgumentException("Input " + i + " of layer \"" + layer.name() + "\" is incompatible: "
                            + "expected shape " + Shapes.toString(built.get(i)) + ", got " + Shapes.toString(shapes.get(i)));
                }
            }
            layer.validateInputShapes(shapes);
        } else {
            layer.build(shapes);
        }
        return new Node(layer, List.of(inputs), layer.outputShapes(shapes));
    }

    /** A symbolic shape with its unknown dimensions taken from the built shape (None fits anything). */
    private static int[] known(int[] built, int[] got) {
        int[] out = got.clone();
        if (built.length == got.length) for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] = built[i];
        return out;
    }

    /** Thread-safe: fixed when the graph is built. */
    public Layer layer() { return layer; }

    /** The tensors the layer was called on, in order. Thread-safe: fixed when the graph is built. */
    public List<KerasTensor> inputs() { return Collections.unmodifiableList(inputs); }

    /** The tensors this call returned (a copy of the array). Thread-safe: fixed when the graph is built. */
    public KerasTensor[] outputs() { return outputs.clone(); }

    /** Thread-safe: fixed when the graph is built. */
    public KerasTensor output(int i) { return outputs[i]; }

    /** Thread-safe: fixed when the graph is built. */
    public int outputCount() { return outputs.length; }

    /**
     * This node's position among the layer's calls (the {@code 0} in {@code lstm[0][1]}).
     * Thread-safe: fixed when the graph is built.
     */
    public int index() { return index; }

    /** True for the node of an {@link InputLayer}. Thread-safe: fixed when the graph is built. */
    public boolean isInput() { return layer instanceof InputLayer; }

    /** Thread-safe: fixed when the graph is built. */
    @Override
    public String toString() { return layer.name() + "[" + index + "]"; }
}
