package org.rnn4j.layers.recurrent;

import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;

/**
 * Keras's SimpleRNN layer, {@code h_t = act(x_t·W + h_{t-1}·U + b)}: a {@link SimpleRNNCell} run over the sequence
 * by the {@link RNN} driver. Defaults are Keras's: tanh, glorot_uniform kernel, orthogonal recurrent kernel, zero bias.
 *
 * <pre>{@code
 * model.add(new SimpleRNN(8).returnSequences(true).inputShape(10, 2));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class SimpleRNN extends RNN<SimpleRNN> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public SimpleRNN(int units) {
        super("simple_rnn", new SimpleRNNCell(units));
    }

    private SimpleRNN(String name, SimpleRNNCell cell) {
        super(name, cell);
    }

    @Override
    protected SimpleRNN newLayerLikeThis(String name) { return new SimpleRNN(name, simpleCell().copy()); }

    private SimpleRNNCell simpleCell() { return (SimpleRNNCell) cell; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "SimpleRNN"; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN activation(String name) { simpleCell().activation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN useBias(boolean v) {
        if (isBuilt()) {
            throw new IllegalStateException("Layer \"" + name() + "\": use_bias must be set before the layer is built");
        }
        simpleCell().useBias = v;
        return this;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN kernelInitializer(String name) { simpleCell().kernelInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN kernelInitializer(Initializer init) { simpleCell().kernelInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN recurrentInitializer(String name) { simpleCell().recurrentInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN recurrentInitializer(Initializer init) { simpleCell().recurrentInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN biasInitializer(String name) { simpleCell().biasInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public SimpleRNN biasInitializer(Initializer init) { simpleCell().biasInitializer = init; return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation activation() { return simpleCell().activation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useBias() { return simpleCell().useBias; }
}
