package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.onnx.PyTorchFixturesTest.assertClose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Model;
import org.rnn4j.onnx.proto.Onnx;
import org.rnn4j.tensor.Tensor;

/**
 * PyTorch's {@code forward(x, (h0, c0))}: the initial states are graph inputs of shape (1, batch, hidden). The
 * fixture's LSTM is given its h0 and c0 from graph inputs; rnn4j's import takes them as inputs of shape
 * (batch, hidden) (Keras's initial_state) and matches ONNX Runtime on the same graph.
 */
class InitialStateInputsTest {
    @Test
    void initialStatesFromGraphInputs() throws Exception {
        Path dir = Path.of("../testdata/fixtures/onnx/lstm_last_linear");
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        int hidden = 8;
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            if (n.getOpType().equals("LSTM")) g.setNode(i, n.toBuilder().setInput(5, "h0").setInput(6, "c0"));
        }
        for (String s : new String[] {"h0", "c0"}) {
            g.addInput(GraphBuilder.valueInfo(s, new int[] {1, -1, hidden}, new String[] {null, "batch", null}));
        }
        Onnx.ModelProto proto = good.toBuilder().setGraph(g).build();
        Tensor x = Npy.read(dir.resolve("x.npy"));
        int batch = x.shape(0);
        SplittableRandom r = new SplittableRandom(9);
        float[] h0 = new float[batch * hidden];
        float[] c0 = new float[batch * hidden];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) (r.nextDouble() - 0.5);
            c0[i] = (float) (r.nextDouble() - 0.5);
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x", x);
        feeds.put("h0", Tensor.of(h0, 1, batch, hidden));
        feeds.put("c0", Tensor.of(c0, 1, batch, hidden));
        float[] ort = OnnxRuntimeExportTest.runOrt(proto.toByteArray(), feeds, "y");

        Model model = OnnxImporter.fromProto(proto, "h0c0.onnx", null);
        assertEquals(3, model.inputCount());
        Tensor[] outs = model.predict(new Tensor[] {x, Tensor.of(h0, batch, hidden), Tensor.of(c0, batch, hidden)}, 32);
        assertClose(ort, outs[0].data(), 1e-5, 1e-5, "rnn4j with initial states vs ONNX Runtime");
        float[] zeroState = Npy.read(dir.resolve("y.npy")).data();
        boolean differs = false;
        for (int i = 0; i < ort.length; i++) differs |= Math.abs(ort[i] - zeroState[i]) > 1e-3;
        org.junit.jupiter.api.Assertions.assertTrue(differs, "the initial states change the output");
    }
}
