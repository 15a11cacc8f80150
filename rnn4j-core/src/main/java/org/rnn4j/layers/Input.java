package org.rnn4j.layers;

import org.rnn4j.tensor.Shapes;

/**
 * Keras's {@code Input}: a model input of the given shape (without the batch axis), optionally with a fixed batch
 * size (needed by stateful layers). It is the symbolic tensor a functional model starts from, and declares the
 * input shape of a {@link org.rnn4j.models.Sequential} model. Names run {@code input_1}, {@code input_2}, ... as in
 * Keras 2; {@link Shapes#NONE} marks a free dimension such as a variable number of timesteps.
 *
 * <pre>{@code
 * Input x = new Input(5, 1);                         // keras.Input(shape=(5, 1))
 * Input s = Input.withBatch(1, 1, 1);                // keras.Input(batch_shape=(1, 1, 1))
 * Input t = new Input(Shapes.NONE, 8).name("tokens"); // keras.Input(shape=(None, 8), name="tokens")
 * KerasTensor y = new LSTM(4).apply(x);
 * model.add(new Input(5, 1));                        // Sequential: declares the input shape
 * }</pre>
 *
 * <p>Thread safety: build a graph on one thread (not thread-safe meanwhile); once built, reading it is thread-safe.
 */
public final class Input extends KerasTensor {
    private final int batchSize;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Input(int... shape) { this(Shapes.NONE, shape); }

    private Input(int batchSize, int[] shape) {
        super(checked(batchSize, shape), null, 0);
        this.batchSize = batchSize;
        this.node = new Node(new InputLayer(Shapes.withBatch(batchSize, shape)), this);
    }

    private static int[] checked(int batchSize, int[] shape) {
        if (shape == null || shape.length == 0) throw new IllegalArgumentException("Input needs a shape, got none");
        for (int d : shape) {
            if (d <= 0 && d != Shapes.NONE) {
                throw new IllegalArgumentException("Input shape dimensions must be positive (or NONE), got "
                        + Shapes.toString(shape));
            }
        }
        if (batchSize == 0 || batchSize < Shapes.NONE) {
            throw new IllegalArgumentException("Input batch size must be positive, got " + batchSize);
        }
        return Shapes.withBatch(batchSize, shape);
    }

    /**
     * {@code keras.Input(batch_shape=(batchSize, *shape))}.
     * Thread-safe: makes a new input; build the graph on one thread.
     */
    public static Input withBatch(int batchSize, int... shape) { return new Input(batchSize, shape); }

    /**
     * Names the input (its {@link InputLayer}), like {@code keras.Input(..., name="encoder_inputs")}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public Input name(String name) {
        layer().name(name);
        return this;
    }

    /** Thread-safe: fixed when the graph is built. */
    public String name() { return layer().name(); }

    /** The fixed batch size, or {@link Shapes#NONE}. Thread-safe: fixed when the graph is built. */
    public int batchSize() { return batchSize; }

    /**
     * The full shape with the batch axis (the same as {@link #shape()}).
     * Thread-safe: fixed when the graph is built.
     */
    public int[] batchShape() { return shape(); }
}
