package org.rnn4j.layers.recurrent;

import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;

/**
 * Keras's GRU layer: a {@link GRUCell} run over the sequence by the {@link RNN} driver. Defaults are Keras 3's:
 * tanh, sigmoid recurrent activation, glorot_uniform kernel, orthogonal recurrent kernel, zero bias and
 * {@code reset_after=true} (bias {@code [2, 3*units]}). {@code resetAfter(false)} gives the Keras 2.0 / TensorFlow.js
 * variant with one bias of {@code 3*units}.
 *
 * <pre>{@code
 * model.add(new GRU(16).returnSequences(true).inputShape(20, 3));
 * model.add(new GRU(8).resetAfter(false).recurrentActivation("hard_sigmoid"));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class GRU extends RNN<GRU> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public GRU(int units) {
        super("gru", new GRUCell(units));
    }

    private GRU(String name, GRUCell cell) {
        super(name, cell);
    }

    @Override
    protected GRU newLayerLikeThis(String name) { return new GRU(name, gruCell().copy()); }

    private GRUCell gruCell() { return (GRUCell) cell; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "GRU"; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU activation(String name) { gruCell().activation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU recurrentActivation(String name) { gruCell().recurrentActivation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU useBias(boolean v) { requireUnbuilt("use_bias"); gruCell().useBias = v; return this; }

    /**
     * Keras's {@code reset_after}: apply the reset gate after the recurrent matrix multiply (true, the default).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public GRU resetAfter(boolean v) { requireUnbuilt("reset_after"); gruCell().resetAfter = v; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU kernelInitializer(String name) { gruCell().kernelInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU kernelInitializer(Initializer init) { gruCell().kernelInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU recurrentInitializer(String name) { gruCell().recurrentInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU recurrentInitializer(Initializer init) { gruCell().recurrentInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU biasInitializer(String name) { gruCell().biasInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public GRU biasInitializer(Initializer init) { gruCell().biasInitializer = init; return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation activation() { return gruCell().activation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation recurrentActivation() { return gruCell().recurrentActivation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean resetAfter() { return gruCell().resetAfter; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useBias() { return gruCell().useBias; }

    private void requireUnbuilt(String option) {
        if (isBuilt()) {
            throw new IllegalStateException("Layer \"" + name() + "\": " + option + " changes the weight shapes, so it must "
                    + "be set before the layer is built");
        }
    }
}
