package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * The fused gate math of one LSTM step for a batch, forward and backward side by side. The matrix multiplies
 * around it (input projection, recurrent product) are done by the caller.
 *
 * <p>Forward, per row with pre-activations {@code z = [z_i, z_f, z_c, z_o]} (Keras's gate order):
 * {@code i = ra(z_i), f = ra(z_f), g = act(z_c), o = ra(z_o), c = f*c_prev + i*g, h = o*act(c)}.
 *
 * <pre>{@code
 * // z [batch, 4*units] = x·W + h·U + b for this step; c holds c_prev at cPrevOff, gets c at cOff; h gets h at hOff
 * LstmStep.forward(batch, units, tanh, sigmoid, z, 0, gates, 0, c, cPrevOff, cOff, h, hOff);
 * LstmStep.backward(batch, units, tanh, sigmoid, z, 0, gates, 0, c, cPrevOff, cOff, dh, dc, 0, dz, 0);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions that write only the output arrays they are given.
 */
public final class LstmStep {
    private static final Activation TANH = Activation.get("tanh"), SIGMOID = Activation.get("sigmoid");
    /** The specialised gate math for Keras's default activations (tanh, sigmoid). */
    private static final LstmGates FAST = Kernels.lstmGates();

    private LstmStep() {}

    /**
     * True when {@code act}, {@code ract} take the specialised path (Keras's defaults: tanh, sigmoid).
     * Thread-safe: a pure function.
     */
    public static boolean specialised(Activation act, Activation ract) { return act == TANH && ract == SIGMOID; }

    /**
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     * @param z      pre-activations {@code [batch, 4*units]} at {@code zOff}; not modified
     * @param gates  activated gates {@code [batch, 4*units]} at {@code gOff}; modified
     * @param c      cell states: previous at {@code cPrevOff}, next written at {@code cOff}
     * @param h      hidden states: next written at {@code hOff}
     */
    public static void forward(int batch, int units, Activation act, Activation ract,
                               float[] z, int zOff, float[] gates, int gOff,
                               float[] c, int cPrevOff, int cOff, float[] h, int hOff) {
        if (act == TANH && ract == SIGMOID) {
            FAST.forward(batch, units, z, zOff, gates, gOff, c, cPrevOff, cOff, h, hOff);
            return;
        }
        int w = 4 * units;
        for (int b = 0; b < batch; b++) {
            int zr = zOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float i = ract.apply(z[zr + j]);
                float f = ract.apply(z[zr + units + j]);
                float g = act.apply(z[zr + 2 * units + j]);
                float o = ract.apply(z[zr + 3 * units + j]);
                gates[gr + j] = i;
                gates[gr + units + j] = f;
                gates[gr + 2 * units + j] = g;
                gates[gr + 3 * units + j] = o;
                float cn = f * c[cPrevOff + sr + j] + i * g;
                c[cOff + sr + j] = cn;
                h[hOff + sr + j] = o * act.apply(cn);
            }
        }
    }

    /**
     * Backward of {@link #forward}. On entry {@code dh}, {@code dc} hold the gradients with respect to the step's
     * output states (rows at {@code dOff}); on exit {@code dc} holds the gradient with respect to {@code c_prev} ({@code dh} is left as is).
     * Writes {@code dz}, the gradient with respect to the pre-activations, at {@code dzOff}.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void backward(int batch, int units, Activation act, Activation ract,
                                float[] z, int zOff, float[] gates, int gOff,
                                float[] c, int cPrevOff, int cOff,
                                float[] dh, float[] dc, int dOff, float[] dz, int dzOff) {
        if (act == TANH && ract == SIGMOID) {
            FAST.backward(batch, units, gates, gOff, c, cPrevOff, cOff, dh, dc, dOff, dz, dzOff);
            return;
        }
        int w = 4 * units;
        for (int b = 0; b < batch; b++) {
            int zr = zOff + b * w, gr = gOff + b * w, sr = b * units, dr = dzOff + b * w, ds = dOff + sr;
            for (int j = 0; j < units; j++) {
                float i = gates[gr + j], f = gates[gr + units + j], g = gates[gr + 2 * units + j], o = gates[gr + 3 * units + j];
                float cn = c[cOff + sr + j];
                float ac = act.apply(cn);
                float dhj = dh[ds + j];
                float dcj = dc[ds + j] + dhj * o * act.derivative(cn, ac);
                dz[dr + j] = dcj * g * ract.derivative(z[zr + j], i);
                dz[dr + units + j] = dcj * c[cPrevOff + sr + j] * ract.derivative(z[zr + units + j], f);
                dz[dr + 2 * units + j] = dcj * i * act.derivative(z[zr + 2 * units + j], g);
                dz[dr + 3 * units + j] = dhj * ac * ract.derivative(z[zr + 3 * units + j], o);
                dc[ds + j] = dcj * f;
            }
        }
    }
}
