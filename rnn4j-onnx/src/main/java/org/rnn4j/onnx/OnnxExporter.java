package org.rnn4j.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Writes an rnn4j model as an ONNX graph (opset {@value #OPSET}) that ONNX Runtime runs: Sequential and functional
 * models of the layers {@link LayerExport} knows. Inputs and outputs keep rnn4j's batch-first shapes with a dynamic
 * batch axis, and a dynamic time axis where the model's input has none fixed.
 *
 * <p>With {@link Options#stateful}, the graph is one timestep for streaming servers: input {@code x} is
 * (batch, features), each recurrent layer {@code L} adds inputs {@code L/h} (and {@code L/c} for LSTM) of shape
 * (batch, units) and outputs {@code L/h_out} ({@code L/c_out}) to carry to the next call; {@code y} is the
 * output for that timestep (the time axis of a sequence output dropped).
 *
 * <pre>{@code
 * OnnxExporter.save(model, Path.of("model.onnx"), OnnxExporter.Options.DEFAULT);    // whole sequences
 * OnnxExporter.save(model, Path.of("step.onnx"), OnnxExporter.Options.STATEFUL);    // one timestep, states in and out
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class OnnxExporter {
    static final int OPSET = 17;

    /** Export options. {@code stateful}: the one-timestep graph with state inputs and outputs. */
    public record Options(boolean stateful) {
        public static final Options DEFAULT = new Options(false);
        public static final Options STATEFUL = new Options(true);
    }

    private OnnxExporter() {}

    /** Not thread-safe for the same model (do not train it meanwhile). Writes atomically. */
    public static void save(Model model, Path path, Options options) {
        Onnx.ModelProto proto = toProto(model, options);
        try {
            AtomicFiles.write(path, proto::writeTo);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Not thread-safe for the same model. The ONNX model proto of the rnn4j model. */
    public static Onnx.ModelProto toProto(Model model, Options options) {
        GraphBuilder g = new GraphBuilder();
        LayerExport export = new LayerExport(g, options.stateful());
        List<ExportedTensor> outputs;
        if (model instanceof Sequential seq) {
            int[] shape = seq.inputShape();
            if (shape == null) throw new IllegalArgumentException("Model \"" + model.name() + "\" is not built: give it an input shape before export");
            ExportedTensor t = export.input("input", shape);
            for (Layer layer : seq.layers()) t = export.layer(layer, List.of(t)).get(0);
            outputs = List.of(t);
        } else if (model instanceof Functional f) {
            outputs = functional(f, export);
        } else {
            throw new ModelFormatException("Model \"" + model.name() + "\" is a " + model.getClass().getSimpleName()
                    + "; ONNX export takes Sequential and functional models");
        }
        for (int i = 0; i < outputs.size(); i++) {
            ExportedTensor out = export.output(outputs.get(i));
            String name = outputs.size() == 1 ? "y" : "y" + i;
            g.graph.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name + "/Identity")
                    .addInput(out.name()).addOutput(name));
            g.graph.addOutput(GraphBuilder.valueInfo(name, out.shape(), dimNames(out.shape().length)));
        }
        export.finishStates();
        g.graph.setName(model.name().replaceAll("[^A-Za-z0-9_]", "_"));
        return Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("rnn4j").setProducerVersion("0.1.0")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g.graph).build();
    }

    static String[] dimNames(int rank) {
        String[] names = new String[rank];
        names[0] = "batch";
        for (int i = 1; i < rank; i++) names[i] = i == 1 ? "time" : "dim" + i;
        return names;
    }

    private static List<ExportedTensor> functional(Functional f, LayerExport export) {
        Map<KerasTensor, ExportedTensor> done = new IdentityHashMap<>();
        for (Input in : f.inputs()) done.put(in, export.input(in.name(), in.batchShape()));
        List<org.rnn4j.layers.Node> order = new ArrayList<>();
        Set<org.rnn4j.layers.Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (KerasTensor out : f.outputs()) visit(out.node(), seen, order);
        for (org.rnn4j.layers.Node node : order) {
            if (node.isInput()) continue;
            List<ExportedTensor> ins = new ArrayList<>();
            for (KerasTensor t : node.inputs()) ins.add(done.get(t));
            List<ExportedTensor> outs = export.layer(node.layer(), ins);
            for (int i = 0; i < node.outputCount(); i++) done.put(node.output(i), outs.get(i));
        }
        List<ExportedTensor> outs = new ArrayList<>();
        for (KerasTensor t : f.outputs()) outs.add(done.get(t));
        return outs;
    }

    private static void visit(org.rnn4j.layers.Node node, Set<org.rnn4j.layers.Node> seen, List<org.rnn4j.layers.Node> order) {
        if (!seen.add(node)) return;
        if (!node.isInput()) for (KerasTensor t : node.inputs()) visit(t.node(), seen, order);
        order.add(node);
    }
}
