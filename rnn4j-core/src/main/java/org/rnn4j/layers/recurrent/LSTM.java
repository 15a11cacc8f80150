package org.rnn4j.layers.recurrent;

import org.rnn4j.activations.Activation;
import org.rnn4j.initializers.Initializer;

/**
 * Keras's LSTM layer: an {@link LSTMCell} run over the sequence by the {@link RNN} driver. Defaults are Keras's:
 * tanh, sigmoid recurrent activation, glorot_uniform kernel, orthogonal recurrent kernel, zero bias with the
 * forget-gate bias set to one.
 *
 * <pre>{@code
 * model.add(new LSTM(10).returnSequences(true).inputShape(5, 1));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class LSTM extends RNN<LSTM> {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public LSTM(int units) {
        super("lstm", new LSTMCell(units));
    }

    private LSTM(String name, LSTMCell cell) {
        super(name, cell);
    }

    @Override
    protected LSTM newLayerLikeThis(String name) { return new LSTM(name, lstmCell().copy()); }

    private LSTMCell lstmCell() { return (LSTMCell) cell; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "LSTM"; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM activation(String name) { lstmCell().activation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM recurrentActivation(String name) { lstmCell().recurrentActivation = Activation.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM useBias(boolean v) { lstmCell().useBias = v; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM unitForgetBias(boolean v) { lstmCell().unitForgetBias = v; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM kernelInitializer(String name) { lstmCell().kernelInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM kernelInitializer(Initializer init) { lstmCell().kernelInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM recurrentInitializer(String name) { lstmCell().recurrentInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM recurrentInitializer(Initializer init) { lstmCell().recurrentInitializer = init; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM biasInitializer(String name) { lstmCell().biasInitializer = Initializer.get(name); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public LSTM biasInitializer(Initializer init) { lstmCell().biasInitializer = init; return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation activation() { return lstmCell().activation; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public Activation recurrentActivation() { return lstmCell().recurrentActivation; }
}
