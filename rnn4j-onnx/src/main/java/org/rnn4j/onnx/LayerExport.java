package org.rnn4j.onnx;

import static org.rnn4j.onnx.GraphBuilder.attr;
import static org.rnn4j.onnx.GraphBuilder.attrInts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Average;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Multiply;
import org.rnn4j.layers.merging.Subtract;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.tensor.Tensor;

/**
 * Exports one rnn4j layer call as ONNX nodes: Dense (Gemm, or MatMul + Add on sequences), TimeDistributed(Dense),
 * Activation, Dropout (identity at inference), Masking (zeroes masked steps and gives the recurrent layers after it
 * their {@code sequence_lens}), Embedding ({@code Gather}), RepeatVector, Flatten, the merges, and the recurrent
 * layers ({@link RecurrentExport}).
 */
final class LayerExport {
    static final String EXPORTABLE = "LSTM, GRU, SimpleRNN, Bidirectional, Dense, TimeDistributed(Dense), Activation, "
            + "Dropout, Masking, Embedding, RepeatVector, Cropping1D, Reshape, Flatten, Concatenate, Add, Subtract, Multiply, Average";

    final GraphBuilder g;
    final boolean stateful;
    private final RecurrentExport recurrent;

    LayerExport(GraphBuilder g, boolean stateful) {
        this.g = g;
        this.stateful = stateful;
        this.recurrent = new RecurrentExport(this);
    }

    ExportedTensor input(String name, int[] shape) {
        if (stateful) {
            if (shape.length != 3) throw new ModelFormatException("A one-timestep (stateful) export needs a (batch, time, "
                    + "features) input; input \"" + name + "\" has rank " + shape.length);
            g.graph.addInput(GraphBuilder.valueInfo(name, new int[] {-1, shape[2]}, new String[] {"batch", null}));
            String x = g.node("Unsqueeze", name, new String[] {name, g.longs(name + "/axes", 1)});
            return new ExportedTensor(x, new int[] {-1, 1, shape[2]}, null);
        }
        int[] dims = shape.clone();
        dims[0] = -1;
        g.graph.addInput(GraphBuilder.valueInfo(name, dims, OnnxExporter.dimNames(dims.length)));
        return new ExportedTensor(name, dims, null);
    }

    /** A model output as the graph gives it: in a one-timestep graph, a sequence output loses its time axis. */
    ExportedTensor output(ExportedTensor t) {
        if (stateful && t.rank() == 3) {
            String y = g.node("Squeeze", "output", new String[] {t.name(), g.longs("output/axes", 1)});
            return t.with(y, new int[] {-1, t.last()});
        }
        return t;
    }

    void finishStates() { }

    List<ExportedTensor> layer(Layer layer, List<ExportedTensor> in) {
        String hint = layer.name();
        ExportedTensor x = in.get(0);
        if (layer instanceof InputLayer || layer instanceof Dropout) return List.of(x);
        if (layer instanceof RNN<?> || layer instanceof Bidirectional) return recurrent.export(layer, in);
        if (layer instanceof Dense d) return List.of(dense(d, x, hint));
        if (layer instanceof TimeDistributed td) {
            Layer inner = td.layer();
            if (inner instanceof Dense || inner instanceof ActivationLayer || inner instanceof Dropout) {
                return List.of(layer(inner, List.of(x)).get(0));
            }
            throw refuse(layer, "TimeDistributed(" + inner.className() + ")");
        }
        if (layer instanceof ActivationLayer) {
            String act = (String) layer.getConfig().get("activation");
            return List.of(x.with(activation(act, x.name(), hint, layer), x.shape()));
        }
        if (layer instanceof Masking m) return List.of(masking(m, x, hint));
        if (layer instanceof Embedding e) {
            if (e.maskZero()) throw refuse(layer, "Embedding with mask_zero=True (its mask is not trailing padding in general)");
            String ids = g.node("Cast", hint, new String[] {x.name()}, attr("to", 7L));
            Tensor table = e.getWeights().get(0);
            String w = g.floats(hint + "/embeddings", table.data(), e.inputDim(), e.outputDim());
            String out = g.node("Gather", hint, new String[] {w, ids}, attr("axis", 0L));
            int[] shape = new int[x.rank() + 1];
            System.arraycopy(x.shape(), 0, shape, 0, x.rank());
            shape[x.rank()] = e.outputDim();
            return List.of(new ExportedTensor(out, shape, null));
        }
        if (layer instanceof RepeatVector r) {
            String u = g.node("Unsqueeze", hint, new String[] {x.name(), g.longs(hint + "/axes", 1)});
            String out = g.node("Expand", hint, new String[] {u, g.longs(hint + "/shape", 1, r.n(), x.last())});
            return List.of(new ExportedTensor(out, new int[] {-1, r.n(), x.last()}, null));
        }
        if (layer instanceof org.rnn4j.layers.reshaping.Cropping1D) {
            // Keras's Cropping1D keeps steps [start, T - end) and drops the mask: ONNX Slice on the time axis.
            if (stateful) throw refuse(layer, "Cropping1D in a one-timestep (stateful) graph");
            List<?> crop = (List<?>) layer.getConfig().get("cropping");
            long start = ((Number) crop.get(0)).longValue(), end = ((Number) crop.get(1)).longValue();
            String out = g.node("Slice", hint, new String[] {x.name(), g.longs(hint + "/starts", start),
                    g.longs(hint + "/ends", end == 0 ? Long.MAX_VALUE : -end), g.longs(hint + "/axes", 1)});
            int[] shape = x.shape().clone();
            if (shape[1] >= 0) shape[1] -= (int) (start + end);
            return List.of(new ExportedTensor(out, shape, null));
        }
        if (layer instanceof org.rnn4j.layers.reshaping.Reshape r) {
            // ONNX Reshape with the batch axis copied (0) and Keras's target shape after it (one -1 allowed in both).
            int[] t = r.targetShape();
            long[] dims = new long[t.length + 1];
            int[] shape = new int[t.length + 1];
            shape[0] = -1;
            int known = 1;
            boolean dynamic = false;
            for (int i = 1; i < x.rank(); i++) {
                if (x.shape()[i] < 0) dynamic = true;
                else known *= x.shape()[i];
            }
            int product = 1;
            for (int d : t) if (d > 0) product *= d;
            for (int i = 0; i < t.length; i++) {
                dims[i + 1] = t[i];
                shape[i + 1] = t[i] > 0 ? t[i] : dynamic ? -1 : known / product;
            }
            String out = g.node("Reshape", hint, new String[] {x.name(), g.longs(hint + "/shape", dims)});
            return List.of(new ExportedTensor(out, shape, null));
        }
        if (layer instanceof Flatten) {
            int size = 1;
            for (int i = 1; i < x.rank(); i++) {
                if (x.shape()[i] < 0) throw refuse(layer, "Flatten of a dynamic axis");
                size *= x.shape()[i];
            }
            String out = g.node("Flatten", hint, new String[] {x.name()}, attr("axis", 1L));
            return List.of(new ExportedTensor(out, new int[] {-1, size}, null));
        }
        if (layer instanceof Add || layer instanceof Subtract || layer instanceof Multiply || layer instanceof Average) {
            String op = layer instanceof Add ? "Add" : layer instanceof Subtract ? "Sub" : layer instanceof Multiply ? "Mul" : "Mean";
            String acc = in.get(0).name();
            if (op.equals("Mean")) {
                String[] names = in.stream().map(ExportedTensor::name).toArray(String[]::new);
                acc = g.node("Mean", hint, names);
            } else {
                for (int i = 1; i < in.size(); i++) acc = g.node(op, hint, new String[] {acc, in.get(i).name()});
            }
            return List.of(new ExportedTensor(acc, x.shape(), lengths(in)));
        }
        if (layer instanceof Concatenate c) {
            int axis = c.axis() < 0 ? c.axis() + x.rank() : c.axis();
            String[] names = in.stream().map(ExportedTensor::name).toArray(String[]::new);
            String out = g.node("Concat", hint, names, attr("axis", (long) axis));
            int[] shape = x.shape().clone();
            shape[axis] = 0;
            for (ExportedTensor t : in) shape[axis] = shape[axis] < 0 || t.shape()[axis] < 0 ? -1 : shape[axis] + t.shape()[axis];
            return List.of(new ExportedTensor(out, shape, lengths(in)));
        }
        throw refuse(layer, layer.className());
    }

    private static String lengths(List<ExportedTensor> in) {
        for (ExportedTensor t : in) if (t.lengths() != null) return t.lengths();
        return null;
    }

    ModelFormatException refuse(Layer layer, String what) {
        return new ModelFormatException("Layer \"" + layer.name() + "\": " + what + " cannot be exported to ONNX; exportable: "
                + EXPORTABLE);
    }

    private ExportedTensor dense(Dense d, ExportedTensor x, String hint) {
        List<Tensor> w = d.getWeights();
        Tensor kernel = w.get(0);
        int in = kernel.shape(0);
        int units = kernel.shape(1);
        String k = g.floats(hint + "/kernel", kernel.data(), in, units);
        String out;
        if (x.rank() == 2) {
            String b = d.useBias() ? g.floats(hint + "/bias", w.get(1).data(), units) : null;
            out = g.node("Gemm", hint, b == null ? new String[] {x.name(), k} : new String[] {x.name(), k, b});
        } else {
            out = g.node("MatMul", hint, new String[] {x.name(), k});
            if (d.useBias()) out = g.node("Add", hint, new String[] {out, g.floats(hint + "/bias", w.get(1).data(), units)});
        }
        int[] shape = x.shape().clone();
        shape[shape.length - 1] = units;
        out = activation(d.activation().name(), out, hint, d);
        return new ExportedTensor(out, shape, x.rank() == 3 ? x.lengths() : null);
    }

    /** The nodes of a Keras activation; linear is none. */
    String activation(String name, String x, String hint, Layer layer) {
        return switch (name) {
            case "linear" -> x;
            case "relu" -> g.node("Relu", hint, new String[] {x});
            case "sigmoid" -> g.node("Sigmoid", hint, new String[] {x});
            case "tanh" -> g.node("Tanh", hint, new String[] {x});
            case "softmax" -> g.node("Softmax", hint, new String[] {x}, attr("axis", -1L));
            case "softplus" -> g.node("Softplus", hint, new String[] {x});
            case "softsign" -> g.node("Softsign", hint, new String[] {x});
            case "elu" -> g.node("Elu", hint, new String[] {x}, attr("alpha", 1f));
            case "exponential" -> g.node("Exp", hint, new String[] {x});
            case "hard_sigmoid" -> g.node("HardSigmoid", hint, new String[] {x}, attr("alpha", 0.2f), attr("beta", 0.5f));
            case "swish", "silu" -> g.node("Mul", hint, new String[] {x, g.node("Sigmoid", hint, new String[] {x})});
            default -> throw refuse(layer, "activation " + name);
        };
    }

    /**
     * Keras's Masking: a timestep whose features all equal the mask value is zeroed and masked. The recurrent layers
     * after it get {@code sequence_lens}, the count of unmasked steps, which is exact when the padding is trailing.
     */
    private ExportedTensor masking(Masking m, ExportedTensor x, String hint) {
        if (x.rank() != 3) throw refuse(m, "Masking of a rank-" + x.rank() + " input");
        String eq = g.node("Equal", hint, new String[] {x.name(), g.scalar(hint + "/mask_value", m.maskValue())});
        String keep = g.node("Not", hint, new String[] {eq});
        String keepF = g.node("Cast", hint, new String[] {keep}, attr("to", 1L));
        String step = g.node("ReduceMax", hint, new String[] {keepF}, attrInts("axes", 2), attr("keepdims", 0L));
        String lens = g.node("ReduceSum", hint, new String[] {step, g.longs(hint + "/time_axis", 1)}, attr("keepdims", 0L));
        String lens32 = g.node("Cast", hint, new String[] {lens}, attr("to", 6L));
        String step3 = g.node("Unsqueeze", hint, new String[] {step, g.longs(hint + "/feature_axis", 2)});
        String out = g.node("Mul", hint, new String[] {x.name(), step3});
        return new ExportedTensor(out, x.shape(), lens32);
    }

    /** The Keras config value of a layer. */
    static Object config(Layer layer, String key) {
        Map<String, Object> c = layer.getConfig();
        return c.get(key);
    }

    static List<String> names(List<ExportedTensor> ts) {
        List<String> out = new ArrayList<>();
        for (ExportedTensor t : ts) out.add(t.name());
        return out;
    }
}
