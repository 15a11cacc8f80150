package org.rnn4j.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.reshaping.Reshape;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.onnx.Value.Axis;
import org.rnn4j.onnx.Value.Symbolic;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Reads an ONNX graph into an rnn4j functional model. Constants and shape arithmetic are folded while reading;
 * layout-only nodes (Transpose, Squeeze, Unsqueeze, Reshape, Identity) only change how a value's axes are seen;
 * the rest become layers: {@code LSTM}/{@code GRU}/{@code RNN} recurrent layers, {@code Gemm} and
 * {@code MatMul}(+{@code Add}) Dense layers, activations (folded into the Dense before them), merges, Embedding.
 * Anything else is refused with one {@link ModelFormatException} naming the node, its op type and the supported
 * operators. Graph inputs and outputs are batch-first, as rnn4j's are.
 */
final class OnnxImporter {
    static final int MIN_OPSET = 7;
    static final int MAX_OPSET = 21;
    /** Most nodes a graph may have (PyTorch's recurrent models have hundreds). */
    static final int MAX_NODES = 100_000;

    final String source;
    final Path folder;
    final int opset;
    final Map<String, Value> values = new HashMap<>();
    final Map<String, Integer> uses = new HashMap<>();
    final List<Op.InputOp> inputs = new ArrayList<>();
    private final GlueOps glue;
    private final LayerOps layers;

    private OnnxImporter(String source, Path folder, int opset) {
        this.source = source;
        this.folder = folder;
        this.opset = opset;
        this.glue = new GlueOps(this);
        this.layers = new LayerOps(this);
    }

    /** Thread-safe: each call reads its own file into its own model. */
    static Model load(Path path) {
        Onnx.ModelProto proto = OnnxFile.read(path);
        Path folder = path.toAbsolutePath().getParent();
        return fromProto(proto, path.toString(), folder);
    }

    static Model fromProto(Onnx.ModelProto proto, String source, Path folder) {
        int opset = -1;
        for (Onnx.OperatorSetIdProto o : proto.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) opset = (int) Math.min(o.getVersion(), 1 << 20);
        }
        if (opset < 0) opset = MAX_OPSET;  // IR 1-2 files without an opset import: read them as the newest
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new ModelFormatException(source + ": ONNX opset " + opset + " is outside the opsets rnn4j reads ("
                    + MIN_OPSET + " to " + MAX_OPSET + ")");
        }
        if (proto.getGraph().getNodeCount() > MAX_NODES) {
            throw new ModelFormatException(source + ": " + proto.getGraph().getNodeCount() + " nodes, more than the "
                    + MAX_NODES + " rnn4j imports");
        }
        try {
            return new OnnxImporter(source, folder, opset).read(proto.getGraph());
        } catch (StackOverflowError e) {
            throw new ModelFormatException(source + ": the graph is too deep to import (a chain of thousands of layers)");
        } catch (ModelFormatException e) {
            throw e.getMessage().startsWith(source) ? e : new ModelFormatException(source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A layer refusing its configuration (a shape it cannot take, say): still a model that cannot be read.
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    private Model read(Onnx.GraphProto graph) {
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty()) uses.merge(in, 1, Integer::sum);
        }
        for (Onnx.ValueInfoProto out : graph.getOutputList()) uses.merge(out.getName(), 1, Integer::sum);
        Set<String> initializers = new java.util.HashSet<>();
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            values.put(t.getName(), new Value.Constant(OnnxTensors.decode(t, "initializer \"" + t.getName() + "\"", folder)));
            initializers.add(t.getName());
        }
        // Graph inputs read as a recurrent operator's initial_h / initial_c (PyTorch's forward(x, (h0, c0))).
        Set<String> stateInputs = new java.util.HashSet<>();
        for (Onnx.NodeProto n : graph.getNodeList()) {
            if (!Set.of("LSTM", "GRU", "RNN").contains(n.getOpType())) continue;
            for (int i = 5; i <= 6 && i < n.getInputCount(); i++) stateInputs.add(n.getInput(i));
        }
        for (Onnx.ValueInfoProto in : graph.getInputList()) {
            if (initializers.contains(in.getName())) continue;
            values.put(in.getName(), stateInputs.contains(in.getName()) ? stateInput(in) : graphInput(in));
        }
        for (Onnx.NodeProto n : graph.getNodeList()) node(n);
        List<Symbolic> results = new ArrayList<>();
        for (Onnx.ValueInfoProto out : graph.getOutputList()) {
            Symbolic s = result(out.getName());
            if (s.ref().op() instanceof RecurrentOp r) r.noteUse(s.ref().index(), false);
            results.add(s);
        }
        List<KerasTensor> outs = new ArrayList<>();
        for (Symbolic s : results) outs.add(output(s));
        List<KerasTensor> ins = new ArrayList<>();
        for (Op.InputOp in : inputs) ins.add(in.outputs()[0]);
        if (ins.isEmpty()) throw new ModelFormatException("the graph has no input that reaches its outputs");
        String name = graph.getName().replaceAll("[^A-Za-z0-9_]", "_");
        return new Functional(ins, outs, name.isEmpty() || !Character.isLetter(name.charAt(0)) ? "onnx_model" : name);
    }

    /** A graph input: batch-first, (batch, features) or (batch, time, features), time possibly dynamic. */
    private Value graphInput(Onnx.ValueInfoProto in) {
        String what = "graph input \"" + in.getName() + "\"";
        if (!in.getType().hasTensorType()) throw new ModelFormatException(what + " is not a tensor");
        Onnx.TypeProto.Tensor t = in.getType().getTensorType();
        List<Onnx.TensorShapeProto.Dimension> dims = t.getShape().getDimList();
        if (dims.size() < 2 || dims.size() > 3) {
            throw new ModelFormatException(what + " has rank " + dims.size() + "; rnn4j models take (batch, features) "
                    + "or (batch, timesteps, features)");
        }
        int[] shape = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            Onnx.TensorShapeProto.Dimension d = dims.get(i);
            long v = d.hasDimValue() ? d.getDimValue() : -1;
            if (v == 0 || v > Integer.MAX_VALUE || v < -1) throw new ModelFormatException(what + ": dimension " + i + " is " + v);
            shape[i - 1] = (int) v;
        }
        boolean integral = t.getElemType() != Onnx.TensorProto.DataType.FLOAT_VALUE
                && t.getElemType() != Onnx.TensorProto.DataType.DOUBLE_VALUE;
        if (shape.length == 2 && shape[1] < 0) {
            throw new ModelFormatException(what + ": its feature dimension is dynamic; rnn4j needs it fixed");
        }
        if (shape.length == 1 && shape[0] < 0 && !integral) {
            throw new ModelFormatException(what + ": its feature dimension is dynamic; rnn4j needs it fixed");
        }
        Op.InputOp op = new Op.InputOp(in.getName(), shape);
        inputs.add(op);
        List<Axis> axes = new ArrayList<>();
        axes.add(Axis.BATCH);
        if (shape.length == 2) {
            axes.add(Axis.of(Axis.Kind.T, shape[0]));
            axes.add(Axis.of(Axis.Kind.F, shape[1]));
        } else if (integral) {
            axes.add(Axis.of(Axis.Kind.T, shape[0]));  // token ids (batch, time), for an Embedding
        } else {
            axes.add(Axis.of(Axis.Kind.F, shape[0]));
        }
        return new Symbolic(new Op.Ref(op, 0), axes);
    }

    /**
     * A graph input that is a unidirectional recurrent operator's initial state, (1, batch, hidden) in ONNX: an rnn4j
     * input of shape (batch, hidden), given to the layer as Keras's {@code initial_state}.
     */
    private Value stateInput(Onnx.ValueInfoProto in) {
        String what = "graph input \"" + in.getName() + "\" (an initial state)";
        List<Onnx.TensorShapeProto.Dimension> dims = in.getType().getTensorType().getShape().getDimList();
        if (dims.size() != 3 || dims.get(0).getDimValue() != 1 || !dims.get(2).hasDimValue()
                || dims.get(2).getDimValue() <= 0 || dims.get(2).getDimValue() > 1 << 20) {
            throw new ModelFormatException(what + " must have shape (1, batch, hidden) with hidden fixed: rnn4j takes the "
                    + "initial states of forward and reverse operators as inputs");
        }
        int hidden = (int) dims.get(2).getDimValue();
        Op.InputOp op = new Op.InputOp(in.getName(), new int[] {hidden});
        inputs.add(op);
        return new Symbolic(new Op.Ref(op, 0), List.of(Axis.ONE, Axis.BATCH, Axis.of(Axis.Kind.F, hidden)));
    }

    private Symbolic result(String name) {
        Value v = values.get(name);
        if (!(v instanceof Symbolic s)) {
            throw new ModelFormatException("graph output \"" + name + "\" does not depend on a graph input"
                    + (v == null ? " (no node makes it)" : ""));
        }
        if (!s.canonical()) {
            throw new ModelFormatException("graph output \"" + name + "\" has axes " + describe(s)
                    + "; rnn4j models give batch-first outputs (batch, [time,] features)");
        }
        return s;
    }

    private KerasTensor output(Symbolic s) {
        KerasTensor t = s.ref().build();
        if (s.core().size() != s.rank()) {
            // Extra axes of size 1 (an Unsqueeze before the output): reshape so the output shape is the ONNX one.
            int[] target = new int[s.rank() - 1];
            int k = 0;
            for (int i = 1; i < s.rank(); i++) {
                Axis a = s.axes().get(i);
                if (a.kind() == Axis.Kind.D) continue;  // directions and hidden: one feature axis of D·H
                target[k++] = a.kind() == Axis.Kind.H ? s.features() : a.size();
            }
            t = new Reshape(java.util.Arrays.copyOf(target, k)).apply(t);
        }
        return t;
    }

    static String describe(Symbolic s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.rank(); i++) {
            Axis a = s.axes().get(i);
            if (i > 0) b.append(", ");
            b.append(switch (a.kind()) {
                case B -> "batch";
                case T -> "time" + (a.size() > 0 ? "=" + a.size() : "");
                case F -> "features=" + a.size();
                case D -> "directions=" + a.size();
                case H -> "hidden=" + a.size();
                case ONE -> "1";
            });
        }
        return b.append(")").toString();
    }

    /** The operators rnn4j's ONNX import understands. */
    static final Set<String> SUPPORTED = new TreeSet<>(List.of(
            "LSTM", "GRU", "RNN", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Mean", "Sum", "Relu", "Sigmoid", "Tanh",
            "Softmax", "Transpose", "Squeeze", "Unsqueeze", "Reshape", "Flatten", "Slice", "Gather", "Concat", "Shape",
            "Constant", "ConstantOfShape", "Cast", "Identity", "Dropout", "Expand", "Tile", "Equal", "Not", "ReduceMax",
            "ReduceSum"));

    private void node(Onnx.NodeProto n) {
        String op = n.getOpType();
        String name = n.getName().isEmpty() ? (n.getOutputCount() > 0 ? n.getOutput(0) : op) : n.getName();
        if (!(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) || !SUPPORTED.contains(op)) {
            throw new ModelFormatException("node \"" + name + "\" has op type " + (n.getDomain().isEmpty() ? "" : n.getDomain() + ".")
                    + op + ", which rnn4j cannot import; supported: " + String.join(", ", SUPPORTED));
        }
        Node node = new Node(n, name, this);
        Value[] out = switch (op) {
            case "LSTM", "GRU", "RNN" -> layers.recurrent(node);
            case "Gemm" -> layers.gemm(node);
            case "MatMul" -> layers.matMul(node);
            case "Relu", "Sigmoid", "Tanh", "Softmax" -> layers.activation(node);
            case "Add", "Sub", "Mul", "Div", "Mean", "Sum" -> layers.arithmetic(node);
            case "Concat" -> layers.concat(node);
            case "Gather" -> layers.gather(node);
            default -> glue.apply(node);
        };
        for (int i = 0; i < out.length && i < n.getOutputCount(); i++) {
            if (out[i] != null && !n.getOutput(i).isEmpty()) values.put(n.getOutput(i), out[i]);
        }
    }

    int uses(String value) { return uses.getOrDefault(value, 0); }

    /** An activation op on a value (used when it cannot fold into the Dense before it). */
    Symbolic activationLayer(Node n, Symbolic in, String activation) {
        Op.LayerOp op = new Op.LayerOp(n.name, new ActivationLayer(activation), in.ref());
        return new Symbolic(new Op.Ref(op, 0), in.axes());
    }
}
