package org.rnn4j.onnx;

import java.util.HashMap;
import java.util.Map;
import org.rnn4j.onnx.proto.Onnx;

/** Builds an ONNX graph: nodes with unique output names, initializers, inputs and outputs. Not thread-safe. */
final class GraphBuilder {
    final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, Integer> counts = new HashMap<>();

    /** A fresh value name from a hint. */
    String fresh(String hint) {
        String base = hint.replaceAll("[^A-Za-z0-9_/.:]", "_");
        int n = counts.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "_" + (n - 1);
    }

    /** Adds a node; returns its first output's name. */
    String node(String op, String hint, String[] inputs, Onnx.AttributeProto... attributes) {
        return nodeOutputs(op, hint, inputs, 1, attributes)[0];
    }

    String[] nodeOutputs(String op, String hint, String[] inputs, int outputs, Onnx.AttributeProto... attributes) {
        String name = fresh(hint + "/" + op);
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name);
        for (String in : inputs) n.addInput(in == null ? "" : in);
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = fresh(name + "_output_" + i);
            n.addOutput(outs[i]);
        }
        for (Onnx.AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return outs;
    }

    String floats(String hint, float[] values, long... dims) {
        String name = fresh(hint);
        graph.addInitializer(OnnxTensors.floats(name, values, dims));
        return name;
    }

    String longs(String hint, long... values) {
        String name = fresh(hint);
        graph.addInitializer(OnnxTensors.longs(name, values, values.length));
        return name;
    }

    /** A 0-d int64 tensor (a Gather index that drops its axis). */
    String scalarLong(String hint, long value) {
        String name = fresh(hint);
        graph.addInitializer(OnnxTensors.longs(name, new long[] {value}));
        return name;
    }

    String scalar(String hint, float value) {
        String name = fresh(hint);
        graph.addInitializer(OnnxTensors.floats(name, new float[] {value}));
        return name;
    }

    static Onnx.AttributeProto attr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static Onnx.AttributeProto attr(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static Onnx.AttributeProto attr(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static Onnx.AttributeProto attrInts(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static Onnx.AttributeProto attrStrings(String name, String... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRINGS);
        for (String v : values) a.addStrings(com.google.protobuf.ByteString.copyFromUtf8(v));
        return a.build();
    }

    /** A float tensor value info; a negative dim is dynamic, named by {@code dimNames}. */
    static Onnx.ValueInfoProto valueInfo(String name, int[] dims, String[] dimNames) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            Onnx.TensorShapeProto.Dimension.Builder d = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (dims[i] >= 0) d.setDimValue(dims[i]);
            else d.setDimParam(dimNames[i]);
            shape.addDim(d);
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder().setTensorType(
                Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
    }
}
