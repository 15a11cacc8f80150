package org.rnn4j.onnx;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Hostile {@code .onnx} files, made by the tests from the committed fixture: tensors whose data does not fill their
 * shape, huge and negative dims, a huge constant fill, unknown operators and domains, a future opset, external data
 * outside the model's folder (relative, absolute, through a symbolic link, past the file's end), nesting past the
 * limit, a 50,000-node chain, and files that are no model at all. Each maps to its expected outcome in a child JVM.
 */
final class OnnxHostileCorpus {
    static final Path FIXTURE = Path.of("../testdata/fixtures/onnx/lstm_2layer_last_linear/model.onnx");

    /**
     * The expected outcome: {@code ok}, {@code refused} (a ModelFormatException whose message contains every fragment),
     * or {@code either} (a file that may load or be refused, but nothing else).
     */
    record Expect(String outcome, List<String> fragments) {
        static Expect refused(String... fragments) { return new Expect("refused", List.of(fragments)); }
        static final Expect OK = new Expect("ok", List.of());
        static final Expect EITHER = new Expect("either", List.of());
    }

    private OnnxHostileCorpus() {}

    /** Writes the corpus into {@code dir}; path relative to {@code dir} -> expected outcome. */
    static Map<String, Expect> write(Path dir) throws Exception {
        Map<String, Expect> expect = new LinkedHashMap<>();
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(FIXTURE));
        Onnx.TensorProto w = good.getGraph().getInitializer(0);

        put(dir, expect, "short.onnx", initializer(good, 0, w.toBuilder().setRawData(w.getRawData().substring(0, w.getRawData().size() - 4))),
                Expect.refused("raw data"));
        put(dir, expect, "huge.onnx", initializer(good, 0, w.toBuilder().clearDims().addDims(1L << 40).addDims(1L << 40)),
                Expect.refused("more than"));
        put(dir, expect, "negative.onnx", initializer(good, 0, w.toBuilder().clearDims().addDims(-4).addDims(-2)), Expect.refused());
        put(dir, expect, "wrong_shape.onnx", initializer(good, 2,
                good.getGraph().getInitializer(2).toBuilder().clearDims().addDims(1).addDims(12).addDims(8)), Expect.refused());
        // ConstantOfShape of a huge constant shape: refused before anything is allocated.
        Onnx.GraphProto.Builder fill = good.getGraph().toBuilder();
        fill.addInitializer(OnnxTensors.longs("huge_shape", new long[] {1 << 20, 1 << 20}, 2));
        fill.addNode(Onnx.NodeProto.newBuilder().setOpType("ConstantOfShape").setName("fill").addInput("huge_shape").addOutput("filled"));
        put(dir, expect, "fill.onnx", good.toBuilder().setGraph(fill).build(), Expect.refused());
        // A graph input declaring a huge time axis loads lazily (nothing is allocated for it) or is refused.
        Onnx.GraphProto.Builder hugeInput = good.getGraph().toBuilder();
        hugeInput.setInput(0, GraphBuilder.valueInfo("x", new int[] {-1, Integer.MAX_VALUE, 4}, new String[] {"batch", null, null}));
        put(dir, expect, "huge_input.onnx", good.toBuilder().setGraph(hugeInput).build(), Expect.EITHER);

        Onnx.GraphProto.Builder unknown = good.getGraph().toBuilder();
        unknown.addNode(Onnx.NodeProto.newBuilder().setOpType("Einsum").setName("my_einsum").addInput("x").addOutput("e"));
        put(dir, expect, "unknown.onnx", good.toBuilder().setGraph(unknown).build(),
                Expect.refused("\"my_einsum\"", "op type Einsum", "supported: ", "LSTM"));
        Onnx.GraphProto.Builder domain = good.getGraph().toBuilder();
        domain.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setDomain("com.evil").setName("n").addInput("x").addOutput("r"));
        put(dir, expect, "domain.onnx", good.toBuilder().setGraph(domain).build(), Expect.refused("com.evil.Relu"));
        put(dir, expect, "opset.onnx", good.toBuilder().setOpsetImport(0, Onnx.OperatorSetIdProto.newBuilder().setVersion(99)).build(),
                Expect.refused("opset 99"));

        Path model = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("outside.bin"), w.getRawData().toByteArray());
        Files.write(model.resolve("inside.bin"), w.getRawData().toByteArray());
        String[] escapes = {"../outside.bin", dir.resolve("outside.bin").toString(), "sub/../../outside.bin"};
        for (int i = 0; i < escapes.length; i++) {
            put(dir, expect, "model/escape" + i + ".onnx", external(good, escapes[i], -1), Expect.refused("outside the model's folder"));
        }
        Files.createSymbolicLink(model.resolve("link.bin"), dir.resolve("outside.bin"));
        put(dir, expect, "model/link.onnx", external(good, "link.bin", -1), Expect.refused("outside the model's folder"));
        put(dir, expect, "model/long.onnx", external(good, "inside.bin", 1L << 40), Expect.refused());
        put(dir, expect, "model/inside.onnx", external(good, "inside.bin", -1), Expect.OK);

        Onnx.GraphProto nested = Onnx.GraphProto.newBuilder().setName("leaf").build();
        for (int i = 0; i < 200; i++) {
            nested = Onnx.GraphProto.newBuilder().addNode(Onnx.NodeProto.newBuilder().setOpType("If")
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch").setG(nested))).build();
        }
        put(dir, expect, "nested.onnx", good.toBuilder().setGraph(good.getGraph().toBuilder().addNode(nested.getNode(0))).build(),
                Expect.refused());
        // 50,000 Relu nodes in a row after the model's output.
        Onnx.GraphProto.Builder chain = good.getGraph().toBuilder();
        String prev = "y";
        for (int i = 0; i < 50_000; i++) {
            String out = "r" + i;
            chain.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("relu" + i).addInput(prev).addOutput(out));
            prev = out;
        }
        chain.setOutput(0, chain.getOutput(0).toBuilder().setName(prev));
        put(dir, expect, "chain.onnx", good.toBuilder().setGraph(chain).build(), Expect.EITHER);
        put(dir, expect, "empty.onnx", new byte[0], Expect.refused());
        put(dir, expect, "garbage.onnx", "not a model at all".getBytes(), Expect.refused());
        put(dir, expect, "just_a_tag.onnx", new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, Expect.refused());
        put(dir, expect, "no_graph.onnx", Onnx.ModelProto.newBuilder().setIrVersion(8)
                .setProducerNameBytes(ByteString.copyFromUtf8("x")).build(), Expect.refused());
        return expect;
    }

    private static void put(Path dir, Map<String, Expect> expect, String name, Onnx.ModelProto proto, Expect e) throws Exception {
        put(dir, expect, name, proto.toByteArray(), e);
    }

    private static void put(Path dir, Map<String, Expect> expect, String name, byte[] bytes, Expect e) throws Exception {
        Files.write(dir.resolve(name), bytes);
        expect.put(name, e);
    }

    private static Onnx.ModelProto initializer(Onnx.ModelProto good, int index, Onnx.TensorProto.Builder t) {
        return good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(index, t)).build();
    }

    private static Onnx.ModelProto external(Onnx.ModelProto good, String location, long length) {
        Onnx.TensorProto w = good.getGraph().getInitializer(0);
        Onnx.TensorProto.Builder t = w.toBuilder().clearRawData().setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (length >= 0) t.addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        return good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0, t)).build();
    }
}
