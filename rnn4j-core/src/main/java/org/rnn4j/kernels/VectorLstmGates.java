package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LstmGates} on the Vector API: sigmoid and tanh from the vector {@code EXP} (an intrinsic on x86), whole
 * vectors of units per iteration, the tail on {@link FastMath}. Only loaded when the module is present.
 */
final class VectorLstmGates implements LstmGates {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private final JavaLstmGates tail = new JavaLstmGates();

    @Override
    public void forward(int batch, int units, float[] z, int zOff, float[] gates, int gOff,
                        float[] c, int cPrevOff, int cOff, float[] h, int hOff) {
        int w = 4 * units, body = units - units % L;
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        for (int b = 0; b < batch; b++) {
            int zr = zOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < body; j += L) {
                // sigmoid(x) = 1 / (1 + e^-x); tanh(x) = 2 / (1 + e^-2x) - 1.
                FloatVector i = one.div(FloatVector.fromArray(S, z, zr + j).neg().lanewise(VectorOperators.EXP).add(one));
                FloatVector f = one.div(FloatVector.fromArray(S, z, zr + units + j).neg().lanewise(VectorOperators.EXP).add(one));
                FloatVector g = two.div(FloatVector.fromArray(S, z, zr + 2 * units + j).mul(-2f).lanewise(VectorOperators.EXP).add(one)).sub(one);
                FloatVector o = one.div(FloatVector.fromArray(S, z, zr + 3 * units + j).neg().lanewise(VectorOperators.EXP).add(one));
                i.intoArray(gates, gr + j);
                f.intoArray(gates, gr + units + j);
                g.intoArray(gates, gr + 2 * units + j);
                o.intoArray(gates, gr + 3 * units + j);
                FloatVector cn = f.mul(FloatVector.fromArray(S, c, cPrevOff + sr + j)).add(i.mul(g));
                cn.intoArray(c, cOff + sr + j);
                FloatVector ac = two.div(cn.mul(-2f).lanewise(VectorOperators.EXP).add(one)).sub(one);
                o.mul(ac).intoArray(h, hOff + sr + j);
            }
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
                         float[] dh, float[] dc, float[] dz, int dzOff) {
        if (units < L) {
            tail.backward(batch, units, gates, gOff, c, cPrevOff, cOff, dh, dc, dz, dzOff);
            return;
        }
        int w = 4 * units, body = units - units % L;
        FloatVector one = FloatVector.broadcast(S, 1f), two = FloatVector.broadcast(S, 2f);
        for (int b = 0; b < batch; b++) {
            int gr = gOff + b * w, sr = b * units, dr = dzOff + b * w;
            for (int j = 0; j < body; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, gr + j);
                FloatVector f = FloatVector.fromArray(S, gates, gr + units + j);
                FloatVector g = FloatVector.fromArray(S, gates, gr + 2 * units + j);
                FloatVector o = FloatVector.fromArray(S, gates, gr + 3 * units + j);
                FloatVector ac = two.div(FloatVector.fromArray(S, c, cOff + sr + j).mul(-2f).lanewise(VectorOperators.EXP).add(one)).sub(one);
                FloatVector dhj = FloatVector.fromArray(S, dh, sr + j);
                // dc += dh * o * tanh'(c); then the four gate pre-activation gradients.
                FloatVector dcj = FloatVector.fromArray(S, dc, sr + j).add(dhj.mul(o).mul(one.sub(ac.mul(ac))));
                dcj.mul(g).mul(i.mul(one.sub(i))).intoArray(dz, dr + j);
                dcj.mul(FloatVector.fromArray(S, c, cPrevOff + sr + j)).mul(f.mul(one.sub(f))).intoArray(dz, dr + units + j);
                dcj.mul(i).mul(one.sub(g.mul(g))).intoArray(dz, dr + 2 * units + j);
                dhj.mul(ac).mul(o.mul(one.sub(o))).intoArray(dz, dr + 3 * units + j);
                dcj.mul(f).intoArray(dc, sr + j);
            }
            for (int j = body; j < units; j++) {
                float i = gates[gr + j], f = gates[gr + units + j], g = gates[gr + 2 * units + j], o = gates[gr + 3 * units + j];
                float ac = FastMath.tanh(c[cOff + sr + j]);
                float dhj = dh[sr + j];
                float dcj = dc[sr + j] + dhj * o * (1f - ac * ac);
                dz[dr + j] = dcj * g * i * (1f - i);
                dz[dr + units + j] = dcj * c[cPrevOff + sr + j] * f * (1f - f);
                dz[dr + 2 * units + j] = dcj * i * (1f - g * g);
                dz[dr + 3 * units + j] = dhj * ac * o * (1f - o);
                dc[sr + j] = dcj * f;
            }
        }
    }
}
