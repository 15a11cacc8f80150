package org.rnn4j.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.onnx.proto.Onnx;

/** One ONNX node being imported: its attributes and input values, and errors that name it. */
final class Node {
    final Onnx.NodeProto proto;
    final String name;
    final String op;
    private final OnnxImporter importer;

    Node(Onnx.NodeProto proto, String name, OnnxImporter importer) {
        this.proto = proto;
        this.name = name;
        this.op = proto.getOpType();
        this.importer = importer;
    }

    int opset() { return importer.opset; }

    int inputCount() { return proto.getInputCount(); }

    boolean hasInput(int i) { return i < proto.getInputCount() && !proto.getInput(i).isEmpty(); }

    /** The value of input i, or null when the input is absent. */
    Value input(int i) {
        if (!hasInput(i)) return null;
        Value v = importer.values.get(proto.getInput(i));
        if (v == null) throw fail("input \"" + proto.getInput(i) + "\" is not made by any earlier node or initializer");
        return v;
    }

    Value required(int i) {
        Value v = input(i);
        if (v == null) throw fail("input " + i + " is missing");
        return v;
    }

    Const constant(int i, String what) {
        Value v = required(i);
        if (v instanceof Value.Constant c) return c.value();
        if (v instanceof Value.ShapeVector s && s.isKnown()) return Const.ofLongs(new long[] {s.entries().size()},
                s.entries().stream().mapToLong(e -> (Long) e).toArray());
        throw fail(what + " (input " + i + ") must be a constant");
    }

    /** Whether output i is read by exactly one node (so it can be folded into the layer that makes it). */
    boolean outputUsedOnce(int i) { return i < proto.getOutputCount() && importer.uses(proto.getOutput(i)) == 1; }

    boolean inputUsedOnce(int i) { return hasInput(i) && importer.uses(proto.getInput(i)) == 1; }

    Onnx.AttributeProto attribute(String key) {
        for (Onnx.AttributeProto a : proto.getAttributeList()) if (a.getName().equals(key)) return a;
        return null;
    }

    long attrInt(String key, long dflt) {
        Onnx.AttributeProto a = attribute(key);
        return a == null ? dflt : a.getI();
    }

    float attrFloat(String key, float dflt) {
        Onnx.AttributeProto a = attribute(key);
        return a == null ? dflt : a.getF();
    }

    long[] attrInts(String key) {
        Onnx.AttributeProto a = attribute(key);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    String attrString(String key, String dflt) {
        Onnx.AttributeProto a = attribute(key);
        return a == null ? dflt : a.getS().toString(StandardCharsets.UTF_8);
    }

    List<String> attrStrings(String key) {
        Onnx.AttributeProto a = attribute(key);
        List<String> out = new ArrayList<>();
        if (a != null) for (var s : a.getStringsList()) out.add(s.toString(StandardCharsets.UTF_8));
        return out;
    }

    ModelFormatException fail(String message) {
        return new ModelFormatException("node \"" + name + "\" (" + op + "): " + message);
    }

    /** A ModelFormatException for an op whose arguments make a form rnn4j cannot import. */
    ModelFormatException unsupported(String form) {
        return fail(form + " cannot be imported into rnn4j layers");
    }
}
