package org.rnn4j.layers;

import org.rnn4j.tensor.Shapes;

/**
 * A symbolic tensor of the functional API: a shape (batch axis included, {@link Shapes#NONE} where unknown) and
 * where it comes from, i.e. Keras's {@code _keras_history}: the layer, which call of it ({@code node index}) and
 * which of that call's outputs ({@code tensor index}). It holds no values; a
 * {@link org.rnn4j.models.Functional} model runs the graph it describes.
 *
 * <pre>{@code
 * Input x = new Input(4, 2);
 * KerasTensor[] out = new LSTM(3).returnState(true).applyAll(x);   // output, state_h, state_c
 * out[1].shape();                                                   // (None, 3)
 * }</pre>
 *
 * <p>Thread safety: build a graph on one thread (not thread-safe meanwhile); once built, reading it is thread-safe.
 */
public class KerasTensor {
    private final int[] shape;
    /** The call that produced this tensor; set once (an Input creates its own node after construction). */
    Node node;
    private final int index;

    KerasTensor(int[] shape, Node node, int index) {
        this.shape = shape.clone();
        this.node = node;
        this.index = index;
    }

    /** The shape with the batch axis, e.g. {@code (None, 4, 2)}; a copy. Thread-safe: fixed when the graph is built. */
    public int[] shape() { return shape.clone(); }

    /** Thread-safe: fixed when the graph is built. */
    public int rank() { return shape.length; }

    /**
     * The layer that produced this tensor (an {@link InputLayer} for an {@link Input}).
     * Thread-safe: fixed when the graph is built.
     */
    public Layer layer() { return node.layer(); }

    /**
     * The call of {@link #layer()} that produced it: Keras's node index.
     * Thread-safe: fixed when the graph is built.
     */
    public Node node() { return node; }

    /** Thread-safe: fixed when the graph is built. */
    public int nodeIndex() { return node.index(); }

    /** Which output of that call it is: Keras's tensor index. Thread-safe: fixed when the graph is built. */
    public int tensorIndex() { return index; }

    /**
     * Keras's connection string {@code layer[node][tensor]}, e.g. {@code lstm[0][1]}.
     * Thread-safe: fixed when the graph is built.
     */
    public String connection() { return layer().name() + "[" + nodeIndex() + "][" + index + "]"; }

    /** Thread-safe: fixed when the graph is built. */
    @Override
    public String toString() {
        return "KerasTensor(shape=" + Shapes.toString(shape) + ", from " + connection() + ")";
    }
}
