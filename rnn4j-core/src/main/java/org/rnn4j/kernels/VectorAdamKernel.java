package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AdamKernel} on the Vector API: whole vectors of elements, the few elements before the first aligned vector
 * and after the last whole one on {@link JavaAdamKernel}. The same operations in the same order as the plain-Java
 * loop (lane-wise add, subtract, multiply, divide, sqrt and max are IEEE float32 operations, correctly rounded, and
 * nothing is fused), so the two give the same bits. Only loaded when the module is present.
 */
final class VectorAdamKernel implements AdamKernel {
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();

    @Override
    public void update(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to,
                       float alpha, float beta1, float beta2, float epsilon) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        // A float[]'s elements start 16 bytes into the object (compressed class pointers, the default), and a
        // large array (a G1 humongous object) starts a region: so element i is vector-aligned where
        // (i + 4) % L == 0. Vectors from there split no cache line (at 512 bits every unaligned vector splits one;
        // a 1M-float update ran 250 instead of 320 us). Only a guess about addresses: a wrong one costs speed,
        // never bits.
        int start = Math.min(to, from + Math.floorMod(L - 4 - from, L));
        JavaAdamKernel.range(w, g, m, v, vMax, from, start, alpha, beta1, beta2, epsilon);
        from = start;
        int body = from + (to - from) / L * L;
        if (vMax == null) {
            for (int i = from; i < body; i += L) step(w, g, m, v, i, alpha, c1, c2, epsilon);
        } else {
            for (int i = from; i < body; i += L) stepAmsgrad(w, g, m, v, vMax, i, alpha, c1, c2, epsilon);
        }
        JavaAdamKernel.range(w, g, m, v, vMax, body, to, alpha, beta1, beta2, epsilon);
    }

    // One vector per call, no vector crossing a method boundary (a vector C2 does not keep in registers is boxed).

    private static void step(float[] w, float[] g, float[] m, float[] v, int i, float alpha, float c1, float c2,
                             float epsilon) {
        FloatVector gv = FloatVector.fromArray(S, g, i);
        FloatVector mv = FloatVector.fromArray(S, m, i);
        FloatVector vv = FloatVector.fromArray(S, v, i);
        mv = mv.add(gv.sub(mv).mul(c1));
        vv = vv.add(gv.mul(gv).sub(vv).mul(c2));
        mv.intoArray(m, i);
        vv.intoArray(v, i);
        FloatVector wv = FloatVector.fromArray(S, w, i);
        wv.sub(mv.mul(alpha).div(vv.sqrt().add(epsilon))).intoArray(w, i);
    }

    private static void stepAmsgrad(float[] w, float[] g, float[] m, float[] v, float[] vMax, int i, float alpha,
                                    float c1, float c2, float epsilon) {
        FloatVector gv = FloatVector.fromArray(S, g, i);
        FloatVector mv = FloatVector.fromArray(S, m, i);
        FloatVector vv = FloatVector.fromArray(S, v, i);
        mv = mv.add(gv.sub(mv).mul(c1));
        vv = vv.add(gv.mul(gv).sub(vv).mul(c2));
        mv.intoArray(m, i);
        vv.intoArray(v, i);
        // Lane-wise max is Math.max: NaN if either is NaN, +0 above -0.
        FloatVector uv = FloatVector.fromArray(S, vMax, i).max(vv);
        uv.intoArray(vMax, i);
        FloatVector wv = FloatVector.fromArray(S, w, i);
        wv.sub(mv.mul(alpha).div(uv.sqrt().add(epsilon))).intoArray(w, i);
    }
}
