package org.rnn4j.onnx;

import static org.rnn4j.onnx.PyTorchFixturesTest.assertClose;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.models.Model;
import org.rnn4j.onnx.proto.Onnx;
import org.rnn4j.tensor.Tensor;

/**
 * The importer across opsets 11 to 21: an exported graph rewritten into each opset's forms (axes of Squeeze,
 * Unsqueeze and ReduceSum as attributes before 13; ReduceMax's axes as an input from 18), checked to be valid by
 * running it in ONNX Runtime, then imported: the same outputs as the rnn4j model it came from.
 */
class OnnxOpsetsTest {
    private static final Set<String> AXES_INPUT_FROM_13 = Set.of("Squeeze", "Unsqueeze", "ReduceSum");

    static Model model() {
        Input x = new Input(6, 3);
        KerasTensor masked = new Masking(0f).apply(x);
        KerasTensor seq = new Bidirectional(new GRU(4).returnSequences(true)).apply(masked);
        KerasTensor[] enc = new LSTM(5).returnState(true).applyAll(seq);
        KerasTensor dec = new LSTM(5).returnSequences(true).apply(new RepeatVector(3).apply(enc[0]), List.of(enc[1], enc[2]));
        return Model.of(x, new TimeDistributed(new Dense(2, "softmax")).apply(dec));
    }

    /** The graph in opset {@code opset}'s forms. */
    static Onnx.ModelProto rewrite(Onnx.ModelProto proto, int opset) {
        Onnx.GraphProto.Builder g = proto.getGraph().toBuilder();
        Map<String, Onnx.TensorProto> inits = new java.util.HashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) inits.put(t.getName(), t);
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            if (opset < 13 && AXES_INPUT_FROM_13.contains(n.getOpType()) && n.getInputCount() == 2) {
                Onnx.TensorProto axes = inits.get(n.getInput(1));
                Onnx.NodeProto.Builder b = n.toBuilder().clearInput().addInput(n.getInput(0))
                        .addAttribute(GraphBuilder.attrInts("axes", axes.getInt64DataList().stream().mapToLong(Long::longValue).toArray()));
                g.setNode(i, b);
            }
            if (opset >= 18 && n.getOpType().equals("ReduceMax")) {
                Onnx.NodeProto.Builder b = n.toBuilder().clearAttribute();
                long[] axes = null;
                for (Onnx.AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("axes")) axes = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
                    else b.addAttribute(a);
                }
                String name = n.getName() + "/axes";
                g.addInitializer(OnnxTensors.longs(name, axes, axes.length));
                g.setNode(i, b.addInput(name));
            }
        }
        return proto.toBuilder().setIrVersion(opset >= 21 ? 10 : opset >= 15 ? 8 : 6).setOpsetImport(0,
                Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
    }

    @ParameterizedTest(name = "opset {0}")
    @ValueSource(ints = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21})
    void importsEachOpsetsForms(int opset) throws Exception {
        Model model = model();
        OnnxRuntimeExportTest.randomize(model, 40 + opset);
        Onnx.ModelProto proto = rewrite(OnnxExporter.toProto(model, OnnxExporter.Options.DEFAULT), opset);
        Tensor x = OnnxRuntimeExportTest.input(model, 7, 0, opset, false, true);
        float[] want = model.predict(x).data();
        float[] ort = OnnxRuntimeExportTest.runOrt(proto.toByteArray(), Map.of(model.name().isEmpty() ? "input"
                : OnnxRuntimeExportTest.inputName(model), x), "y");
        assertClose(want, ort, 1e-5, 1e-5, "ONNX Runtime on the opset " + opset + " graph");
        Model imported = OnnxImporter.fromProto(proto, "opset" + opset + ".onnx", null);
        assertClose(want, imported.predict(x).data(), 1e-6, 1e-6, "imported from opset " + opset);
    }
}
