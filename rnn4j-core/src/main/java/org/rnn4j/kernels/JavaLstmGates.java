package org.rnn4j.kernels;

/** Plain-Java {@link LstmGates} on {@link FastMath}. */
final class JavaLstmGates implements LstmGates {
    @Override
    public void forward(int batch, int units, float[] z, int zOff, float[] gates, int gOff,
                        float[] c, int cPrevOff, int cOff, float[] h, int hOff) {
        int w = 4 * units;
        for (int b = 0; b < batch; b++) {
            int zr = zOff + b * w, gr = gOff + b * w, sr = b * units;
            for (int j = 0; j < units; j++) {
                float i = FastMath.sigmoid(z[zr + j]);
                float f = FastMath.sigmoid(z[zr + units + j]);
                float g = FastMath.tanh(z[zr + 2 * units + j]);
                float o = FastMath.sigmoid(z[zr + 3 * units + j]);
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

    @Override
    public void backward(int batch, int units, float[] gates, int gOff, float[] c, int cPrevOff, int cOff,
                         float[] dh, float[] dc, int dOff, float[] dz, int dzOff) {
        int w = 4 * units;
        for (int b = 0; b < batch; b++) {
            int gr = gOff + b * w, sr = b * units, dr = dzOff + b * w, ds = dOff + sr;
            for (int j = 0; j < units; j++) {
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
}
