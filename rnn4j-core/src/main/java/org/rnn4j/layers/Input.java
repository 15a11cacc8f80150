package org.rnn4j.layers;

import org.rnn4j.tensor.Shapes;

/**
 * Keras's {@code Input}: declares a model's input shape (without the batch axis), and optionally a fixed batch size
 * (needed by stateful layers).
 *
 * <pre>{@code
 * Sequential model = new Sequential();
 * model.add(new Input(5, 1));                 // keras.Input(shape=(5, 1))
 * model.add(Input.withBatch(1, 1, 1));        // keras.Input(batch_shape=(1, 1, 1))
 * }</pre>
 */
public final class Input {
    private final int[] shape;
    private final int batchSize;

    public Input(int... shape) { this(Shapes.NONE, shape); }

    private Input(int batchSize, int[] shape) {
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("Input shape dimensions must be positive, got " + Shapes.toString(shape));
        }
        if (batchSize == 0 || batchSize < Shapes.NONE) {
            throw new IllegalArgumentException("Input batch size must be positive, got " + batchSize);
        }
        this.shape = shape.clone();
        this.batchSize = batchSize;
    }

    /** {@code keras.Input(batch_shape=(batchSize, *shape))}. */
    public static Input withBatch(int batchSize, int... shape) { return new Input(batchSize, shape); }

    /** Shape without the batch axis. */
    public int[] shape() { return shape.clone(); }

    /** The fixed batch size, or {@link Shapes#NONE}. */
    public int batchSize() { return batchSize; }

    /** The full shape with the batch axis. */
    public int[] batchShape() { return Shapes.withBatch(batchSize, shape); }
}
