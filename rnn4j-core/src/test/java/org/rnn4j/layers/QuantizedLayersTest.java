package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.Int8MatMul;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;

/**
 * Every quantizable layer against its float32 self: the int8 output stays within the bound the README states
 * ("Quantized inference"), computed here from the layer's float weights and the call's inputs, and the int8 path
 * computes what its scheme says (Keras's for Dense and Embedding, bit for bit).
 *
 * <p>The bounds: a weight of output channel j moves by at most half a step, {@code d_j = (max_p |w_pj| + 1e-7) / 254}
 * (round to nearest of {@code w·scale}, {@code scale = 127 / (max + 1e-7)}). A weight-only product then moves by at
 * most {@code sum_p |x_p| · d_j}; Keras's Dense, whose input row is rounded as well (half a step
 * {@code e = (max_p |x_p| + 1e-7) / 254}), by {@code sum_p |x_p| d_j + (|w_pj| + d_j) e}; an embedding row by its own
 * half step. A recurrent step from given states adds the recurrent product's {@code sum_p |h_p| · d'_j}, and goes
 * through the gates with sigmoid's slope at most 1/4 and tanh's at most 1 (formulas per cell below).
 */
class QuantizedLayersTest {
    /** Float rounding of the two computations (products summed in different orders), on top of the bound. */
    private static final double SLACK = 2e-5;

    @Test
    void denseIsKerasInt8DenseBitForBitAndWithinItsBound() {
        Rnn4j.setRandomSeed(1);
        int in = 9, units = 7, rows = 5;
        Dense d = new Dense(units);
        d.build(new int[] {-1, in});
        SplittableRandom r = new SplittableRandom(2);
        float[] w = rnd(r, in * units, 0.7), b = rnd(r, units, 0.3), x = rnd(r, rows * in, 2);
        d.setWeights(List.of(Tensor.of(w, in, units), Tensor.of(b, units)));
        float[] yf = call(d, Tensor.of(x, rows, in));
        d.quantize("int8");
        float[] yq = call(d, Tensor.of(x, rows, in));
        // Keras 3's int8 Dense, step by step: kernel per column, inputs per row, int32 dot, / (row scale * kernel scale).
        byte[] qw = new byte[in * units], qx = new byte[rows * in];
        float[] sw = new float[units], sx = new float[rows];
        Int8MatMul.quantizeColumns(in, units, w, 0, units, qw, sw);
        Int8MatMul.quantizeRows(rows, in, x, 0, in, qx, sx);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            double e = (maxAbs(x, i * in, in) + 1e-7) / 254;
            for (int j = 0; j < units; j++) {
                int acc = 0;
                for (int p = 0; p < in; p++) acc += qx[i * in + p] * qw[p * units + j];
                float keras = acc / (sx[i] * sw[j]) + b[j];
                assertEquals(keras, yq[i * units + j], 0f, "Keras's int8 Dense at " + i + ", " + j);
                double dj = halfStep(w, in, units, j), bound = 0;
                for (int p = 0; p < in; p++) bound += Math.abs(x[i * in + p]) * dj + (Math.abs(w[p * units + j]) + dj) * e;
                double err = Math.abs(yq[i * units + j] - yf[i * units + j]);
                assertTrue(err <= bound + SLACK, "Dense " + i + ", " + j + ": error " + err + " > bound " + bound);
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst > 0, "the int8 layer computes something else than the float one");
        assertEquals("int8", d.quantizationMode());
        assertEquals(List.of("kernel", "bias", "kernel_scale"), names(d));
        assertEquals("int8", d.weights().get(0).dtype());
        assertEquals(List.of(units), List.of(d.weights().get(2).shape()[0]));
    }

    @Test
    void embeddingIsKerasInt8EmbeddingAndWithinHalfAStepPerRow() {
        Rnn4j.setRandomSeed(3);
        int vocab = 20, dim = 6;
        Embedding e = new Embedding(vocab, dim);
        e.build(new int[] {-1, 4});
        float[] table = e.getWeights().get(0).data();
        float[] ids = {0, 3, 19, 7, 7, 12, 1, 5};
        float[] yf = call(e, Tensor.of(ids, 2, 4));
        e.quantize("int8");
        float[] yq = call(e, Tensor.of(ids, 2, 4));
        float[] q = e.weights().get(0).value().data(), scale = e.weights().get(1).value().data();
        for (int i = 0; i < ids.length; i++) {
            int row = (int) ids[i];
            double half = (maxAbs(table, row * dim, dim) + 1e-7) / 254 * (1 + 1e-5);
            assertEquals(127f / ((float) maxAbs(table, row * dim, dim) + 1e-7f), scale[row], 0f, "embeddings_scale");
            for (int j = 0; j < dim; j++) {
                assertEquals(q[row * dim + j] / scale[row], yq[i * dim + j], 0f, "int8 row / its scale");
                assertEquals(yf[i * dim + j], yq[i * dim + j], half, "row " + row);
            }
        }
        assertEquals(List.of("embeddings", "embeddings_scale"), names(e));
    }

    @Test
    void conv1dIsWithinTheWeightOnlyBound() {
        Rnn4j.setRandomSeed(5);
        int batch = 2, steps = 10, ch = 5, filters = 4, k = 3;
        Conv1D conv = new Conv1D(filters, k);
        conv.build(new int[] {-1, steps, ch});
        float[] w = conv.getWeights().get(0).data();
        SplittableRandom r = new SplittableRandom(6);
        float[] x = rnd(r, batch * steps * ch, 1.5);
        float[] yf = call(conv, Tensor.of(x, batch, steps, ch));
        conv.quantize("int8");
        float[] yq = call(conv, Tensor.of(x, batch, steps, ch));
        int out = steps - k + 1;
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < out; t++) {
                for (int o = 0; o < filters; o++) {
                    double d = halfStep(w, k * ch, filters, o), bound = 0;
                    for (int j = 0; j < k; j++) for (int c = 0; c < ch; c++) bound += Math.abs(x[(b * steps + t + j) * ch + c]) * d;
                    int at = (b * out + t) * filters + o;
                    double err = Math.abs(yq[at] - yf[at]);
                    assertTrue(err <= bound + SLACK, "Conv1D at " + at + ": error " + err + " > bound " + bound);
                    worst = Math.max(worst, err);
                }
            }
        }
        assertTrue(worst > 0);
        assertEquals(List.of("kernel", "bias", "kernel_scale"), names(conv));
    }

    @Test
    void simpleRnnStepIsWithinItsBound() {
        // h' = tanh(x·W + h·U + b): |dh'| <= |x|_1 d_j + |h|_1 d'_j.
        checkRecurrentStep(new SimpleRNN(6), (g, j) -> g.dz(j));
    }

    @Test
    void lstmStepIsWithinItsBound() {
        // i, f, o = sigmoid (slope <= 1/4), g = tanh, c' = f c + i g, h' = o tanh(c'):
        // |dc'| <= dz_f/4 |c| + dz_i/4 + dz_g; |dh'| <= dz_o/4 + |dc'|.
        checkRecurrentStep(new LSTM(6), (g, j) -> {
            int u = g.units;
            double dc = g.dz(u + j) / 4 * Math.abs(g.c[j]) + g.dz(j) / 4 + g.dz(2 * u + j);
            return g.dz(3 * u + j) / 4 + dc;
        });
    }

    @Test
    void gruStepIsWithinItsBoundInBothResetAfterVariants() {
        for (boolean resetAfter : new boolean[] {true, false}) {
            // z, r = sigmoid; reset_after: hh = tanh(xW_h + b + r (hU_h + b_r)), so |d pre_h| <= dx_h + dr |hU_h + b_r|
            // + dh_h; reset before: hh = tanh(xW_h + (r h)U_h + b): |d pre_h| <= dx_h + sum_p dr_p |h_p| |U'_ph| +
            // sum_p |h_p| d'_h. Then h' = z h + (1 - z) hh: |dh'| <= dz (|h| + 1) + |d pre_h|.
            checkRecurrentStep(new GRU(6).resetAfter(resetAfter), (g, j) -> {
                int u = g.units;
                double dzz = (g.dx(j) + g.dh(j)) / 4;
                double pre;
                if (resetAfter) {
                    double dr = (g.dx(u + j) + g.dh(u + j)) / 4, rech = Math.abs(g.recurrentProduct(2 * u + j, null));
                    pre = g.dx(2 * u + j) + dr * rech + g.dh(2 * u + j);
                } else {
                    pre = g.dx(2 * u + j);
                    for (int p = 0; p < u; p++) {
                        double drp = (g.dx(u + p) + g.dh(u + p)) / 4;
                        pre += drp * Math.abs(g.h[p]) * (Math.abs(g.u[p * 3 * u + 2 * u + j]) + g.du[2 * u + j])
                                + Math.abs(g.h[p]) * g.du[2 * u + j];
                    }
                }
                return dzz * (Math.abs(g.h[j]) + 1) + pre;
            });
        }
    }

    /** One recurrent step's inputs, states, float weights and half steps, for the bounds. */
    private static final class StepBound {
        int units;
        float[] x, h, c, w, u, bias;
        double[] dw, du;

        /** |x|_1 d_col: the input projection's movement. */
        double dx(int col) { return l1(x) * dw[col]; }

        /** |h|_1 d'_col: the recurrent product's movement. */
        double dh(int col) { return l1(h) * du[col]; }

        double dz(int col) { return dx(col) + dh(col); }

        /** h·U[:, col] + the recurrent bias (GRU reset_after), in float weights. */
        double recurrentProduct(int col, Object unused) {
            int width = u.length / units;
            double s = bias.length == 2 * width ? bias[width + col] : 0;
            for (int p = 0; p < units; p++) s += h[p] * u[p * width + col];
            return s;
        }
    }

    @FunctionalInterface
    private interface UnitBound {
        double of(StepBound g, int unit);
    }

    private static void checkRecurrentStep(RNN<?> layer, UnitBound bound) {
        Rnn4j.setRandomSeed(7);
        int features = 5, units = layer.units(), batch = 3;
        layer.build(List.of(new int[] {-1, 1, features}, new int[] {-1, units}, new int[] {-1, units}).subList(0,
                1 + layer.cell().stateCount()));
        List<Tensor> floats = layer.getWeights();
        SplittableRandom r = new SplittableRandom(8);
        Tensor x = Tensor.of(rnd(r, batch * features, 1), batch, 1, features);
        Tensor h0 = Tensor.of(rnd(r, batch * units, 1), batch, units), c0 = Tensor.of(rnd(r, batch * units, 3), batch, units);
        Tensor[] in = layer.cell().stateCount() == 2 ? new Tensor[] {x, h0, c0} : new Tensor[] {x, h0};
        float[] yf = layer.call(in, null, false).output().data();
        layer.quantize("int8");
        float[] yq = layer.call(in, null, false).output().data();
        int width = floats.get(0).shape()[1];
        double worst = 0;
        for (int b = 0; b < batch; b++) {
            StepBound g = new StepBound();
            g.units = units;
            g.x = slice(x.data(), b * features, features);
            g.h = slice(h0.data(), b * units, units);
            g.c = slice(c0.data(), b * units, units);
            g.w = floats.get(0).data();
            g.u = floats.get(1).data();
            g.bias = floats.size() > 2 ? floats.get(2).data() : new float[0];
            g.dw = new double[width];
            g.du = new double[width];
            for (int j = 0; j < width; j++) {
                g.dw[j] = halfStep(g.w, features, width, j);
                g.du[j] = halfStep(g.u, units, width, j);
            }
            for (int j = 0; j < units; j++) {
                double limit = bound.of(g, j), err = Math.abs(yq[b * units + j] - yf[b * units + j]);
                assertTrue(err <= limit + SLACK, layer.className() + " unit " + j + ": error " + err + " > bound " + limit);
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst > 0, layer.className() + " gave the float output after quantizing");
        assertEquals("int8", layer.quantizationMode());
    }

    /** Half a quantization step of column j of {@code w [rows, cols]}, with room for float rounding. */
    static double halfStep(float[] w, int rows, int cols, int j) {
        double amax = 0;
        for (int p = 0; p < rows; p++) amax = Math.max(amax, Math.abs(w[p * cols + j]));
        return (amax + 1e-7) / 254 * (1 + 1e-5);
    }

    private static float[] call(Layer l, Tensor x) { return l.call(x, null, false).output().data(); }

    private static List<String> names(Layer l) { return l.weights().stream().map(Weight::name).toList(); }

    private static double maxAbs(float[] v, int off, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(v[off + i]));
        return m;
    }

    private static double l1(float[] v) {
        double s = 0;
        for (float f : v) s += Math.abs(f);
        return s;
    }

    private static float[] slice(float[] v, int off, int n) { return java.util.Arrays.copyOfRange(v, off, off + n); }

    static float[] rnd(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return v;
    }
}
