package org.rnn4j.kernels;

/**
 * The GRU gate math of {@link GruStep}'s {@code reset_after} step (Keras 3's default) specialised for Keras's
 * default activations (tanh, sigmoid recurrent activation), where the transcendental functions are most of the
 * cost of a step after the matrix multiplies. Same arguments and results as {@link GruStep#forwardResetAfter} and
 * {@link GruStep#backwardResetAfter}; implementations agree with the generic path within float32 rounding.
 */
interface GruGates {
    void forwardResetAfter(int batch, int units, float[] pre, int pOff, float[] rech, int rOff, float[] gates, int gOff,
                           float[] hPrev, int hPrevOff, float[] h, int hOff);

    void backwardResetAfter(int batch, int units, float[] rech, int rOff, float[] gates, int gOff,
                            float[] hPrev, int hPrevOff, float[] dh, int sOff, float[] dPre, int dOff, float[] dRech);
}
