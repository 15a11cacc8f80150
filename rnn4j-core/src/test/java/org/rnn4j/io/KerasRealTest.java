package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.api.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.tensor.Tensor;

/**
 * Real files written by Keras 1.2.2, 2.0.8, 2.1.3 (TensorFlow and Theano backends): each loads and reproduces
 * Keras's own {@code predict()} outputs within 1e-5 absolute + 1e-5 relative (see testdata/keras-real/README.md).
 */
class KerasRealTest {
    static final Path REAL = Path.of("../testdata/keras-real");
    static final double ATOL = 1e-5, RTOL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"simple_lstm_tf_keras_1", "simple_lstm_th_keras_1", "simple_flatten_lstm_tf_keras_2",
            "simple_rnn_tf_keras_2", "simple_flatten_rnn_tf_keras_2"})
    void dl4jPairsReproduceKerasPredictions(String name) {
        Model model = Models.load(REAL.resolve("dl4j/" + name + "_model.h5"));
        Tensor x, want;
        try (Hdf5File io = Hdf5File.open(REAL.resolve("dl4j/" + name + "_inputs_and_outputs.h5"))) {
            String input = io.children(io.group("inputs")).get(0);
            x = io.tensor((Dataset) io.node("inputs/" + input));
            want = io.tensor((Dataset) io.node("predictions/dense_1"));
        }
        Tensor got = model.predict(x);
        assertArrayEquals(want.shape(), got.shape());
        assertClose(want.data(), got.data(), name);
    }

    @Test
    void stackedLstmFromJsonConfigAndWeightsOnlyH5ReproducesPredictionsNpy() throws Exception {
        Path dir = REAL.resolve("dl4j/stacked_lstm");
        Model model = Models.load(dir.resolve("lstm_th_keras_2_config.json"), dir.resolve("lstm_th_keras_2_weights.h5"));
        float[] predictions = Npy.read(dir.resolve("predictions.npy")).data();
        for (int seq : new int[] {0, 30, 40, 136, 229}) {
            List<String> rows = Files.readAllLines(dir.resolve("sequences/" + seq + ".csv"));
            float[] x = new float[4 * 12];
            for (int t = 0; t < 4; t++) {
                String[] cols = rows.get(t).split(";");
                for (int f = 0; f < 12; f++) x[t * 12 + f] = Float.parseFloat(cols[f].trim());
            }
            float got = model.predict(Tensor.of(x, 1, 4, 12)).data()[0];
            assertClose(new float[] {predictions[seq]}, new float[] {got}, "sequence " + seq);
        }
    }

    @ParameterizedTest
    @CsvSource({"bidirectional_lstm_tensorflow_2.h5, 1680", "bidirectional_lstm_no_return_sequences_tensorflow_1.h5, 1680",
            "embedding_lstm_tensorflow_2.h5, 308", "masking_zero_lstm.h5, 9600", "lstm_tf_model.h5, 129", "rnn_29.h5, 1072"})
    void noReferenceFilesLoadSummariseAndPredict(String file, int params) {
        Model model = Models.load(REAL.resolve("dl4j/no_reference/" + file));
        assertEquals(params, model.countParams(), file);
        String summary = model.summary();
        assertTrue(summary.contains("Total params: " + String.format("%,d", params))
                || summary.contains("Total params: " + params), summary);
        int[] in = model.layers().get(0).builtInputShapes().get(0).clone();
        in[0] = 3;
        int n = 1;
        for (int d : in) n *= d;
        float[] x = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(6);
        boolean indices = file.startsWith("embedding");
        for (int i = 0; i < n; i++) x[i] = indices ? r.nextInt(4) : (float) r.nextGaussian();
        Tensor y = model.predict(Tensor.of(x, in));
        assertEquals(3, y.shape(0));
        for (float v : y.data()) assertTrue(Float.isFinite(v), file);
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            worst = Math.max(worst, err);
            assertTrue(err <= ATOL + RTOL * Math.abs(want[i]),
                    what + ": element " + i + " want " + want[i] + " got " + got[i] + " (|diff| " + err + ")");
        }
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.println("DIFF " + what + " max|diff|=" + worst);
    }
}
