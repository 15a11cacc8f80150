package org.rnn4j.regularizers;

import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Collects activity-regularization penalties during one training or test step, as Keras's {@code layer.losses}
 * collects {@code add_loss} calls. The model opens a scope around its forward pass; each layer with an activity
 * regularizer adds {@code regularizer(output)} for every output tensor, and its pass's backward adds the penalty's
 * gradient to the output gradients. Outside a scope (predict) nothing is computed.
 *
 * <pre>{@code
 * try (ActivityLosses.Scope s = ActivityLosses.open()) {
 *     Pass p = forward(...);
 *     double penalty = s.total();
 * }
 * }</pre>
 */
public final class ActivityLosses {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private ActivityLosses() {}

    /** One step's collection; closing it ends collection on this thread. */
    public static final class Scope implements AutoCloseable {
        private final Scope outer;
        private double total;

        private Scope(Scope outer) { this.outer = outer; }

        /** The sum of the penalties added so far. */
        public double total() { return total; }

        @Override
        public void close() { CURRENT.set(outer); }
    }

    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /**
     * Adds the layer's activity penalty on the pass's outputs to the open scope and returns a pass whose backward
     * also carries the penalty's gradient; returns the pass unchanged when no scope is open.
     */
    public static Pass apply(Regularizer r, Pass pass) {
        Scope s = CURRENT.get();
        if (r == null || s == null) return pass;
        for (Tensor t : pass.outputs) if (t != null) s.total += r.value(t.data());
        return new Pass(pass.outputs, pass.mask) {
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] g = new Tensor[pass.outputs.length];
                for (int i = 0; i < g.length; i++) {
                    Tensor out = pass.outputs[i];
                    float[] d = i < grads.length && grads[i] != null ? grads[i].data().clone() : new float[out.size()];
                    r.addGradient(out.data(), d);
                    g[i] = Tensor.of(d, out.shape());
                }
                return pass.backward(g);
            }
        };
    }
}
