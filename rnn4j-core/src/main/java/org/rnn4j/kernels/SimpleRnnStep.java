package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * The elementwise part of one SimpleRNN step for a batch, forward and backward side by side:
 * {@code h' = act(pre)} with {@code pre = x·W + b + h·U} computed by the caller.
 * {@code pre}, {@code h} and {@code dPre} are {@code [batch, units]} at their offsets.
 *
 * <pre>{@code
 * // pre [batch, units] = x·W + b + h·U for this step
 * SimpleRnnStep.forward(batch, units, tanh, pre, 0, h, hOff);                   // h' = tanh(pre)
 * SimpleRnnStep.backward(batch, units, tanh, pre, 0, h, hOff, dh, 0, dPre, 0);  // dPre = dh * tanh'(pre)
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions that write only the output arrays they are given.
 */
public final class SimpleRnnStep {
    private SimpleRnnStep() {}

    /**
     * {@code h' = act(pre)}. {@code pre}: not modified. {@code h}: written at {@code hOff}.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void forward(int batch, int units, Activation act, float[] pre, int pOff, float[] h, int hOff) {
        int n = batch * units;
        for (int i = 0; i < n; i++) h[hOff + i] = act.apply(pre[pOff + i]);
    }

    /**
     * {@code dPre = dh * act'(pre)}. The previous state reaches {@code h'} only through the recurrent kernel, so
     * {@code dh} is zeroed (its direct-path gradient).
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void backward(int batch, int units, Activation act, float[] pre, int pOff, float[] h, int hOff,
                                float[] dh, int sOff, float[] dPre, int dOff) {
        int n = batch * units;
        for (int i = 0; i < n; i++) {
            dPre[dOff + i] = dh[sOff + i] * act.derivative(pre[pOff + i], h[hOff + i]);
            dh[sOff + i] = 0f;
        }
    }
}
