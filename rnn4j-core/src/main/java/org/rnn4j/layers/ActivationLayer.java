package org.rnn4j.layers;

import java.util.Map;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code Activation} layer: applies an activation function, no weights. (Named ActivationLayer in Java to
 * keep it apart from {@link org.rnn4j.activations.Activation}, the function itself.)
 *
 * <pre>{@code model.add(new ActivationLayer("softmax")); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class ActivationLayer extends Layer {
    private final org.rnn4j.activations.Activation activation;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public ActivationLayer(String activation) {
        super("activation");
        this.activation = org.rnn4j.activations.Activation.get(activation);
    }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Activation"; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return inputShape.clone(); }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Timestep by timestep (see {@link Layer#timestepwise}). Thread-safe. */
    @Override
    public boolean timestepwise() { return true; }

    /** Any number of timesteps (Keras gives this layer no input spec). */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return anyTimesteps(built, got); }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        int cols = x.shape(-1);
        int rows = x.size() / cols;
        float[] y = new float[x.size()];
        activation.forward(x.data(), y, rows, cols);
        return new Pass(Tensor.of(y, x.shape()), mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                if (grads[0] == null) return new Tensor[] {null};
                float[] dx = new float[y.length];
                activation.backward(x.data(), y, grads[0].data(), dx, rows, cols);
                return new Tensor[] {Tensor.of(dx, x.shape())};
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("activation", activation.name());
        return c;
    }
}
