package org.rnn4j.kernels;

import org.rnn4j.activations.Activation;

/**
 * The fused gate math of one GRU step for a batch, forward and backward side by side, for both of Keras's
 * variants. Gate blocks are Keras's {@code z, r, h}; the matrix multiplies around the gate math (input projection,
 * recurrent products) are done by the caller.
 *
 * <p>{@code reset_after=true} (Keras 3 default), with {@code pre} already holding
 * {@code x·W + b_in + h·U + b_rec} in its z and r blocks and {@code x·W_h + b_in_h} in its h block, and
 * {@code rech = h·U_h + b_rec_h}: {@code z = ra(pre_z)}, {@code r = ra(pre_r)},
 * {@code hh = act(pre_h + r*rech)}, {@code h' = z*h + (1-z)*hh}.
 *
 * <p>{@code reset_after=false}: {@link #gates} gives {@code z}, {@code r} and {@code rh = r*h}; the caller adds
 * {@code rh·U_h} to the h block; {@link #candidate} gives {@code hh = act(pre_h)} and {@code h'}.
 *
 * <p>Layouts: {@code pre}, {@code gates} and {@code dPre} are {@code [batch, 3*units]} at their offsets; the state
 * arrays and {@code rech}/{@code rh} are {@code [batch, units]}; the state gradients ({@code dh}, {@code dRh},
 * {@code dHRec}) are {@code [batch, units]} rows at {@code sOff}, so a block of rows can pass the whole batch's array.
 * With Keras's default activations (tanh, sigmoid) the {@code reset_after} step runs on {@link GruGates}.
 *
 * <pre>{@code
 * // one reset_after step of the whole batch: pre [batch, 3*units] holds x·W + b_in (+ h·U + b_rec in z and r),
 * // rech [batch, units] holds h·U_h + b_rec_h; writes the gates and the next state h at hOff
 * GruStep.forwardResetAfter(batch, units, tanh, sigmoid, pre, 0, rech, 0, gates, 0, hPrev, 0, h, hOff);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions that write only the output arrays they are given.
 */
public final class GruStep {
    private static final Activation TANH = Activation.get("tanh"), SIGMOID = Activation.get("sigmoid");
    /** The specialised {@code reset_after} gate math for Keras's default activations (tanh, sigmoid). */
    private static final GruGates FAST = Kernels.gruGates();

    private GruStep() {}

    /**
     * Forward of the {@code reset_after=true} step. {@code pre}: modified (its h block becomes
     * {@code pre_h + r*rech}, the candidate's pre-activation, kept for backward). {@code gates}: modified
     * (z, r, hh). {@code h}: the next state is written at {@code hOff}; {@code hPrev} is not modified.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void forwardResetAfter(int batch, int units, Activation act, Activation ract,
                                         float[] pre, int pOff, float[] rech, int rOff, float[] gates, int gOff,
                                         float[] hPrev, int hPrevOff, float[] h, int hOff) {
        if (act == TANH && ract == SIGMOID) {
            FAST.forwardResetAfter(batch, units, pre, pOff, rech, rOff, gates, gOff, hPrev, hPrevOff, h, hOff);
            return;
        }
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float z = ract.apply(pre[pr + j]);
                float r = ract.apply(pre[pr + units + j]);
                float ph = pre[pr + 2 * units + j] + r * rech[rOff + sr + j];
                pre[pr + 2 * units + j] = ph;
                float hh = act.apply(ph);
                gates[gr + j] = z;
                gates[gr + units + j] = r;
                gates[gr + 2 * units + j] = hh;
                h[hOff + sr + j] = z * hPrev[hPrevOff + sr + j] + (1f - z) * hh;
            }
        }
    }

    /**
     * Backward of {@link #forwardResetAfter}. On entry {@code dh} holds the gradient with respect to the step's
     * output; on exit it holds the gradient with respect to {@code hPrev} along the direct path {@code z*h}.
     * Writes the gradient with respect to {@code pre} (z, r blocks: also the gradient of {@code h·U + b_rec} there;
     * h block: that of {@code x·W_h + b_in_h}) at {@code dOff}, and the gradient with respect to {@code rech}
     * into {@code dRech} at {@code rOff}.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void backwardResetAfter(int batch, int units, Activation act, Activation ract,
                                          float[] pre, int pOff, float[] rech, int rOff, float[] gates, int gOff,
                                          float[] hPrev, int hPrevOff, float[] dh, int sOff,
                                          float[] dPre, int dOff, float[] dRech) {
        if (act == TANH && ract == SIGMOID) {
            FAST.backwardResetAfter(batch, units, rech, rOff, gates, gOff, hPrev, hPrevOff, dh, sOff, dPre, dOff, dRech);
            return;
        }
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, dr = dOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float z = gates[gr + j], r = gates[gr + units + j], hh = gates[gr + 2 * units + j];
                float g = dh[sOff + sr + j];
                float dPh = g * (1f - z) * act.derivative(pre[pr + 2 * units + j], hh);
                dPre[dr + j] = g * (hPrev[hPrevOff + sr + j] - hh) * ract.derivative(pre[pr + j], z);
                dPre[dr + units + j] = dPh * rech[rOff + sr + j] * ract.derivative(pre[pr + units + j], r);
                dPre[dr + 2 * units + j] = dPh;
                dRech[rOff + sr + j] = dPh * r;
                dh[sOff + sr + j] = g * z;
            }
        }
    }

    /**
     * First half of the {@code reset_after=false} step: {@code z = ra(pre_z)}, {@code r = ra(pre_r)} into
     * {@code gates}, and {@code rh = r*hRec} (the state the candidate's recurrent product uses) at {@code rOff}.
     * {@code pre} is not modified.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void gates(int batch, int units, Activation ract, float[] pre, int pOff, float[] gates, int gOff,
                             float[] hRec, int hRecOff, float[] rh, int rOff) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float z = ract.apply(pre[pr + j]);
                float r = ract.apply(pre[pr + units + j]);
                gates[gr + j] = z;
                gates[gr + units + j] = r;
                rh[rOff + sr + j] = r * hRec[hRecOff + sr + j];
            }
        }
    }

    /**
     * Second half of the {@code reset_after=false} step, once the h block of {@code pre} holds
     * {@code x·W_h + b_h + rh·U_h}: {@code hh = act(pre_h)} into {@code gates}, {@code h' = z*h + (1-z)*hh}.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void candidate(int batch, int units, Activation act, float[] pre, int pOff, float[] gates, int gOff,
                                 float[] hPrev, int hPrevOff, float[] h, int hOff) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float z = gates[gr + j];
                float hh = act.apply(pre[pr + 2 * units + j]);
                gates[gr + 2 * units + j] = hh;
                h[hOff + sr + j] = z * hPrev[hPrevOff + sr + j] + (1f - z) * hh;
            }
        }
    }

    /**
     * Backward of {@link #candidate}: writes the gradients with respect to the z and h blocks of {@code pre}, and
     * turns {@code dh} into the gradient with respect to {@code hPrev} along the direct path {@code z*h}.
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void backwardCandidate(int batch, int units, Activation act, Activation ract,
                                         float[] pre, int pOff, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                                         float[] dh, int sOff, float[] dPre, int dOff) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, dr = dOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float z = gates[gr + j], hh = gates[gr + 2 * units + j];
                float g = dh[sOff + sr + j];
                dPre[dr + j] = g * (hPrev[hPrevOff + sr + j] - hh) * ract.derivative(pre[pr + j], z);
                dPre[dr + 2 * units + j] = g * (1f - z) * act.derivative(pre[pr + 2 * units + j], hh);
                dh[sOff + sr + j] = g * z;
            }
        }
    }

    /**
     * Backward of {@link #gates}, given {@code dRh}, the gradient with respect to {@code rh}: writes the r block of
     * {@code dPre} and sets {@code dHRec = dRh * r} (the caller adds the z and r blocks' recurrent products).
     * Thread-safe: writes only the output arrays given; concurrent calls with distinct outputs are independent.
     */
    public static void backwardGates(int batch, int units, Activation ract, float[] pre, int pOff,
                                     float[] gates, int gOff, float[] hRec, int hRecOff, float[] dRh,
                                     float[] dPre, int dOff, float[] dHRec, int sOff) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, dr = dOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float r = gates[gr + units + j];
                float g = dRh[sOff + sr + j];
                dPre[dr + units + j] = g * hRec[hRecOff + sr + j] * ract.derivative(pre[pr + units + j], r);
                dHRec[sOff + sr + j] = g * r;
            }
        }
    }
}
