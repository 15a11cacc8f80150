package org.rnn4j.kernels;

/** Plain-Java {@link GruGates} on {@link FastMath}; also the tail (units past the last whole vector) of the Vector API version. */
final class JavaGruGates implements GruGates {
    @Override
    public void forwardResetAfter(int batch, int units, float[] pre, int pOff, float[] rech, int rOff, float[] gates,
                                  int gOff, float[] hPrev, int hPrevOff, float[] h, int hOff) {
        forward(batch, units, 0, units, pre, pOff, rech, rOff, gates, gOff, hPrev, hPrevOff, h, hOff);
    }

    @Override
    public void backwardResetAfter(int batch, int units, float[] rech, int rOff, float[] gates, int gOff,
                                   float[] hPrev, int hPrevOff, float[] dh, int sOff, float[] dPre, int dOff,
                                   float[] dRech) {
        backward(batch, units, 0, units, rech, rOff, gates, gOff, hPrev, hPrevOff, dh, sOff, dPre, dOff, dRech);
    }

    /** {@link #forwardResetAfter} for units {@code j0 <= j < j1} of every row. */
    static void forward(int batch, int units, int j0, int j1, float[] pre, int pOff, float[] rech, int rOff,
                        float[] gates, int gOff, float[] hPrev, int hPrevOff, float[] h, int hOff) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int pr = pOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = j0; j < j1; j++) {
                float z = FastMath.sigmoid(pre[pr + j]);
                float r = FastMath.sigmoid(pre[pr + units + j]);
                float ph = pre[pr + 2 * units + j] + r * rech[rOff + sr + j];
                pre[pr + 2 * units + j] = ph;
                float hh = FastMath.tanh(ph);
                gates[gr + j] = z;
                gates[gr + units + j] = r;
                gates[gr + 2 * units + j] = hh;
                h[hOff + sr + j] = z * hPrev[hPrevOff + sr + j] + (1f - z) * hh;
            }
        }
    }

    /** {@link #backwardResetAfter} for units {@code j0 <= j < j1} of every row. */
    static void backward(int batch, int units, int j0, int j1, float[] rech, int rOff, float[] gates, int gOff,
                         float[] hPrev, int hPrevOff, float[] dh, int sOff, float[] dPre, int dOff, float[] dRech) {
        int w = 3 * units;
        for (int b = 0; b < batch; b++) {
            int gr = gOff + b * w, dr = dOff + b * w, sr = b * units;
            for (int j = j0; j < j1; j++) {
                float z = gates[gr + j], r = gates[gr + units + j], hh = gates[gr + 2 * units + j];
                float g = dh[sOff + sr + j];
                float dPh = g * (1f - z) * (1f - hh * hh);
                dPre[dr + j] = g * (hPrev[hPrevOff + sr + j] - hh) * (z * (1f - z));
                dPre[dr + units + j] = dPh * rech[rOff + sr + j] * (r * (1f - r));
                dPre[dr + 2 * units + j] = dPh;
                dRech[rOff + sr + j] = dPh * r;
                dh[sOff + sr + j] = g * z;
            }
        }
    }
}
