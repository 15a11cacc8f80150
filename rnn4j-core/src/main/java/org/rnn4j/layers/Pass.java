package org.rnn4j.layers;

import org.rnn4j.tensor.Tensor;

/**
 * One forward call of a layer: its outputs, the mask it passes on, and the backward step of that same call.
 * Layers return an anonymous subclass from {@code forward}, so forward and backward sit side by side and capture
 * exactly the intermediates backward needs. A layer called twice (a shared layer) has two independent passes.
 *
 * <pre>{@code
 * Pass p = layer.call(x, null, true);                  // one training-mode forward
 * Tensor y = p.output();
 * Tensor[] dx = p.backward(new Tensor[] {dy});         // input gradients; weight gradients go to Weight.grad()
 * }</pre>
 *
 * <p>Thread safety: thread-confined: a pass and its {@code backward} belong to the thread that made it.
 */
public abstract class Pass {
    /** The output tensors of this call. */
    public final Tensor[] outputs;
    /** The output mask {@code [batch, timesteps]} (1 = keep), or null. */
    public final Tensor mask;

    protected Pass(Tensor[] outputs, Tensor mask) {
        this.outputs = outputs;
        this.mask = mask;
    }

    protected Pass(Tensor output, Tensor mask) {
        this(new Tensor[] {output}, mask);
    }

    /** Thread-confined: read on the thread that made the pass. */
    public Tensor output() { return outputs[0]; }

    /**
     * The mask of output {@code i}: {@link #mask} for the first output, none for the others (the states an RNN
     * returns carry no mask, as in Keras). Layers whose further outputs are masked sequences override this.
     * Thread-confined: read on the thread that made the pass.
     */
    public Tensor mask(int i) { return i == 0 ? mask : null; }

    /**
     * Given the gradient of the loss with respect to each output (null entries mean zero), adds the gradients of
     * the layer's weights into {@link Weight#grad()} and returns the gradient with respect to each input.
     * Thread-confined: call on the thread that made this pass, once.
     */
    public abstract Tensor[] backward(Tensor[] outputGrads);

    private boolean inputGradients = true;

    /**
     * Tells this pass that nobody reads the gradients with respect to its inputs (the training step of a model
     * whose first layer it is: Keras computes no gradient for the data), so {@link #backward} may return nulls
     * for them and skip their cost (for an LSTM over a batch, a product as large as a fifth of the step's). A
     * pass made of other passes passes it on to those fed by its own inputs.
     * Thread-confined: call on the thread that made this pass, before backward.
     */
    public void skipInputGradients() { inputGradients = false; }

    /** False after {@link #skipInputGradients}: {@link #backward} need not compute the input gradients. */
    protected boolean inputGradientsWanted() { return inputGradients; }

    /**
     * A pass with no weights whose backward returns nothing (for inputs that carry no gradient).
     * Thread-safe: returns a new pass (thread-confined, like every pass).
     */
    public static Pass constant(Tensor output, Tensor mask) {
        return new Pass(output, mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] outputGrads) { return new Tensor[] {null}; }
        };
    }
}
