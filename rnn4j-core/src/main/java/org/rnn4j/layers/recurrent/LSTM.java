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
 */
public class LSTM extends RNN<LSTM> {
    public LSTM(int units) {
        super("lstm", new LSTMCell(units));
    }

    private LSTM(String name, LSTMCell cell) {
        super(name, cell);
    }

    @Override
    protected LSTM newLayerLikeThis(String name) { return new LSTM(name, lstmCell().copy()); }

    private LSTMCell lstmCell() { return (LSTMCell) cell; }

    @Override
    public String className() { return "LSTM"; }

    public LSTM activation(String name) { lstmCell().activation = Activation.get(name); return this; }

    public LSTM recurrentActivation(String name) { lstmCell().recurrentActivation = Activation.get(name); return this; }

    public LSTM useBias(boolean v) { lstmCell().useBias = v; return this; }

    public LSTM unitForgetBias(boolean v) { lstmCell().unitForgetBias = v; return this; }

    public LSTM kernelInitializer(String name) { lstmCell().kernelInitializer = Initializer.get(name); return this; }

    public LSTM kernelInitializer(Initializer init) { lstmCell().kernelInitializer = init; return this; }

    public LSTM recurrentInitializer(String name) { lstmCell().recurrentInitializer = Initializer.get(name); return this; }

    public LSTM recurrentInitializer(Initializer init) { lstmCell().recurrentInitializer = init; return this; }

    public LSTM biasInitializer(String name) { lstmCell().biasInitializer = Initializer.get(name); return this; }

    public LSTM biasInitializer(Initializer init) { lstmCell().biasInitializer = init; return this; }

    public Activation activation() { return lstmCell().activation; }

    public Activation recurrentActivation() { return lstmCell().recurrentActivation; }
}
