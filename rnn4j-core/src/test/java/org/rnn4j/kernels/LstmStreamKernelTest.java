package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.activations.Activation;

/**
 * The streaming LSTM step (weights packed as {@code [kernel; recurrent_kernel]} in unit chunks, chunks claimed by
 * two threads) against the LSTM formulas in double precision, for odd sizes, with and without a bias, for one and
 * several streams; and a stream's result does not depend on the streams batched with it.
 */
class LstmStreamKernelTest {
    private static final Activation TANH = Activation.get("tanh"), SIGMOID = Activation.get("sigmoid");

    @Test
    void oneStepMatchesTheFormulasForOddSizes() {
        SplittableRandom r = new SplittableRandom(3);
        for (int units : new int[] {1, 3, 17, 33, 100, 256}) {
            for (int inputDim : new int[] {1, 5, 32}) {
                for (int n : new int[] {1, 3}) {
                    for (boolean useBias : new boolean[] {true, false}) check(r, inputDim, units, n, useBias, TANH, SIGMOID);
                }
            }
        }
    }

    @Test
    void otherActivationsTakeTheGeneralGatePath() {
        SplittableRandom r = new SplittableRandom(4);
        check(r, 4, 19, 2, true, Activation.get("relu"), Activation.get("hard_sigmoid"));
    }

    @Test
    void aStreamsResultDoesNotDependOnItsBatchmates() {
        SplittableRandom r = new SplittableRandom(5);
        int in = 7, units = 70, n = 4;
        float[] w = rand(r, in * 4 * units, 0.3), u = rand(r, units * 4 * units, 0.2), b = rand(r, 4 * units, 0.1);
        LstmStreamKernel k = LstmStreamKernel.pack(w, u, b, in, units, TANH, SIGMOID);
        float[] x = rand(r, n * in, 1), h = rand(r, n * units, 0.5), c = rand(r, n * units, 0.5);
        float[] hAll = new float[n * units], cAll = new float[n * units];
        k.step(n, x, h, c, hAll, cAll);
        for (int s = 0; s < n; s++) {
            float[] h1 = new float[units], c1 = new float[units];
            k.step(1, slice(x, s * in, in), slice(h, s * units, units), slice(c, s * units, units), h1, c1);
            assertArrayEquals(h1, slice(hAll, s * units, units), "h of stream " + s);
            assertArrayEquals(c1, slice(cAll, s * units, units), "c of stream " + s);
        }
    }

    @Test
    void steppingInPlaceEqualsSteppingIntoNewArrays() {
        SplittableRandom r = new SplittableRandom(6);
        int in = 32, units = 256, n = 2; // several chunks on both threads
        float[] w = rand(r, in * 4 * units, 0.3), u = rand(r, units * 4 * units, 0.2), b = rand(r, 4 * units, 0.1);
        LstmStreamKernel k = LstmStreamKernel.pack(w, u, b, in, units, TANH, SIGMOID);
        float[] x = rand(r, n * in, 1), h = rand(r, n * units, 0.5), c = rand(r, n * units, 0.5);
        float[] hOut = new float[n * units], cOut = new float[n * units];
        k.step(n, x, h, c, hOut, cOut);
        k.step(n, x, h, c, h, c);
        assertArrayEquals(hOut, h, "h in place");
        assertArrayEquals(cOut, c, "c in place");
    }

    private static void check(SplittableRandom r, int in, int units, int n, boolean useBias, Activation act, Activation ract) {
        int width = 4 * units;
        float[] w = rand(r, in * width, 0.4), u = rand(r, units * width, 0.3), b = useBias ? rand(r, width, 0.2) : null;
        float[] x = rand(r, n * in, 1), h = rand(r, n * units, 0.6), c = rand(r, n * units, 0.6);
        float[] hOut = new float[n * units], cOut = new float[n * units];
        LstmStreamKernel.pack(w, u, b, in, units, act, ract).step(n, x, h, c, hOut, cOut);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < units; j++) {
                double[] z = new double[4];
                for (int g = 0; g < 4; g++) {
                    int col = g * units + j;
                    double v = b == null ? 0 : b[col];
                    for (int p = 0; p < in; p++) v += (double) x[s * in + p] * w[p * width + col];
                    for (int p = 0; p < units; p++) v += (double) h[s * units + p] * u[p * width + col];
                    z[g] = v;
                }
                double i = ract.apply((float) z[0]), f = ract.apply((float) z[1]), g = act.apply((float) z[2]);
                double o = ract.apply((float) z[3]);
                double cn = f * c[s * units + j] + i * g;
                String at = "units " + units + ", input " + in + ", stream " + s + ", unit " + j;
                assertEquals(cn, cOut[s * units + j], 2e-5, "c: " + at);
                assertEquals(o * act.apply((float) cn), hOut[s * units + j], 2e-5, "h: " + at);
            }
        }
    }

    private static float[] rand(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }

    private static float[] slice(float[] v, int from, int len) {
        float[] out = new float[len];
        System.arraycopy(v, from, out, 0, len);
        return out;
    }
}
