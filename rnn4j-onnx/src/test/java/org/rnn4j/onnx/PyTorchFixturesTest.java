package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.tensor.Tensor;

/**
 * The six models PyTorch's {@code torch.onnx.export} wrote (testdata/fixtures/onnx, README there): loaded through
 * {@link Models#load}, {@code predict} reproduces PyTorch's {@code y.npy} within 1e-5 abs + 1e-5 rel; each then
 * trains one step, survives a {@code .keras} round trip, and (all but the bidirectional one) streams with
 * {@code step} to the same outputs as {@code predict}.
 */
class PyTorchFixturesTest {
    private static final Path DIR = Path.of("../testdata/fixtures/onnx");

    @TempDir
    Path tmp;

    static void assertClose(float[] want, float[] got, double abs, double rel, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            assertTrue(err <= abs + rel * Math.abs(want[i]),
                    what + ": element " + i + " expected " + want[i] + " got " + got[i] + " (error " + err + ")");
        }
    }

    /** PyTorch's model in, ONNX out again: what rnn4j exports from the import runs in ONNX Runtime to PyTorch's numbers. */
    @ParameterizedTest
    @ValueSource(strings = {"lstm_last_linear", "lstm_seq_no_head", "gru_last_linear", "rnn_tanh_seq_linear",
            "bilstm_last_linear", "lstm_2layer_last_linear"})
    void reExportedRunsInOnnxRuntimeToPyTorchsNumbers(String name) throws ai.onnxruntime.OrtException {
        Path dir = DIR.resolve(name);
        Model model = Models.load(dir.resolve("model.onnx"));
        Tensor x = Npy.read(dir.resolve("x.npy"));
        Tensor y = Npy.read(dir.resolve("y.npy"));
        byte[] onnx = OnnxExporter.toProto(model, OnnxExporter.Options.DEFAULT).toByteArray();
        float[] got = OnnxRuntimeExportTest.runOrt(onnx, java.util.Map.of(OnnxRuntimeExportTest.inputName(model), x), "y");
        assertClose(y.data(), got, 1e-5, 1e-5, name + " re-exported, in ONNX Runtime, vs PyTorch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm_last_linear", "lstm_seq_no_head", "gru_last_linear", "rnn_tanh_seq_linear",
            "bilstm_last_linear", "lstm_2layer_last_linear"})
    void importsPredictsTrainsSavesAndStreams(String name) {
        // PyTorch's out[:, -1, :] of a bidirectional LSTM is the last timestep of both directions' sequences, which
        // needs Keras's Cropping1D; the import names that when the core has no Cropping1D.
        org.junit.jupiter.api.Assumptions.assumeTrue(!name.startsWith("bilstm") || org.rnn4j.io.LayerRegistry.isRegistered("Cropping1D"),
                "Cropping1D is not in this rnn4j-core");
        Path dir = DIR.resolve(name);
        Model model = Models.load(dir.resolve("model.onnx"));
        Tensor x = Npy.read(dir.resolve("x.npy"));
        Tensor y = Npy.read(dir.resolve("y.npy"));
        Tensor got = model.predict(x);
        assertEquals(java.util.Arrays.toString(y.shape()), java.util.Arrays.toString(got.shape()), name + ": output shape");
        assertClose(y.data(), got.data(), 1e-5, 1e-5, name + " predict vs PyTorch");

        // Fine-tune one step: the weights move and the loss is finite.
        model.compile("mean_squared_error", "sgd");
        List<Tensor> before = copies(model.getWeights());
        Tensor target = Tensor.of(y.data().clone(), y.shape());
        for (int i = 0; i < target.size(); i++) target.data()[i] += 0.5f;
        double loss = model.trainOnBatch(x, target).get("loss");
        assertTrue(Double.isFinite(loss) && loss > 0, name + ": loss " + loss);
        assertTrue(changed(before, model.getWeights()), name + ": one SGD step changed no weight");
        Tensor tuned = model.predict(x);

        // Save as .keras, reload: the same outputs.
        Path keras = tmp.resolve(name + ".keras");
        model.save(keras);
        Model reloaded = Models.load(keras);
        assertClose(tuned.data(), reloaded.predict(x).data(), 0, 0, name + " after the .keras round trip");

        boolean bidirectional = false;
        for (Layer l : reloaded.layers()) bidirectional |= l instanceof Bidirectional;
        if (bidirectional) return;  // a bidirectional layer needs the whole sequence: it cannot stream
        int batch = x.shape(0);
        int steps = x.shape(1);
        int features = x.shape(2);
        Tensor full = reloaded.predict(x);
        for (int b = 0; b < batch; b++) {
            RecurrentState state = reloaded.newState();
            float[] out = null;
            for (int t = 0; t < steps; t++) {
                float[] row = new float[features];
                System.arraycopy(x.data(), (b * steps + t) * features, row, 0, features);
                out = reloaded.step(state, row);
                if (full.rank() == 3) {
                    int width = full.shape(2);
                    float[] want = new float[width];
                    System.arraycopy(full.data(), (b * steps + t) * width, want, 0, width);
                    assertClose(want, out, 1e-6, 1e-6, name + " step " + t + " of sample " + b);
                }
            }
            if (full.rank() == 2) {
                int width = full.shape(1);
                float[] want = new float[width];
                System.arraycopy(full.data(), b * width, want, 0, width);
                assertClose(want, out, 1e-6, 1e-6, name + " last step of sample " + b);
            }
        }
    }

    private static List<Tensor> copies(List<Tensor> ts) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : ts) out.add(t.copy());
        return out;
    }

    private static boolean changed(List<Tensor> a, List<Tensor> b) {
        for (int i = 0; i < a.size(); i++) if (!java.util.Arrays.equals(a.get(i).data(), b.get(i).data())) return true;
        return false;
    }
}
