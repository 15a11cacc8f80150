package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/** {@code rnn4j convert} between formats; {@code summary} and {@code predict} on {@code .onnx}. */
class ConvertCommandTest {
    @TempDir Path dir;

    private static String run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    private static Tensor input(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[5 * 6 * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return Tensor.of(x, 5, 6, 3);
    }

    private static void assertWithin(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= tol, what + ": element " + i + " " + want[i] + " vs " + got[i]);
        }
    }

    @Test
    void kerasToOnnxToKerasKeepsOutputsAndOnnxPredicts() throws Exception {
        Rnn4j.setRandomSeed(11);
        Sequential m = new Sequential(new Bidirectional(new LSTM(4).returnSequences(true)).inputShape(6, 3),
                new GRU(5).returnSequences(true), new TimeDistributed(new Dense(2, "tanh")));
        Path keras = dir.resolve("m.keras");
        m.save(keras);
        Path onnx = dir.resolve("m.onnx");
        Path back = dir.resolve("back.keras");
        assertTrue(run("convert", keras.toString(), onnx.toString()).contains("Wrote " + onnx));
        run("convert", onnx.toString(), back.toString());
        Tensor x = input(3);
        float[] want = m.predict(x).data();
        assertWithin(want, Models.load(back).predict(x).data(), 1e-6, ".keras -> .onnx -> .keras");

        Path xn = dir.resolve("x.npy");
        Path yn = dir.resolve("y.npy");
        Npy.write(xn, x);
        run("predict", "--model", onnx.toString(), "--input", xn.toString(), "--output", yn.toString());
        Tensor y = Npy.read(yn);
        assertArrayEquals(new int[] {5, 6, 2}, y.shape());
        assertWithin(want, y.data(), 1e-6, "predict --model m.onnx");
        String summary = run("summary", onnx.toString());
        assertTrue(summary.contains("(Bidirection") && summary.contains("(GRU)")
                && summary.contains(String.format("Total params: %,d", m.countParams())), summary);
    }

    @Test
    void pyTorchOnnxToKerasAndTensorFlowJs() throws Exception {
        Path fixture = Path.of("../testdata/fixtures/onnx/lstm_2layer_last_linear");
        Path keras = dir.resolve("torch.keras");
        run("convert", fixture.resolve("model.onnx").toString(), keras.toString());
        Tensor x = Npy.read(fixture.resolve("x.npy"));
        float[] want = Npy.read(fixture.resolve("y.npy")).data();
        float[] got = Models.load(keras).predict(x).data();
        for (int i = 0; i < want.length; i++) assertTrue(Math.abs(want[i] - got[i]) <= 1e-5 + 1e-5 * Math.abs(want[i]));
        Path tfjs = dir.resolve("web/model.json");
        run("convert", keras.toString(), tfjs.toString());
        Model web = Models.load(tfjs);
        assertWithin(got, web.predict(x).data(), 0, "TensorFlow.js copy");
        Path h5 = Path.of("../testdata/keras-real/dl4j/simple_lstm_tf_keras_1_model.h5");
        Path fromH5 = dir.resolve("from_h5.onnx");
        run("convert", h5.toString(), fromH5.toString());
        assertTrue(Files.size(fromH5) > 0);
        Path step = dir.resolve("step.onnx");
        run("convert", keras.toString(), step.toString(), "--onnx-stateful");
        assertTrue(Files.size(step) > 0);
    }

    @Test
    void badTargetsAreOneLineErrors() throws Exception {
        Path keras = dir.resolve("m.keras");
        new Sequential(new LSTM(2).inputShape(3, 1)).save(keras);
        CliRun h5 = CliRun.of("convert", keras.toString(), dir.resolve("m.h5").toString());
        assertEquals(2, h5.status());
        assertTrue(h5.err().contains(".h5 is read only"), h5.err());
        CliRun missing = CliRun.of("convert", dir.resolve("none.onnx").toString(), dir.resolve("x.keras").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {1, 2, 3});
        CliRun broken = CliRun.of("convert", bad.toString(), dir.resolve("x.keras").toString());
        assertEquals(2, broken.status());
        assertTrue(broken.err().contains("bad.onnx"), broken.err());
    }
}
