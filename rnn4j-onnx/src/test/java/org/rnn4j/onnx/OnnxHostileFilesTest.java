package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Malformed and hostile {@code .onnx} files: truncated, bit-flipped, tensors whose data does not fill their
 * shape, huge declared dims, unknown operators, external data outside the model's folder, nesting and chains
 * past the limits. Each ends in a {@link ModelFormatException} (a mutant that still parses may also load), never
 * another exception, an out-of-memory or a hang.
 */
class OnnxHostileFilesTest {
    private static final Path FIXTURE = Path.of("../testdata/fixtures/onnx/lstm_2layer_last_linear/model.onnx");

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, Onnx.ModelProto proto) throws Exception { return write(name, proto.toByteArray()); }

    /** Loads; a ModelFormatException or success are fine, anything else fails the test. */
    private static boolean loadsOrRefuses(Path p) {
        try {
            Models.load(p);
            return true;
        } catch (ModelFormatException e) {
            return false;
        } catch (Throwable t) {
            fail(p.getFileName() + ": " + t.getClass().getName() + " instead of ModelFormatException: " + t.getMessage(), t);
            return false;
        }
    }

    private static ModelFormatException refused(Path p) {
        return assertThrows(ModelFormatException.class, () -> Models.load(p), p.getFileName().toString());
    }

    private static Onnx.ModelProto exported() {
        Model m = OnnxRuntimeExportTest.seq(new Masking(0f).inputShape(6, 3),
                new Bidirectional(new GRU(4).returnSequences(true)), new LSTM(5), new Dense(2, "softmax"));
        OnnxRuntimeExportTest.randomize(m, 5);
        return OnnxExporter.toProto(m, OnnxExporter.Options.DEFAULT);
    }

    @Test
    void truncatedAndBitFlippedFilesEndInModelFormatException() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (byte[] good : new byte[][] {Files.readAllBytes(FIXTURE), exported().toByteArray()}) {
                assertTrue(loadsOrRefuses(write("good.onnx", good)), "the unmutated file loads");
                for (int cut = 0; cut < good.length; cut += 1 + good.length / 150) {
                    byte[] truncated = java.util.Arrays.copyOf(good, cut);
                    if (loadsOrRefuses(write("cut" + cut + ".onnx", truncated)) && cut < good.length / 2) {
                        fail("a file cut to " + cut + " of " + good.length + " bytes loaded");
                    }
                }
                SplittableRandom r = new SplittableRandom(20261207L);
                for (int i = 0; i < 300; i++) {
                    byte[] mutant = good.clone();
                    int flips = 1 + r.nextInt(4);
                    for (int f = 0; f < flips; f++) mutant[r.nextInt(mutant.length)] = (byte) r.nextInt(256);
                    loadsOrRefuses(write("flip" + i + ".onnx", mutant));
                }
            }
        });
    }

    @Test
    void tensorsWhoseDataDoesNotFillTheirShapeAreRefused() throws Exception {
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(FIXTURE));
        Onnx.TensorProto w = good.getGraph().getInitializer(0);
        Onnx.ModelProto shortData = good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0,
                w.toBuilder().setRawData(w.getRawData().substring(0, w.getRawData().size() - 4)))).build();
        assertTrue(refused(write("short.onnx", shortData)).getMessage().contains("raw data"));
        Onnx.ModelProto huge = good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0,
                w.toBuilder().clearDims().addDims(1L << 40).addDims(1L << 40))).build();
        assertTrue(refused(write("huge.onnx", huge)).getMessage().contains("more than"));
        Onnx.ModelProto negative = good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0,
                w.toBuilder().clearDims().addDims(-4).addDims(-2))).build();
        refused(write("negative.onnx", negative));
        Onnx.ModelProto wrongShape = good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(2,
                good.getGraph().getInitializer(2).toBuilder().clearDims().addDims(1).addDims(12).addDims(8))).build();
        refused(write("wrong_shape.onnx", wrongShape));
        // ConstantOfShape of a huge constant shape: refused before anything is allocated.
        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        g.addInitializer(OnnxTensors.longs("huge_shape", new long[] {1 << 20, 1 << 20}, 2));
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("ConstantOfShape").setName("fill").addInput("huge_shape").addOutput("filled"));
        refused(write("fill.onnx", good.toBuilder().setGraph(g).build()));
        // A graph input declaring a huge time axis loads lazily (nothing is allocated for it) or is refused.
        Onnx.GraphProto.Builder g2 = good.getGraph().toBuilder();
        g2.setInput(0, GraphBuilder.valueInfo("x", new int[] {-1, Integer.MAX_VALUE, 4}, new String[] {"batch", null, null}));
        loadsOrRefuses(write("huge_input.onnx", good.toBuilder().setGraph(g2).build()));
    }

    @Test
    void unknownOperatorIsOneErrorNamingNodeOpAndSupportedList() throws Exception {
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(FIXTURE));
        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        g.addNode(Onnx.NodeProto.newBuilder().setOpType("Einsum").setName("my_einsum").addInput("x").addOutput("e"));
        String message = refused(write("unknown.onnx", good.toBuilder().setGraph(g).build())).getMessage();
        assertTrue(message.contains("\"my_einsum\"") && message.contains("op type Einsum") && message.contains("supported: ")
                && message.contains("LSTM"), message);
        Onnx.GraphProto.Builder custom = good.getGraph().toBuilder();
        custom.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setDomain("com.evil").setName("n").addInput("x").addOutput("r"));
        assertTrue(refused(write("domain.onnx", good.toBuilder().setGraph(custom).build())).getMessage().contains("com.evil.Relu"));
        Onnx.ModelProto future = good.toBuilder().setOpsetImport(0, Onnx.OperatorSetIdProto.newBuilder().setVersion(99)).build();
        assertTrue(refused(write("opset.onnx", future)).getMessage().contains("opset 99"));
    }

    @Test
    void externalDataOutsideTheModelFolderIsRefused() throws Exception {
        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(FIXTURE));
        Path model = Files.createDirectories(dir.resolve("model"));
        Onnx.TensorProto w = good.getGraph().getInitializer(0);
        Files.write(dir.resolve("outside.bin"), w.getRawData().toByteArray());
        Files.write(model.resolve("inside.bin"), w.getRawData().toByteArray());
        for (String location : new String[] {"../outside.bin", dir.resolve("outside.bin").toString(), "sub/../../outside.bin"}) {
            Path p = model.resolve("escape.onnx");
            Files.write(p, external(good, location, -1).toByteArray());
            assertTrue(refused(p).getMessage().contains("outside the model's folder"), location);
        }
        Path link = model.resolve("link.bin");
        Files.createSymbolicLink(link, dir.resolve("outside.bin"));
        Path viaLink = model.resolve("link.onnx");
        Files.write(viaLink, external(good, "link.bin", -1).toByteArray());
        assertTrue(refused(viaLink).getMessage().contains("outside the model's folder"));
        Path tooLong = model.resolve("long.onnx");
        Files.write(tooLong, external(good, "inside.bin", 1L << 40).toByteArray());
        refused(tooLong);
        Path inside = model.resolve("inside.onnx");
        Files.write(inside, external(good, "inside.bin", -1).toByteArray());
        Models.load(inside);  // external data inside the folder is read
    }

    private static Onnx.ModelProto external(Onnx.ModelProto good, String location, long length) {
        Onnx.TensorProto w = good.getGraph().getInitializer(0);
        Onnx.TensorProto.Builder t = w.toBuilder().clearRawData().setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (length >= 0) t.addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)));
        return good.toBuilder().setGraph(good.getGraph().toBuilder().setInitializer(0, t)).build();
    }

    @Test
    void deepNestingAndLongChainsEndInModelFormatException() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Onnx.ModelProto good = Onnx.ModelProto.parseFrom(Files.readAllBytes(FIXTURE));
            Onnx.GraphProto nested = Onnx.GraphProto.newBuilder().setName("leaf").build();
            for (int i = 0; i < 200; i++) {
                nested = Onnx.GraphProto.newBuilder().addNode(Onnx.NodeProto.newBuilder().setOpType("If")
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch").setG(nested))).build();
            }
            Onnx.GraphProto.Builder g = good.getGraph().toBuilder().addNode(nested.getNode(0));
            refused(write("nested.onnx", good.toBuilder().setGraph(g).build()));
            // 50,000 Relu nodes in a row after the model's output.
            Onnx.GraphProto.Builder chain = good.getGraph().toBuilder();
            String prev = "y";
            for (int i = 0; i < 50_000; i++) {
                String out = "r" + i;
                chain.addNode(Onnx.NodeProto.newBuilder().setOpType("Relu").setName("relu" + i).addInput(prev).addOutput(out));
                prev = out;
            }
            chain.setOutput(0, chain.getOutput(0).toBuilder().setName(prev));
            loadsOrRefuses(write("chain.onnx", good.toBuilder().setGraph(chain).build()));
            refused(write("empty.onnx", new byte[0]));
            refused(write("garbage.onnx", "not a model at all".getBytes()));
            refused(write("just_a_tag.onnx", new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
            refused(write("no_graph.onnx", Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerNameBytes(ByteString.copyFromUtf8("x")).build()));
        });
    }
}
