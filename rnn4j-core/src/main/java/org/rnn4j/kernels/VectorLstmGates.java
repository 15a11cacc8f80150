package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LstmGates} on the Vector API: sigmoid and tanh from {@link VectorExp} (the same
 * values as {@link FastMath}, so body and tail agree and results do not change as the JIT warms up), whole
 * vectors of units per iteration, the tail on {@link FastMath}. Only loaded when the module is present.
 */
final class VectorLstmGates implements LstmGates {
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();
    private final JavaLstmGates tail = new JavaLstmGates();

    @Override
    public void forward(int batch, int units, float[] z, int zOff, float[] gates, int gOff,
                        float[] c, int cPrevOff, int cOff, float[] h, int hOff) {
        int w = 4 * units, body = units - units % L;
        for (int b = 0; b < batch; b++) {
            int zr = zOff + b * w, gr = gOff + b * w, sr = b * units;
            // In passes over the row, each a loop of independent vectors: the four gates' exps, then the gates and
            // the cell, then exp(-2c), then h. One vector going through all of it at a time (one chain of some 40
            // dependent operations) kept the core waiting on latencies; a pass keeps it busy with the next vector.
            for (int j = 0; j < body; j += L) gateExps(z, zr + j, units, gates, gr + j);
            for (int j = 0; j < body; j += L) gatesAndCell(units, gates, gr + j, c, cPrevOff + sr + j, cOff + sr + j);
            for (int j = 0; j < body; j += L) VectorExp.into(c, cOff + sr + j, -2f, h, hOff + sr + j);
            for (int j = 0; j < body; j += L) hidden(gates, gr + j + 3 * units, h, hOff + sr + j);
        }
        if (body < units) {
            // The last units % L units of every row, scalar.
            for (int b = 0; b < batch; b++) {
                for (int j = body; j < units; j++) {
                    int zr = zOff + b * w, gr = gOff + b * w, sr = b * units;
                    float i = FastMath.sigmoid(z[zr + j]), f = FastMath.sigmoid(z[zr + units + j]);
                    float g = FastMath.tanh(z[zr + 2 * units + j]), o = FastMath.sigmoid(z[zr + 3 * units + j]);
                    gates[gr + j] = i;
                    gates[gr + units + j] = f;
                    gates[gr + 2 * units + j] = g;
                    gates[gr + 3 * units + j] = o;
                    float cn = f * c[cPrevOff + sr + j] + i * g;
                    c[cOff + sr + j] = cn;
                    h[hOff + sr + j] = o * FastMath.tanh(cn);
                }
            }
        }
    }

    @Override
    public void backward(int batch, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                         float[] dh, float[] dc, int dOff, float[] dz, int dzOff) {
        if (units < L) {
            tail.backward(batch, units, gates, gOff, c, cPrevOff, cOff, dh, dc, dOff, dz, dzOff);
            return;
        }
        int w = 4 * units, body = units - units % L;
        for (int b = 0; b < batch; b++) {
            int gr = gOff + b * w, sr = b * units, dr = dzOff + b * w, ds = dOff + sr;
            for (int j = 0; j < body; j += L) backwardChunk(gates, gr + j, units, c, cPrevOff + sr + j, cOff + sr + j, dh, dc, ds + j, dz, dr + j);
            for (int j = body; j < units; j++) {
                float i = gates[gr + j], f = gates[gr + units + j], g = gates[gr + 2 * units + j], o = gates[gr + 3 * units + j];
                float ac = FastMath.tanh(c[cOff + sr + j]);
                float dhj = dh[ds + j];
                float dcj = dc[ds + j] + dhj * o * (1f - ac * ac);
                dz[dr + j] = dcj * g * i * (1f - i);
                dz[dr + units + j] = dcj * c[cPrevOff + sr + j] * f * (1f - f);
                dz[dr + 2 * units + j] = dcj * i * (1f - g * g);
                dz[dr + 3 * units + j] = dhj * ac * o * (1f - o);
                dc[ds + j] = dcj * f;
            }
        }
    }

    // One vector of units per call: small methods C2 compiles with every vector operation intrinsified (one large
    // method with both loops ran the Vector API's scalar fallbacks, about 50x slower).
    // sigmoid(x) = 1 / (1 + e^-x) and tanh(x) = 2 / (1 + e^-2x) - 1, with e^.. from VectorExp through arrays: a
    // helper method taking or returning a vector boxes it whenever C2 does not inline it (a training step then
    // allocated about 1 MB and ran 1.8x slower), so no vector crosses a method boundary here.

    /** e^-x of each gate's pre-activations (e^-2x for the candidate), staged in the gates' own slots. */
    private static void gateExps(float[] z, int zo, int units, float[] gates, int go) {
        VectorExp.into(z, zo, -1f, gates, go);
        VectorExp.into(z, zo + units, -1f, gates, go + units);
        VectorExp.into(z, zo + 2 * units, -2f, gates, go + 2 * units);
        VectorExp.into(z, zo + 3 * units, -1f, gates, go + 3 * units);
    }

    /** The gates from their staged exps, and the new cell state c = f c_prev + i g. */
    private static void gatesAndCell(int units, float[] gates, int go, float[] c, int cp, int co) {
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        FloatVector i = one.div(FloatVector.fromArray(S, gates, go).add(one));
        FloatVector f = one.div(FloatVector.fromArray(S, gates, go + units).add(one));
        FloatVector g = two.div(FloatVector.fromArray(S, gates, go + 2 * units).add(one)).sub(one);
        FloatVector o = one.div(FloatVector.fromArray(S, gates, go + 3 * units).add(one));
        i.intoArray(gates, go);
        f.intoArray(gates, go + units);
        g.intoArray(gates, go + 2 * units);
        o.intoArray(gates, go + 3 * units);
        f.mul(FloatVector.fromArray(S, c, cp)).add(i.mul(g)).intoArray(c, co);
    }

    /** h = o tanh(c), from e^-2c staged in h. */
    private static void hidden(float[] gates, int oo, float[] h, int ho) {
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        FloatVector.fromArray(S, gates, oo).mul(two.div(FloatVector.fromArray(S, h, ho).add(one)).sub(one)).intoArray(h, ho);
    }

    private static void backwardChunk(float[] gates, int go, int units, float[] c, int cp, int co,
                                      float[] dh, float[] dc, int so, float[] dz, int dzo) {
        VectorExp.into(c, co, -2f, dz, dzo + 3 * units); // e^-2c, staged where dz's last gate goes below
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        FloatVector i = FloatVector.fromArray(S, gates, go);
        FloatVector f = FloatVector.fromArray(S, gates, go + units);
        FloatVector g = FloatVector.fromArray(S, gates, go + 2 * units);
        FloatVector o = FloatVector.fromArray(S, gates, go + 3 * units);
        FloatVector ac = two.div(FloatVector.fromArray(S, dz, dzo + 3 * units).add(one)).sub(one);
        FloatVector dhj = FloatVector.fromArray(S, dh, so);
        // dc += dh * o * tanh'(c); then the four gate pre-activation gradients.
        FloatVector dcj = FloatVector.fromArray(S, dc, so).add(dhj.mul(o).mul(one.sub(ac.mul(ac))));
        dcj.mul(g).mul(i.mul(one.sub(i))).intoArray(dz, dzo);
        dcj.mul(FloatVector.fromArray(S, c, cp)).mul(f.mul(one.sub(f))).intoArray(dz, dzo + units);
        dcj.mul(i).mul(one.sub(g.mul(g))).intoArray(dz, dzo + 2 * units);
        dhj.mul(ac).mul(o.mul(one.sub(o))).intoArray(dz, dzo + 3 * units);
        dcj.mul(f).intoArray(dc, so);
    }
}
