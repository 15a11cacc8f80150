package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class GRUTest {
    @Test
    void parametersAndWeightShapesFollowResetAfter() {
        // Keras 3: GRU(8) on 9 features, reset_after=True: kernel (9, 24), recurrent (8, 24), bias (2, 24).
        GRU gru = new GRU(8).inputShape(60, 9);
        new Sequential(gru);
        List<Tensor> w = gru.getWeights();
        assertArrayEquals(new int[] {9, 24}, w.get(0).shape());
        assertArrayEquals(new int[] {8, 24}, w.get(1).shape());
        assertArrayEquals(new int[] {2, 24}, w.get(2).shape());
        assertEquals(9 * 24 + 8 * 24 + 48, gru.countParams());
        GRU before = new GRU(8).resetAfter(false).inputShape(60, 9);
        new Sequential(before);
        assertArrayEquals(new int[] {24}, before.getWeights().get(2).shape());
        assertEquals(3 * (8 * (9 + 8) + 8), before.countParams());
        GRU noBias = new GRU(4).useBias(false).inputShape(3, 6);
        new Sequential(noBias);
        assertEquals(2, noBias.weights().size());
    }

    @Test
    void defaultsAreKeras3() {
        Map<String, Object> c = new GRU(4).getConfig();
        assertEquals("tanh", c.get("activation"));
        assertEquals("sigmoid", c.get("recurrent_activation"));
        assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
        assertEquals("Orthogonal", ((Map<?, ?>) c.get("recurrent_initializer")).get("class_name"));
        assertEquals("Zeros", ((Map<?, ?>) c.get("bias_initializer")).get("class_name"));
        assertEquals(true, c.get("reset_after"));
        assertEquals(4, c.get("units"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void constantWeightsGiveHandCheckedOutput(boolean resetAfter) {
        // Keras's golden numbers: kernel 0.01, recurrent 0.02, bias 0.03; one unit, two steps of input 1.
        GRU gru = new GRU(1).resetAfter(resetAfter).kernelInitializer(Initializer.constant(0.01f))
                .recurrentInitializer(Initializer.constant(0.02f)).biasInitializer(Initializer.constant(0.03f))
                .inputShape(2, 1);
        float y = new Sequential(gru).predict(Tensor.of(new float[] {1f, 1f}, 1, 2, 1)).data()[0];
        double h = 0;
        for (int t = 0; t < 2; t++) {
            double rb = resetAfter ? 0.03 : 0; // the recurrent bias row exists only with reset_after
            double z = sigmoid(0.01 + 0.03 + 0.02 * h + rb);
            double r = sigmoid(0.01 + 0.03 + 0.02 * h + rb);
            double hh = resetAfter ? Math.tanh(0.01 + 0.03 + r * (0.02 * h + 0.03)) : Math.tanh(0.01 + 0.03 + 0.02 * (r * h));
            h = z * h + (1 - z) * hh;
        }
        assertEquals(h, y, 1e-7);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void matchesADoublePrecisionReferenceOnRandomWeights(boolean resetAfter) {
        Rnn4j.setRandomSeed(21);
        int units = 5, dim = 3, steps = 6, batch = 2;
        GRU gru = new GRU(units).resetAfter(resetAfter).returnSequences(true).inputShape(steps, dim);
        new Sequential(gru);
        List<Tensor> w = new ArrayList<>();
        for (int i = 0; i < gru.weights().size(); i++) w.add(GradientCheck.random(30 + i, gru.weights().get(i).shape()));
        gru.setWeights(w);
        Tensor x = GradientCheck.random(5, batch, steps, dim);
        float[] got = gru.call(x, null, false).output().data();
        float[] k = w.get(0).data(), u = w.get(1).data(), b = w.get(2).data();
        int n3 = 3 * units;
        for (int s = 0; s < batch; s++) {
            double[] h = new double[units];
            for (int t = 0; t < steps; t++) {
                double[] xz = new double[n3], hu = new double[n3];
                for (int j = 0; j < n3; j++) {
                    xz[j] = b[j];
                    for (int i = 0; i < dim; i++) xz[j] += x.get(s, t, i) * k[i * n3 + j];
                    hu[j] = resetAfter ? b[n3 + j] : 0;
                    for (int i = 0; i < units; i++) hu[j] += h[i] * u[i * n3 + j];
                }
                double[] r = new double[units], z = new double[units], next = new double[units];
                for (int j = 0; j < units; j++) {
                    z[j] = sigmoid(xz[j] + hu[j]);
                    r[j] = sigmoid(xz[units + j] + hu[units + j]);
                }
                for (int j = 0; j < units; j++) {
                    double rec;
                    if (resetAfter) {
                        rec = r[j] * hu[2 * units + j];
                    } else {
                        rec = 0;
                        for (int i = 0; i < units; i++) rec += r[i] * h[i] * u[i * n3 + 2 * units + j];
                    }
                    double hh = Math.tanh(xz[2 * units + j] + rec);
                    next[j] = z[j] * h[j] + (1 - z[j]) * hh;
                }
                h = next;
                for (int j = 0; j < units; j++) {
                    assertEquals(h[j], got[(s * steps + t) * units + j], 2e-6, "sample " + s + " step " + t + " unit " + j);
                }
            }
        }
    }

    /**
     * The real tf.keras 2 GRU (reset_after=True) of jatinchowdhury18/RTNeural: TimeDistributed(Dense(8, tanh)) ->
     * GRU(8, return_sequences) -> Dense(8, sigmoid) -> Dense(1) on a 100-step sine; Keras's outputs within 1e-5.
     */
    @Test
    void reproducesKerasResetAfterGruOfRtneural() throws IOException {
        String dir = "../testdata/keras-real/rtneural/";
        JsonNode layers = new ObjectMapper().readTree(new File(dir + "gru.json")).get("layers");
        Sequential m = new Sequential();
        m.add(new TimeDistributed(new Dense(8).activation("tanh")).inputShape(100, 1));
        m.add(new GRU(8).returnSequences(true));
        m.add(new TimeDistributed(new Dense(8).activation("sigmoid")));
        m.add(new TimeDistributed(new Dense(1)));
        for (int l = 0; l < 4; l++) {
            List<Tensor> ws = new ArrayList<>();
            for (JsonNode w : layers.get(l).get("weights")) ws.add(nested(w));
            m.layers().get(l).setWeights(ws);
        }
        float[] x = column(dir + "gru_x_python.csv"), want = column(dir + "gru_y_python.csv");
        float[] got = m.predict(Tensor.of(x, 1, 100, 1)).data();
        double max = 0;
        for (int i = 0; i < 100; i++) max = Math.max(max, Math.abs(got[i] - want[i]));
        assertTrue(max <= 1e-5, "max abs error " + max);
        if (Boolean.getBoolean("rnn4j.report")) System.out.println("rtneural gru max abs error " + max);
    }

    @Test
    void maskedModelGradientsMatchFiniteDifferences() {
        Rnn4j.setRandomSeed(12);
        for (boolean resetAfter : new boolean[] {false, true}) {
            Sequential m = new Sequential();
            m.add(new Masking(0f).inputShape(4, 2));
            m.add(new GRU(3).resetAfter(resetAfter).returnSequences(true));
            m.add(new TimeDistributed(new Dense(2)));
            m.compile(Loss.get("mse"), new SGD(0.1));
            Tensor x = GradientCheck.random(1, 3, 4, 2);
            for (int j = 0; j < 2; j++) {
                x.set(0f, 0, 3, j); // sample 0 post-padded
                x.set(0f, 1, 0, j); // sample 1 pre-padded
            }
            GradientCheck.assertGradients(m, new Tensor[] {x}, new Tensor[] {GradientCheck.random(2, 3, 4, 2)});
        }
    }

    @Test
    void resetAfterCannotChangeOnceBuilt() {
        GRU gru = new GRU(2).inputShape(3, 1).name("gru_9");
        new Sequential(gru);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> gru.resetAfter(false));
        assertTrue(e.getMessage().contains("\"gru_9\"") && e.getMessage().contains("reset_after"), e.getMessage());
    }

    @Test
    void wrongFeatureCountNamesTheLayer() {
        Sequential m = new Sequential(new GRU(5).inputShape(5, 1).name("gru_1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(32, 5, 2)));
        assertEquals("Input 0 of layer \"gru_1\" is incompatible: expected shape (None, 5, 1), got (32, 5, 2)", e.getMessage());
    }

    static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }

    /** A tensor from nested JSON lists. */
    static Tensor nested(JsonNode n) {
        List<Integer> shape = new ArrayList<>();
        JsonNode cur = n;
        while (cur.isArray()) {
            shape.add(cur.size());
            cur = cur.get(0);
        }
        List<Float> flat = new ArrayList<>();
        flatten(n, flat);
        float[] d = new float[flat.size()];
        for (int i = 0; i < d.length; i++) d[i] = flat.get(i);
        return Tensor.of(d, shape.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            for (JsonNode c : n) flatten(c, out);
        } else {
            out.add((float) n.asDouble());
        }
    }

    static float[] column(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file));
        float[] v = new float[lines.size()];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(lines.get(i).trim());
        return v;
    }
}
