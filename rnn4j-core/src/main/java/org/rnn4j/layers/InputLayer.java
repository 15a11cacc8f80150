package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code InputLayer}: the layer behind an {@link Input}, listed first among a functional model's layers.
 * It has no weights and passes its input through. Users create it through {@code new Input(shape)}.
 *
 * <pre>{@code
 * Input x = new Input(5, 1);
 * Functional model = Model.of(x, new Dense(1).apply(x));
 * InputLayer in = (InputLayer) model.layers().get(0);   // in.batchShape(): {-1, 5, 1}, Keras's (None, 5, 1)
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public final class InputLayer extends Layer {
    private final int[] batchShape;

    InputLayer(int[] batchShape) {
        super("input", true);
        this.batchShape = batchShape.clone();
        // Built from the start, like Keras's: its input and output shape is the batch shape.
        build(List.of(this.batchShape));
    }

    /**
     * The input's shape with the batch axis, e.g. {@code (None, 4, 2)}.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public int[] batchShape() { return batchShape.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "InputLayer"; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return batchShape.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep (see {@link Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        return new Pass(inputs[0], mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) { return grads; }
        };
    }

    /**
     * Keras 2's form: {@code batch_input_shape}, {@code dtype}, {@code sparse}, {@code name}.
     * Thread-safe: reads configuration fixed before sharing.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new java.util.LinkedHashMap<>();
        List<Integer> shape = new ArrayList<>();
        for (int d : batchShape) shape.add(d < 0 ? null : d);
        c.put("batch_input_shape", shape);
        c.put("dtype", "float32");
        c.put("sparse", false);
        c.put("name", name());
        return c;
    }
}
