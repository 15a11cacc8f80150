package org.rnn4j.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Average;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Multiply;
import org.rnn4j.layers.merging.Subtract;
import org.rnn4j.onnx.Value.Axis;
import org.rnn4j.onnx.Value.Symbolic;

/**
 * The ONNX nodes that become rnn4j layers: recurrent operators, Gemm and MatMul(+Add) as Dense, activations,
 * merges (Add, Sub, Mul, Mean, Sum, Concat), Gather (an Embedding, the last timestep, or folding).
 */
final class LayerOps {
    private final OnnxImporter importer;

    LayerOps(OnnxImporter importer) { this.importer = importer; }

    Value[] recurrent(Node n) {
        RecurrentOp.Kind kind = RecurrentOp.Kind.valueOf(n.op);
        if (!(n.required(0) instanceof Symbolic x)) throw n.unsupported("a recurrent operator on " + GlueOps.kind(n.required(0)));
        int layout = (int) n.attrInt("layout", 0);
        if (x.rank() != 3 || x.core().size() != 3 && !(x.indexOf(Axis.Kind.D) >= 0)) {
            throw n.fail("input X must have 3 axes, got " + OnnxImporter.describe(x));
        }
        Axis a0 = x.axes().get(0);
        Axis a1 = x.axes().get(1);
        boolean timeMajor = a0.kind() == Axis.Kind.T && a1.kind() == Axis.Kind.B;
        boolean batchMajor = a0.kind() == Axis.Kind.B && a1.kind() == Axis.Kind.T;
        if (!(layout == 0 ? timeMajor : batchMajor) || !(x.axes().get(2).kind() == Axis.Kind.F)) {
            throw n.unsupported("input X with axes " + OnnxImporter.describe(x) + " (layout=" + layout + ")");
        }
        int inputSize = x.axes().get(2).size();
        int timesteps = (layout == 0 ? a0 : a1).size();
        String direction = n.attrString("direction", "forward");
        boolean bidirectional = direction.equals("bidirectional");
        boolean reverse = direction.equals("reverse");
        if (!bidirectional && !reverse && !direction.equals("forward")) throw n.fail("unknown direction \"" + direction + "\"");
        int dirs = bidirectional ? 2 : 1;
        if (n.attribute("clip") != null) throw n.unsupported("cell clipping (clip)");
        if (n.attrInt("input_forget", 0) != 0) throw n.unsupported("input_forget=1 (coupled input and forget gates)");
        if (kind == RecurrentOp.Kind.LSTM && n.hasInput(7)) throw n.unsupported("peephole weights (P)");
        Const w = n.constant(1, "W");
        Const r = n.constant(2, "R");
        int gates = kind == RecurrentOp.Kind.LSTM ? 4 : kind == RecurrentOp.Kind.GRU ? 3 : 1;
        if (r.rank() != 3) throw n.fail("R must have 3 dims, got " + java.util.Arrays.toString(r.dims));
        int hidden = (int) n.attrInt("hidden_size", r.dims[2]);
        if (hidden <= 0 || hidden > 1 << 20) throw n.fail("hidden_size " + hidden);
        checkDims(n, "W", w, dirs, (long) gates * hidden, inputSize);
        checkDims(n, "R", r, dirs, (long) gates * hidden, hidden);
        Const b = n.hasInput(3) ? n.constant(3, "B") : null;
        if (b != null) checkDims(n, "B", b, dirs, 2L * gates * hidden);
        List<String> acts = n.attrStrings("activations");
        int perDir = kind == RecurrentOp.Kind.LSTM ? 3 : kind == RecurrentOp.Kind.GRU ? 2 : 1;
        if (!acts.isEmpty() && acts.size() != perDir * dirs) throw n.fail("activations " + acts + ": expected " + perDir * dirs);
        for (int d = 1; d < dirs && !acts.isEmpty(); d++) {
            if (!acts.subList(0, perDir).equals(acts.subList(d * perDir, (d + 1) * perDir))) {
                throw n.unsupported("different activations per direction " + acts);
            }
        }
        String recurrentActivation = "sigmoid";
        String activation = "tanh";
        if (!acts.isEmpty()) {
            if (kind == RecurrentOp.Kind.RNN) {
                activation = activationName(n, acts.get(0));
            } else {
                recurrentActivation = activationName(n, acts.get(0));
                activation = activationName(n, acts.get(1));
                if (kind == RecurrentOp.Kind.LSTM && !acts.get(1).equalsIgnoreCase(acts.get(2))) {
                    throw n.unsupported("an LSTM whose cell and output activations differ " + acts);
                }
            }
        }
        if (n.attribute("activation_alpha") != null || n.attribute("activation_beta") != null) {
            throw n.unsupported("activation_alpha/activation_beta");
        }
        float[][] wd = split(w.asFloats(), dirs);
        float[][] rd = split(r.asFloats(), dirs);
        float[][] bd = b == null ? new float[dirs][2 * gates * hidden] : split(b.asFloats(), dirs);
        Op.Ref xRef = x.ref();
        Value lens = n.input(4);
        if (lens instanceof Value.MaskLengths m) {
            if (m.source().ref().equals(xRef)) {
                xRef = new Op.Ref(new Op.LayerOp(n.name, new Masking(m.maskValue()), xRef), 0);
            } else if (!(xRef.op() instanceof RecurrentOp) && !(xRef.op() instanceof Op.LayerOp lo && lo.layer instanceof Masking)) {
                throw n.unsupported("sequence_lens computed from another tensor than X");
            }
        } else if (lens instanceof Value.Constant c) {
            if (timesteps <= 0 || !c.value().allEqual(timesteps)) {
                throw n.unsupported("constant sequence_lens shorter than the sequence");
            }
        } else if (lens != null) {
            throw n.unsupported("sequence_lens given as " + GlueOps.kind(lens) + " (rnn4j masks by value: Masking)");
        }
        boolean lbr = n.attrInt("linear_before_reset", 0) != 0;
        RecurrentOp op = new RecurrentOp(n.name, kind, xRef, hidden, inputSize, bidirectional, reverse, activation,
                recurrentActivation, lbr, wd, rd, bd);
        int stateCount = kind == RecurrentOp.Kind.LSTM ? 2 : 1;
        List<List<Op.Ref>> initial = new ArrayList<>();  // [state][direction]
        for (int s = 0; s < stateCount; s++) {
            Value init = n.input(5 + s);
            if (init == null || init instanceof Value.Zeros || init instanceof Value.Constant c && c.value().allEqual(0)) continue;
            List<Op.Ref> byDirection = new ArrayList<>();
            if (init instanceof Symbolic is && dirs == 1 && is.rank() == 3 && is.axes().get(0).kind() == Axis.Kind.ONE
                    && is.canonical() && is.features() == hidden) {
                byDirection.add(is.ref());
            } else if (init instanceof Value.Stack st && st.parts().size() == dirs) {
                for (Symbolic p : st.parts()) byDirection.add(p.ref());
            } else {
                throw n.unsupported("an initial state given as " + GlueOps.kind(init));
            }
            initial.add(byDirection);
        }
        if (!initial.isEmpty() && initial.size() != stateCount) throw n.unsupported("initial_h without initial_c, or the reverse");
        for (int d = 0; d < dirs && !initial.isEmpty(); d++) {
            for (int s = 0; s < stateCount; s++) op.addInput(initial.get(s).get(d));
        }
        List<Axis> y = new ArrayList<>();
        Axis dirAxis = bidirectional ? Axis.of(Axis.Kind.D, 2) : Axis.ONE;
        Axis hAxis = Axis.of(bidirectional ? Axis.Kind.H : Axis.Kind.F, hidden);
        Axis tAxis = Axis.of(Axis.Kind.T, timesteps);
        if (layout == 0) y.addAll(List.of(tAxis, dirAxis, Axis.BATCH, hAxis));
        else y.addAll(List.of(Axis.BATCH, tAxis, dirAxis, hAxis));
        Value[] out = new Value[3];
        out[0] = new Symbolic(new Op.Ref(op, 0), y);
        for (int o = 1; o <= (kind == RecurrentOp.Kind.LSTM ? 2 : 1); o++) {
            List<Symbolic> parts = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                parts.add(new Symbolic(new Op.Ref(op, RecurrentOp.stateRef(o, d)),
                        List.of(Axis.BATCH, Axis.of(Axis.Kind.F, hidden))));
            }
            if (bidirectional) {
                out[o] = new Value.Stack(parts, o == 1 ? op : null);
            } else {
                Symbolic p = parts.get(0);
                out[o] = p.withAxes(layout == 0 ? List.of(Axis.ONE, Axis.BATCH, p.axes().get(1))
                        : List.of(Axis.BATCH, Axis.ONE, p.axes().get(1)));
            }
        }
        return out;
    }

    private static void checkDims(Node n, String what, Const c, long... want) {
        if (!java.util.Arrays.equals(c.dims, want)) {
            throw n.fail(what + " has shape " + java.util.Arrays.toString(c.dims) + ", expected " + java.util.Arrays.toString(want));
        }
    }

    private static float[][] split(float[] v, int parts) {
        float[][] out = new float[parts][];
        int len = v.length / parts;
        for (int i = 0; i < parts; i++) out[i] = java.util.Arrays.copyOfRange(v, i * len, (i + 1) * len);
        return out;
    }

    private static String activationName(Node n, String onnx) {
        return switch (onnx.toLowerCase(Locale.ROOT)) {
            case "sigmoid" -> "sigmoid";
            case "tanh" -> "tanh";
            case "relu" -> "relu";
            case "softsign" -> "softsign";
            case "softplus" -> "softplus";
            case "hardsigmoid" -> "hard_sigmoid";  // ONNX's default alpha 0.2, beta 0.5 (alpha/beta attributes are refused)
            default -> throw n.unsupported("recurrent activation " + onnx + " (Sigmoid, Tanh, Relu, Softsign, Softplus are)");
        };
    }

    Value[] gemm(Node n) {
        Value a = n.required(0);
        if (!(a instanceof Symbolic x) || !x.canonical() || x.hasTime()) {
            throw n.unsupported("Gemm on " + GlueOps.kind(a) + " (a (batch, features) value is needed)");
        }
        if (n.attrInt("transA", 0) != 0) throw n.unsupported("Gemm with transA=1");
        Const b = n.constant(1, "B");
        if (b.rank() != 2) throw n.fail("B must be a matrix");
        boolean transB = n.attrInt("transB", 0) != 0;
        int in = (int) (transB ? b.dims[1] : b.dims[0]);
        int units = (int) (transB ? b.dims[0] : b.dims[1]);
        if (in != x.features()) throw n.fail("B takes " + in + " features, its input has " + x.features());
        float alpha = n.attrFloat("alpha", 1f);
        float beta = n.attrFloat("beta", 1f);
        float[] bv = b.asFloats();
        float[] kernel = new float[in * units];
        for (int i = 0; i < in; i++) {
            for (int u = 0; u < units; u++) kernel[i * units + u] = alpha * (transB ? bv[u * in + i] : bv[i * units + u]);
        }
        float[] bias = null;
        if (n.hasInput(2)) bias = biasVector(n, n.constant(2, "C"), units, beta);
        Op.DenseOp op = new Op.DenseOp(n.name, x.ref(), kernel, in, units, bias, n.outputUsedOnce(0));
        return new Value[] {new Symbolic(new Op.Ref(op, 0), List.of(Axis.BATCH, Axis.of(Axis.Kind.F, units)))};
    }

    private static float[] biasVector(Node n, Const c, int units, float scale) {
        long count = c.size();
        if (!(count == units || count == 1) || c.rank() > 2 || (c.rank() == 2 && c.dims[0] != 1)) {
            throw n.unsupported("a bias of shape " + java.util.Arrays.toString(c.dims) + " for " + units + " units");
        }
        float[] v = new float[units];
        for (int u = 0; u < units; u++) v[u] = scale * (float) c.get(count == 1 ? 0 : u);
        return v;
    }

    Value[] matMul(Node n) {
        Value a = n.required(0);
        Value bv = n.required(1);
        if (!(a instanceof Symbolic x) || !(bv instanceof Value.Constant bc) || bc.value().rank() != 2) {
            throw n.unsupported("MatMul of " + GlueOps.kind(a) + " by " + GlueOps.kind(bv)
                    + " (a value times a constant matrix is supported)");
        }
        Axis last = x.axes().get(x.rank() - 1);
        if (!x.canonical() || last.kind() != Axis.Kind.F) throw n.unsupported("MatMul on a value with axes " + OnnxImporter.describe(x));
        Const b = bc.value();
        int in = (int) b.dims[0];
        int units = (int) b.dims[1];
        if (in != last.size()) throw n.fail("the matrix takes " + in + " features, its input has " + last.size());
        Op.DenseOp op = new Op.DenseOp(n.name, x.ref(), b.asFloats().clone(), in, units, null, n.outputUsedOnce(0));
        List<Axis> axes = new ArrayList<>(x.axes());
        axes.set(axes.size() - 1, Axis.of(Axis.Kind.F, units));
        return new Value[] {new Symbolic(new Op.Ref(op, 0), axes)};
    }

    Value[] activation(Node n) {
        Value v = n.required(0);
        if (!(v instanceof Symbolic x)) throw n.unsupported(n.op + " of " + GlueOps.kind(v));
        String act = n.op.toLowerCase(Locale.ROOT);
        if (n.op.equals("Softmax")) {
            long axis = n.attrInt("axis", n.opset() >= 13 ? -1 : 1);
            if (axis < 0) axis += x.rank();
            if (axis != x.rank() - 1 || x.axes().get(x.rank() - 1).kind() != Axis.Kind.F) {
                throw n.unsupported("Softmax over axis " + axis + " of a value with axes " + OnnxImporter.describe(x));
            }
        }
        if (x.ref().op() instanceof Op.DenseOp d && d.foldable && d.activation.equals("linear")) {
            d.activation = act;
            return new Value[] {x};
        }
        return new Value[] {importer.activationLayer(n, x, act)};
    }

    Value[] arithmetic(Node n) {
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) in.add(n.required(i));
        boolean allConst = in.stream().allMatch(v -> v instanceof Value.Constant);
        if (allConst && in.size() == 2 && !n.op.equals("Mean") && !n.op.equals("Sum")) {
            return new Value[] {new Value.Constant(ConstMath.binary(((Value.Constant) in.get(0)).value(),
                    ((Value.Constant) in.get(1)).value(), n.op))};
        }
        if (in.stream().allMatch(v -> v instanceof Symbolic)) return new Value[] {merge(n, in)};
        if (n.op.equals("Mul") && in.size() == 2) {
            // x · keep(x): Keras's Masking zeroing the masked timesteps of x.
            int si = in.get(0) instanceof Symbolic ? 0 : 1;
            if (in.get(si) instanceof Symbolic x && in.get(1 - si) instanceof Value.MaskPart p && p.stage() == 4
                    && p.source().ref().equals(x.ref())) {
                Op.LayerOp op = new Op.LayerOp(n.name, new Masking(p.maskValue()), x.ref());
                return new Value[] {new Symbolic(new Op.Ref(op, 0), x.axes())};
            }
        }
        if (n.op.equals("Add") && in.size() == 2) {
            // MatMul + Add of a bias vector: the Dense's bias.
            int si = in.get(0) instanceof Symbolic ? 0 : 1;
            if (in.get(si) instanceof Symbolic x && in.get(1 - si) instanceof Value.Constant c
                    && x.ref().op() instanceof Op.DenseOp d && d.bias == null && d.foldable
                    && d.activation.equals("linear")) {
                d.bias = biasVector(n, c.value(), d.units, 1f);
                return new Value[] {x};
            }
        }
        if (in.stream().allMatch(v -> v instanceof Value.ShapeVector || v instanceof Value.Constant)) {
            throw n.unsupported(n.op + " on a batch-dependent shape");
        }
        throw n.unsupported(n.op + " of " + GlueOps.kind(in.get(0)) + " and " + GlueOps.kind(in.get(in.size() - 1)));
    }

    private Value merge(Node n, List<Value> in) {
        Symbolic first = (Symbolic) in.get(0);
        List<Op.Ref> refs = new ArrayList<>();
        for (Value v : in) {
            Symbolic s = (Symbolic) v;
            if (!s.canonical() || !s.axes().equals(first.axes())) {
                throw n.unsupported(n.op + " of values with axes " + OnnxImporter.describe(first) + " and "
                        + OnnxImporter.describe(s) + " (values of one shape are merged)");
            }
            refs.add(s.ref());
        }
        if (in.size() == 1) return first;
        Layer layer = switch (n.op) {
            case "Add", "Sum" -> new Add();
            case "Sub" -> new Subtract();
            case "Mul" -> new Multiply();
            case "Mean" -> new Average();
            default -> throw n.unsupported(n.op + " of two values");
        };
        Op.LayerOp op = new Op.LayerOp(n.name, layer, refs.toArray(Op.Ref[]::new));
        return new Symbolic(new Op.Ref(op, 0), first.axes());
    }

    Value[] concat(Node n) {
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) in.add(n.required(i));
        int rank = GlueOps.rank(in.get(0), n);
        long axis = n.attrInt("axis", 0);
        if (axis < 0) axis += rank;
        if (in.stream().allMatch(v -> v instanceof Value.Constant || v instanceof Value.ShapeVector)) {
            if (in.stream().allMatch(v -> v instanceof Value.Constant)) {
                return new Value[] {new Value.Constant(ConstMath.concat(
                        in.stream().map(v -> ((Value.Constant) v).value()).toArray(Const[]::new), (int) axis))};
            }
            List<Object> out = new ArrayList<>();
            for (Value v : in) out.addAll(GlueOps.entries(v, n, "a Concat input"));
            return new Value[] {GlueOps.vector(out)};
        }
        if (axis == 0 && in.stream().allMatch(v -> v instanceof Value.Stack || v instanceof Symbolic s
                && s.rank() == 3 && s.axes().get(0).kind() == Axis.Kind.ONE)) {
            List<Symbolic> parts = new ArrayList<>();
            for (Value v : in) {
                if (v instanceof Value.Stack st) parts.addAll(st.parts());
                else parts.add(((Symbolic) v).withAxes(((Symbolic) v).core()));
            }
            return new Value[] {new Value.Stack(parts, null)};
        }
        if (in.stream().allMatch(v -> v instanceof Symbolic)) {
            Symbolic first = (Symbolic) in.get(0);
            List<Op.Ref> refs = new ArrayList<>();
            int features = 0;
            for (Value v : in) {
                Symbolic s = (Symbolic) v;
                if (!s.canonical() || s.rank() != first.rank() || s.axes().get((int) axis).kind() != Axis.Kind.F
                        || (int) axis != s.rank() - 1) {
                    throw n.unsupported("Concat on axis " + axis + " of a value with axes " + OnnxImporter.describe(s));
                }
                for (int i = 0; i < s.rank() - 1; i++) {
                    if (!s.axes().get(i).equals(first.axes().get(i))) throw n.unsupported("Concat of values with axes "
                            + OnnxImporter.describe(first) + " and " + OnnxImporter.describe(s));
                }
                features += s.axes().get((int) axis).size();
                refs.add(s.ref());
            }
            Op.LayerOp op = new Op.LayerOp(n.name, new Concatenate(-1), refs.toArray(Op.Ref[]::new));
            List<Axis> axes = new ArrayList<>(first.axes());
            axes.set((int) axis, Axis.of(Axis.Kind.F, features));
            return new Value[] {new Symbolic(new Op.Ref(op, 0), axes)};
        }
        throw n.unsupported("Concat of " + GlueOps.kind(in.get(0)) + " and " + GlueOps.kind(in.get(in.size() - 1)));
    }

    Value[] gather(Node n) {
        Value data = n.required(0);
        Value idx = n.required(1);
        int rank = GlueOps.rank(data, n);
        long axis = n.attrInt("axis", 0);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) throw n.fail("axis " + n.attrInt("axis", 0) + " for rank " + rank);
        if (idx instanceof Symbolic ids) {
            // An embedding lookup: Gather(table, token ids).
            if (!(data instanceof Value.Constant table) || table.value().rank() != 2 || axis != 0) {
                throw n.unsupported("Gather of " + GlueOps.kind(data) + " at indices computed from an input");
            }
            if (!ids.canonical() || ids.rank() != 2) {
                throw n.unsupported("an embedding lookup of indices with axes " + OnnxImporter.describe(ids));
            }
            Axis steps = ids.axes().get(1);  // token ids (batch, time); a float input reads as (batch, features)
            ids = ids.withAxes(List.of(Axis.BATCH, Axis.of(Axis.Kind.T, steps.size())));
            int vocab = (int) table.value().dims[0];
            int dim = (int) table.value().dims[1];
            Embedding e = new Embedding(vocab, dim);
            Op.LayerOp op = new Op.LayerOp(n.name, e, ids.ref());
            op.weightsLayer = e;
            op.weights = List.of(org.rnn4j.tensor.Tensor.of(table.value().asFloats().clone(), vocab, dim));
            List<Axis> axes = new ArrayList<>(ids.axes());
            axes.add(Axis.of(Axis.Kind.F, dim));
            return new Value[] {new Symbolic(new Op.Ref(op, 0), axes)};
        }
        Const indices = n.constant(1, "indices");
        if (data instanceof Value.Constant c) return new Value[] {new Value.Constant(ConstMath.gather(c.value(), (int) axis, indices))};
        if (data instanceof Value.Zeros) return new Value[] {data};
        if (data instanceof Value.ShapeVector sv) {
            List<Object> out = new ArrayList<>();
            for (long i : indices.asLongs()) {
                long j = i < 0 ? i + sv.entries().size() : i;
                if (j < 0 || j >= sv.entries().size()) throw n.fail("index " + i + " out of range");
                out.add(sv.entries().get((int) j));
            }
            return new Value[] {GlueOps.vector(out)};
        }
        if (indices.size() != 1 || indices.rank() > 1) throw n.unsupported("Gather of several indices from " + GlueOps.kind(data));
        long i = indices.getLong(0);
        boolean keep = indices.rank() == 1;
        if (data instanceof Value.Stack st) {
            if (axis != 0) throw n.unsupported("Gather on axis " + axis + " of stacked final states");
            long j = i < 0 ? i + st.parts().size() : i;
            if (j < 0 || j >= st.parts().size()) throw n.fail("index " + i + " out of range");
            Symbolic p = st.parts().get((int) j);
            if (keep) return new Value[] {new Value.Stack(List.of(p), null)};
            return new Value[] {p};
        }
        Symbolic s = (Symbolic) data;
        Axis a = s.axes().get((int) axis);
        if (a.kind() == Axis.Kind.D && s.ref().op() instanceof RecurrentOp r && s.ref().index() == 0 && !keep) {
            // One direction's sequence of a bidirectional operator: Keras's Bidirectional with merge_mode=None.
            long d = i < 0 ? i + 2 : i;
            if (d < 0 || d > 1) throw n.fail("direction index " + i);
            List<Axis> axes = new ArrayList<>();
            for (Axis x : s.axes()) {
                if (x.kind() == Axis.Kind.D) continue;
                axes.add(x.kind() == Axis.Kind.H ? Axis.of(Axis.Kind.F, x.size()) : x);
            }
            return new Value[] {new Symbolic(new Op.Ref(r, RecurrentOp.SPLIT + (int) d), axes)};
        }
        if (a.kind() == Axis.Kind.ONE && (i == 0 || i == -1)) {
            if (keep) return new Value[] {s};
            List<Axis> axes = new ArrayList<>(s.axes());
            axes.remove((int) axis);
            return new Value[] {s.withAxes(axes)};
        }
        if (a.kind() == Axis.Kind.T && (i == -1 || (a.size() > 0 && i == a.size() - 1))) {
            return new Value[] {Layouts.lastStep(n, s, (int) axis, keep)};
        }
        throw n.unsupported("Gather of index " + i + " on axis " + axis + " of a value with axes " + OnnxImporter.describe(s));
    }
}
