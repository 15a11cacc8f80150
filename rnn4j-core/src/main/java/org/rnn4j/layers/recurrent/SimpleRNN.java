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
 */
public class SimpleRNN extends RNN<SimpleRNN> {
    public SimpleRNN(int units) {
        super("simple_rnn", new SimpleRNNCell(units));
    }

    private SimpleRNN(String name, SimpleRNNCell cell) {
        super(name, cell);
    }

    @Override
    protected SimpleRNN newLayerLikeThis(String name) { return new SimpleRNN(name, simpleCell().copy()); }

    private SimpleRNNCell simpleCell() { return (SimpleRNNCell) cell; }

    @Override
    public String className() { return "SimpleRNN"; }

    public SimpleRNN activation(String name) { simpleCell().activation = Activation.get(name); return this; }

    public SimpleRNN useBias(boolean v) {
        if (isBuilt()) {
            throw new IllegalStateException("Layer \"" + name() + "\": use_bias must be set before the layer is built");
        }
        simpleCell().useBias = v;
        return this;
    }

    public SimpleRNN kernelInitializer(String name) { simpleCell().kernelInitializer = Initializer.get(name); return this; }

    public SimpleRNN kernelInitializer(Initializer init) { simpleCell().kernelInitializer = init; return this; }

    public SimpleRNN recurrentInitializer(String name) { simpleCell().recurrentInitializer = Initializer.get(name); return this; }

    public SimpleRNN recurrentInitializer(Initializer init) { simpleCell().recurrentInitializer = init; return this; }

    public SimpleRNN biasInitializer(String name) { simpleCell().biasInitializer = Initializer.get(name); return this; }

    public SimpleRNN biasInitializer(Initializer init) { simpleCell().biasInitializer = init; return this; }

    public Activation activation() { return simpleCell().activation; }

    public boolean useBias() { return simpleCell().useBias; }
}
