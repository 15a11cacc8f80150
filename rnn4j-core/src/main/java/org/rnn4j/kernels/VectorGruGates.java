package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GruGates} on the Vector API, as {@link VectorLstmGates}: sigmoid and tanh from {@link VectorExp}, whole
 * vectors of units per call of a small method, the tail on {@link JavaGruGates}. Only loaded when the module is present.
 */
final class VectorGruGates implements GruGates {
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();

    @Override
    public void forwardResetAfter(int batch, int units, float[] pre, int pOff, float[] rech, int rOff, float[] gates,
                                  int gOff, float[] hPrev, int hPrevOff, float[] h, int hOff) {
        int w = 3 * units, body = units - units % L;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < body; j += L) {
                forwardChunk(pre, pr + j, units, rech, rOff + sr + j, gates, gr + j, hPrev, hPrevOff + sr + j, h, hOff + sr + j);
            }
        }
        if (body < units) JavaGruGates.forward(batch, units, body, units, pre, pOff, rech, rOff, gates, gOff, hPrev, hPrevOff, h, hOff);
    }

    @Override
    public void backwardResetAfter(int batch, int units, float[] rech, int rOff, float[] gates, int gOff,
                                   float[] hPrev, int hPrevOff, float[] dh, int sOff, float[] dPre, int dOff,
                                   float[] dRech) {
        int w = 3 * units, body = units - units % L;
        for (int b = 0; b < batch; b++) {
            int gr = gOff + b * w, dr = dOff + b * w, sr = b * units;
            for (int j = 0; j < body; j += L) {
                backwardChunk(rech, rOff + sr + j, gates, gr + j, units, hPrev, hPrevOff + sr + j, dh, sOff + sr + j,
                        dPre, dr + j, dRech);
            }
        }
        if (body < units) {
            JavaGruGates.backward(batch, units, body, units, rech, rOff, gates, gOff, hPrev, hPrevOff, dh, sOff, dPre, dOff, dRech);
        }
    }

    // sigmoid(x) = 1 / (1 + e^-x) and tanh(x) = 2 / (1 + e^-2x) - 1 are written out in each chunk method (as in VectorLstmGates): a helper
    // method taking or returning a vector boxes it whenever C2 does not inline it (a training step then allocated
    // about 1 MB and ran 1.8x slower), so no vector crosses a method boundary here.
    private static void forwardChunk(float[] pre, int po, int units, float[] rech, int ro, float[] gates, int go,
                                     float[] hPrev, int hp, float[] h, int ho) {
        // e^-x of the update and reset pre-activations, staged in the gates' own slots.
        VectorExp.into(pre, po, -1f, gates, go);
        VectorExp.into(pre, po + units, -1f, gates, go + units);
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        FloatVector z = one.div(FloatVector.fromArray(S, gates, go).add(one));
        FloatVector r = one.div(FloatVector.fromArray(S, gates, go + units).add(one));
        FloatVector ph = FloatVector.fromArray(S, pre, po + 2 * units).add(r.mul(FloatVector.fromArray(S, rech, ro)));
        ph.intoArray(pre, po + 2 * units);
        VectorExp.into(pre, po + 2 * units, -2f, gates, go + 2 * units);
        FloatVector hh = two.div(FloatVector.fromArray(S, gates, go + 2 * units).add(one)).sub(one);
        z.intoArray(gates, go);
        r.intoArray(gates, go + units);
        hh.intoArray(gates, go + 2 * units);
        z.mul(FloatVector.fromArray(S, hPrev, hp)).add(one.sub(z).mul(hh)).intoArray(h, ho);
    }

    private static void backwardChunk(float[] rech, int ro, float[] gates, int go, int units, float[] hPrev, int hp,
                                      float[] dh, int so, float[] dPre, int dpo, float[] dRech) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector z = FloatVector.fromArray(S, gates, go);
        FloatVector r = FloatVector.fromArray(S, gates, go + units);
        FloatVector hh = FloatVector.fromArray(S, gates, go + 2 * units);
        FloatVector g = FloatVector.fromArray(S, dh, so);
        FloatVector dPh = g.mul(one.sub(z)).mul(one.sub(hh.mul(hh)));
        g.mul(FloatVector.fromArray(S, hPrev, hp).sub(hh)).mul(z.mul(one.sub(z))).intoArray(dPre, dpo);
        dPh.mul(FloatVector.fromArray(S, rech, ro)).mul(r.mul(one.sub(r))).intoArray(dPre, dpo + units);
        dPh.intoArray(dPre, dpo + 2 * units);
        dPh.mul(r).intoArray(dRech, ro);
        g.mul(z).intoArray(dh, so);
    }
}
