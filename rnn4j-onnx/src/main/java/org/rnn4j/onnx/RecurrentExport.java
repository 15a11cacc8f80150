package org.rnn4j.onnx;

import static org.rnn4j.onnx.GraphBuilder.attr;
import static org.rnn4j.onnx.GraphBuilder.attrInts;
import static org.rnn4j.onnx.GraphBuilder.attrStrings;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;

/**
 * LSTM, GRU, SimpleRNN and Bidirectional as ONNX's {@code LSTM}, {@code GRU}, {@code RNN} operators: the input
 * transposed to time-major, Keras's kernels transposed into ONNX's {@code W}/{@code R} with LSTM's gates reordered
 * (Keras i, f, c, o to ONNX i, o, f, c), the bias as ONNX's input half ({@code reset_after} GRU: both halves), and
 * the outputs arranged as Keras gives them (sequence or last output, merged directions, states).
 */
final class RecurrentExport {
    /** ONNX gate g of an LSTM holds Keras gate KERAS_LSTM_GATE[g]: ONNX i, o, f, c are Keras 0, 3, 1, 2. */
    private static final int[] KERAS_LSTM_GATE = {0, 3, 1, 2};
    private static final long INT64_MIN = Long.MIN_VALUE;

    private final LayerExport ex;
    private final GraphBuilder g;

    RecurrentExport(LayerExport ex) {
        this.ex = ex;
        this.g = ex.g;
    }

    List<ExportedTensor> export(Layer layer, List<ExportedTensor> in) {
        ExportedTensor x = in.get(0);
        Bidirectional bi = layer instanceof Bidirectional b ? b : null;
        RNN<?> fwd = bi != null ? bi.forwardLayer() : (RNN<?>) layer;
        String hint = layer.name();
        String kind = fwd instanceof LSTM ? "LSTM" : fwd instanceof GRU ? "GRU" : fwd instanceof SimpleRNN ? "RNN" : null;
        if (kind == null) throw ex.refuse(layer, "recurrent layer " + fwd.className());
        boolean sequences = fwd.returnSequences();
        boolean reverse = bi == null && fwd.goBackwards();
        if (x.lengths() != null && sequences && !fwd.zeroOutputForMask()) {
            throw ex.refuse(layer, "a masked " + fwd.className() + " returning sequences with zero_output_for_mask=False "
                    + "(Keras repeats the last output at masked steps, ONNX writes zeros)");
        }
        if (x.lengths() != null && reverse) throw ex.refuse(layer, "a masked go_backwards layer");
        if (ex.stateful && bi != null) throw ex.refuse(layer, "Bidirectional in a one-timestep (stateful) graph");
        int dirs = bi == null ? 1 : 2;
        int units = fwd.units();
        int inputSize = x.last();
        int gates = kind.equals("LSTM") ? 4 : kind.equals("GRU") ? 3 : 1;
        int stateCount = kind.equals("LSTM") ? 2 : 1;
        boolean resetAfter = fwd instanceof GRU gru && gru.resetAfter();
        float[] w = new float[dirs * gates * units * inputSize];
        float[] r = new float[dirs * gates * units * units];
        float[] b = new float[dirs * 2 * gates * units];
        boolean hasBias = false;
        for (int d = 0; d < dirs; d++) {
            List<Tensor> weights = (d == 0 ? fwd : bi.backwardLayer()).getWeights();
            hasBias |= weights.size() > 2;
            convert(kind, resetAfter, weights, units, inputSize, d, w, r, b);
        }
        String xt = g.node("Transpose", hint, new String[] {x.name()}, attrInts("perm", 1, 0, 2));
        String wName = g.floats(hint + "/W", w, dirs, (long) gates * units, inputSize);
        String rName = g.floats(hint + "/R", r, dirs, (long) gates * units, units);
        String bName = hasBias ? g.floats(hint + "/B", b, dirs, 2L * gates * units) : "";
        String[] inputs = new String[kind.equals("LSTM") ? 7 : 6];
        inputs[0] = xt;
        inputs[1] = wName;
        inputs[2] = rName;
        inputs[3] = bName;
        inputs[4] = x.lengths() == null ? "" : x.lengths();
        // Initial states: given to the layer call (functional initial_state), or the state inputs of a stateful graph.
        List<String> initial = new ArrayList<>();
        if (ex.stateful) {
            for (int s = 0; s < stateCount; s++) {
                String name = hint + (s == 0 ? "/h" : "/c");
                g.graph.addInput(GraphBuilder.valueInfo(name, new int[] {-1, units}, new String[] {"batch", null}));
                initial.add(name);
            }
        } else {
            for (int i = 1; i < in.size(); i++) initial.add(in.get(i).name());
        }
        if (!initial.isEmpty()) {
            for (int s = 0; s < stateCount; s++) {
                String[] parts = new String[dirs];
                for (int d = 0; d < dirs; d++) {
                    parts[d] = g.node("Unsqueeze", hint, new String[] {initial.get(d * stateCount + s), g.longs(hint + "/axes", 0)});
                }
                inputs[5 + s] = dirs == 1 ? parts[0] : g.node("Concat", hint, parts, attr("axis", 0L));
            }
        }
        List<org.rnn4j.onnx.proto.Onnx.AttributeProto> attrs = new ArrayList<>();
        attrs.add(attr("hidden_size", (long) units));
        attrs.add(attr("direction", bi != null ? "bidirectional" : reverse ? "reverse" : "forward"));
        attrs.add(activations(layer, fwd, kind, dirs));
        if (kind.equals("GRU")) attrs.add(attr("linear_before_reset", resetAfter ? 1L : 0L));
        int outCount = 1 + stateCount;
        String[] outs = g.nodeOutputs(kind, hint, trim(inputs), outCount, attrs.toArray(new org.rnn4j.onnx.proto.Onnx.AttributeProto[0]));
        String y = outs[0];
        int t = x.shape()[1];
        List<ExportedTensor> result = new ArrayList<>();
        String merge = bi == null ? null : bi.mergeMode();
        if (bi != null && merge == null) throw ex.refuse(layer, "Bidirectional with merge_mode=None");
        if (sequences) {
            String seq;
            int features = units;
            if (dirs == 1) {
                seq = g.node("Squeeze", hint, new String[] {y, g.longs(hint + "/axes", 1)});
                seq = g.node("Transpose", hint, new String[] {seq}, attrInts("perm", 1, 0, 2));
                if (reverse) {
                    // Keras's go_backwards gives the outputs in processing order; ONNX in input order.
                    seq = g.node("Slice", hint, new String[] {seq, g.longs(hint + "/start", -1), g.longs(hint + "/end", INT64_MIN),
                            g.longs(hint + "/axes", 1), g.longs(hint + "/step", -1)});
                }
            } else if (merge.equals("concat")) {
                seq = g.node("Transpose", hint, new String[] {y}, attrInts("perm", 2, 0, 1, 3));
                seq = g.node("Reshape", hint, new String[] {seq, g.longs(hint + "/shape", 0, 0, -1)});
                features = 2 * units;
            } else {
                String yt = g.node("Transpose", hint, new String[] {y}, attrInts("perm", 2, 0, 1, 3));  // (B, T, D, H)
                seq = mergeDirections(merge, yt, 2, hint);
            }
            result.add(new ExportedTensor(seq, new int[] {-1, t, features}, x.lengths()));
        } else {
            String last;
            int features = units;
            if (dirs == 1) {
                last = g.node("Squeeze", hint, new String[] {outs[1], g.longs(hint + "/axes", 0)});
            } else if (merge.equals("concat")) {
                last = g.node("Transpose", hint, new String[] {outs[1]}, attrInts("perm", 1, 0, 2));
                last = g.node("Reshape", hint, new String[] {last, g.longs(hint + "/shape", 0, -1)});
                features = 2 * units;
            } else {
                last = mergeDirections(merge, outs[1], 0, hint);  // Y_h is (D, B, H)
            }
            result.add(new ExportedTensor(last, new int[] {-1, features}, null));
        }
        boolean returnState = fwd.returnState();
        if (returnState || ex.stateful) {
            List<String> states = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                for (int s = 0; s < stateCount; s++) {
                    String state = dirs == 1 ? g.node("Squeeze", hint, new String[] {outs[1 + s], g.longs(hint + "/axes", 0)})
                            : g.node("Gather", hint, new String[] {outs[1 + s], g.scalarLong(hint + "/direction", d)}, attr("axis", 0L));
                    states.add(state);
                }
            }
            if (ex.stateful) {
                for (int s = 0; s < stateCount; s++) {
                    String name = hint + (s == 0 ? "/h_out" : "/c_out");
                    g.graph.addNode(org.rnn4j.onnx.proto.Onnx.NodeProto.newBuilder().setOpType("Identity")
                            .setName(name + "/Identity").addInput(states.get(s)).addOutput(name));
                    g.graph.addOutput(GraphBuilder.valueInfo(name, new int[] {-1, units}, new String[] {"batch", null}));
                }
            }
            if (returnState) {
                for (String s : states) result.add(new ExportedTensor(s, new int[] {-1, units}, null));
            }
        }
        return result;
    }

    private static String[] trim(String[] inputs) {
        int n = inputs.length;
        while (n > 0 && (inputs[n - 1] == null || inputs[n - 1].isEmpty())) n--;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = inputs[i] == null ? "" : inputs[i];
        return out;
    }

    /** sum, mul, ave of the two directions along {@code axis} of a value. */
    private String mergeDirections(String merge, String v, int axis, String hint) {
        String a = g.node("Gather", hint, new String[] {v, g.scalarLong(hint + "/forward", 0)}, attr("axis", (long) axis));
        String b = g.node("Gather", hint, new String[] {v, g.scalarLong(hint + "/backward", 1)}, attr("axis", (long) axis));
        return switch (merge) {
            case "sum" -> g.node("Add", hint, new String[] {a, b});
            case "mul" -> g.node("Mul", hint, new String[] {a, b});
            case "ave" -> g.node("Mean", hint, new String[] {a, b});
            default -> throw new IllegalStateException(merge);
        };
    }

    private org.rnn4j.onnx.proto.Onnx.AttributeProto activations(Layer layer, RNN<?> rnn, String kind, int dirs) {
        String act = onnxActivation(layer, (String) LayerExport.config(rnn, "activation"));
        List<String> names = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            if (kind.equals("RNN")) {
                names.add(act);
            } else {
                names.add(onnxActivation(layer, (String) LayerExport.config(rnn, "recurrent_activation")));
                names.add(act);
                if (kind.equals("LSTM")) names.add(act);
            }
        }
        return attrStrings("activations", names.toArray(String[]::new));
    }

    private String onnxActivation(Layer layer, String keras) {
        return switch (keras) {
            case "sigmoid" -> "Sigmoid";
            case "tanh" -> "Tanh";
            case "relu" -> "Relu";
            case "softsign" -> "Softsign";
            case "softplus" -> "Softplus";
            case "hard_sigmoid" -> "HardSigmoid";  // ONNX's default alpha 0.2, beta 0.5: Keras 2's hard_sigmoid
            default -> throw ex.refuse(layer, "recurrent activation " + keras);
        };
    }

    /** Keras kernel (in, g·u), recurrent (u, g·u), bias into ONNX W, R, B of direction d. */
    private static void convert(String kind, boolean resetAfter, List<Tensor> weights, int u, int in, int d,
                                float[] w, float[] r, float[] b) {
        int gates = kind.equals("LSTM") ? 4 : kind.equals("GRU") ? 3 : 1;
        float[] kernel = weights.get(0).data();
        float[] recurrent = weights.get(1).data();
        float[] bias = weights.size() > 2 ? weights.get(2).data() : null;
        int gu = gates * u;
        int wOff = d * gu * in;
        int rOff = d * gu * u;
        int bOff = d * 2 * gu;
        for (int og = 0; og < gates; og++) {
            int k = kind.equals("LSTM") ? KERAS_LSTM_GATE[og] : og;
            for (int row = 0; row < u; row++) {
                int col = k * u + row;
                int dst = og * u + row;
                for (int j = 0; j < in; j++) w[wOff + dst * in + j] = kernel[j * gu + col];
                for (int j = 0; j < u; j++) r[rOff + dst * u + j] = recurrent[j * gu + col];
                if (bias != null) {
                    b[bOff + dst] = bias[col];
                    if (resetAfter) b[bOff + gu + dst] = bias[gu + col];
                }
            }
        }
    }
}
