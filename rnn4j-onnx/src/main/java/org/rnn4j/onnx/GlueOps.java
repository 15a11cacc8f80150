package org.rnn4j.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.onnx.Value.Axis;
import org.rnn4j.onnx.Value.Symbolic;
import org.rnn4j.onnx.proto.Onnx;

/**
 * The glue around recurrent operators: constants, shape arithmetic ({@code Shape}, {@code ConstantOfShape},
 * {@code Cast}) and layout nodes ({@code Transpose}, {@code Squeeze}, {@code Unsqueeze}, {@code Reshape},
 * {@code Flatten}, {@code Slice}, {@code Identity}, {@code Dropout}); also the mask-length pattern rnn4j's
 * exporter writes for {@code Masking}. None of these makes a layer except a Flatten of a sequence.
 */
final class GlueOps {
    /** Most elements of a constant made by ConstantOfShape (not backed by bytes in the file). */
    static final int MAX_FILLED = 1 << 24;

    private final OnnxImporter importer;

    GlueOps(OnnxImporter importer) { this.importer = importer; }

    Value[] apply(Node n) {
        return switch (n.op) {
            case "Constant" -> one(constant(n));
            case "Identity", "Dropout" -> one(n.required(0));
            case "Cast" -> one(cast(n));
            case "Shape" -> one(shape(n));
            case "ConstantOfShape" -> one(constantOfShape(n));
            case "Transpose" -> one(transpose(n));
            case "Squeeze" -> one(squeeze(n));
            case "Unsqueeze" -> one(unsqueeze(n));
            case "Reshape", "Flatten" -> one(reshape(n));
            case "Slice" -> one(slice(n));
            case "Expand", "Tile" -> one(expand(n));
            case "Equal", "Not", "ReduceMax", "ReduceSum" -> one(mask(n));
            default -> throw n.unsupported("op " + n.op);
        };
    }

    private static Value[] one(Value v) { return new Value[] {v}; }

    private Value constant(Node n) {
        Onnx.AttributeProto a;
        if ((a = n.attribute("value")) != null) return new Value.Constant(OnnxTensors.decode(a.getT(), "node \"" + n.name + "\"", importer.folder));
        if ((a = n.attribute("value_float")) != null) return new Value.Constant(Const.ofFloats(new long[0], new float[] {a.getF()}));
        if ((a = n.attribute("value_int")) != null) return new Value.Constant(Const.scalar(a.getI()));
        if ((a = n.attribute("value_floats")) != null) {
            float[] v = new float[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++) v[i] = a.getFloats(i);
            return new Value.Constant(Const.ofFloats(new long[] {v.length}, v));
        }
        if ((a = n.attribute("value_ints")) != null) {
            long[] v = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            return new Value.Constant(Const.ofLongs(new long[] {v.length}, v));
        }
        throw n.fail("a Constant without a value, value_float(s) or value_int(s) attribute");
    }

    private Value cast(Node n) {
        Value v = n.required(0);
        int to = (int) n.attrInt("to", Onnx.TensorProto.DataType.FLOAT_VALUE);
        boolean toFloat = to == Onnx.TensorProto.DataType.FLOAT_VALUE || to == Onnx.TensorProto.DataType.DOUBLE_VALUE
                || to == Onnx.TensorProto.DataType.FLOAT16_VALUE;
        if (v instanceof Value.Constant c) {
            return new Value.Constant(toFloat ? Const.ofFloats(c.value().dims, c.value().asFloats())
                    : Const.ofLongs(c.value().dims, c.value().asLongs()));
        }
        return v;  // shape vectors, symbolic values (token ids to int64), mask parts: the same values
    }

    private Value shape(Node n) {
        Value v = n.required(0);
        List<Object> dims = new ArrayList<>();
        if (v instanceof Value.Constant c) {
            for (long d : c.value().dims) dims.add(d);
        } else if (v instanceof Symbolic s) {
            for (Axis a : s.axes()) {
                dims.add(switch (a.kind()) {
                    case B -> Value.ShapeVector.BATCH;
                    case T -> a.size() > 0 ? (Object) (long) a.size() : Value.ShapeVector.TIME;
                    default -> (long) a.size();
                });
            }
        } else {
            throw n.unsupported("Shape of " + kind(v));
        }
        int rank = dims.size();
        int start = (int) clampAxis(n.attrInt("start", 0), rank);
        int end = (int) clampAxis(n.attrInt("end", rank), rank);
        return vector(dims.subList(start, Math.max(start, end)));
    }

    private static long clampAxis(long a, int rank) {
        if (a < 0) a += rank;
        return Math.max(0, Math.min(rank, a));
    }

    /** A vector value: a constant when every entry is known. */
    static Value vector(List<Object> entries) {
        for (Object e : entries) {
            if (!(e instanceof Long)) return new Value.ShapeVector(new ArrayList<>(entries));
        }
        long[] v = entries.stream().mapToLong(e -> (Long) e).toArray();
        return new Value.Constant(Const.ofLongs(new long[] {v.length}, v));
    }

    /** The entries of a 0-D or 1-D integer value. */
    static List<Object> entries(Value v, Node n, String what) {
        if (v instanceof Value.ShapeVector s) return s.entries();
        if (v instanceof Value.Constant c && c.value().rank() <= 1 && !c.value().isFloat()) {
            List<Object> out = new ArrayList<>();
            for (long x : c.value().longs) out.add(x);
            return out;
        }
        throw n.fail(what + " must be a constant integer vector, got " + kind(v));
    }

    static String kind(Value v) {
        if (v instanceof Value.Constant c) return "a constant " + Arrays.toString(c.value().dims);
        if (v instanceof Symbolic s) return "a value with axes " + OnnxImporter.describe(s);
        if (v instanceof Value.Zeros) return "zeros of a dynamic shape";
        if (v instanceof Value.Stack st) return "the final states of " + st.parts().size() + " directions/layers";
        if (v instanceof Value.ShapeVector) return "a shape vector";
        return "a mask computation";
    }

    private Value constantOfShape(Node n) {
        List<Object> shape = entries(n.required(0), n, "the shape");
        Onnx.AttributeProto a = n.attribute("value");
        Const value = a == null ? Const.ofFloats(new long[] {1}, new float[] {0f})
                : OnnxTensors.decode(a.getT(), "node \"" + n.name + "\"", importer.folder);
        if (value.size() != 1) throw n.fail("its value must hold one element, got " + value.size());
        boolean known = shape.stream().allMatch(e -> e instanceof Long);
        if (!known) {
            if (value.get(0) != 0) throw n.unsupported("a non-zero constant of a batch-dependent shape");
            return new Value.Zeros();
        }
        long[] dims = shape.stream().mapToLong(e -> (Long) e).toArray();
        int count = (int) OnnxTensors.count(dims, "node \"" + n.name + "\"");
        if (count > MAX_FILLED) {
            throw n.fail("a constant of shape " + Arrays.toString(dims) + " (" + count + " elements, more than the "
                    + MAX_FILLED + " a folded constant may have)");
        }
        if (value.isFloat()) {
            float[] v = new float[count];
            Arrays.fill(v, value.floats[0]);
            return new Value.Constant(Const.ofFloats(dims, v));
        }
        long[] v = new long[count];
        Arrays.fill(v, value.longs[0]);
        return new Value.Constant(Const.ofLongs(dims, v));
    }

    private Value transpose(Node n) {
        Value v = n.required(0);
        int rank = rank(v, n);
        long[] perm = n.attrInts("perm");
        int[] p = new int[rank];
        if (perm == null || perm.length == 0) {
            for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
        } else {
            if (perm.length != rank) throw n.fail("perm " + Arrays.toString(perm) + " does not fit rank " + rank);
            boolean[] seen = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                if (perm[i] < 0 || perm[i] >= rank || seen[(int) perm[i]]) throw n.fail("perm " + Arrays.toString(perm) + " is not a permutation");
                seen[(int) perm[i]] = true;
                p[i] = (int) perm[i];
            }
        }
        if (v instanceof Value.Constant c) return new Value.Constant(ConstMath.transpose(c.value(), p));
        if (v instanceof Value.Zeros) return v;
        if (v instanceof Value.Stack st && st.owner() != null && Arrays.equals(p, new int[] {1, 0, 2})) {
            // Y_h of a bidirectional operator as (batch, directions, hidden): the layer's final output, both directions.
            return new Symbolic(new Op.Ref(st.owner(), RecurrentOp.FINAL), List.of(Axis.BATCH,
                    Axis.of(Axis.Kind.D, st.parts().size()), Axis.of(Axis.Kind.H, st.parts().get(0).features())));
        }
        if (v instanceof Symbolic s) {
            List<Axis> axes = new ArrayList<>();
            for (int i : p) axes.add(s.axes().get(i));
            return s.withAxes(axes);
        }
        throw n.unsupported("Transpose of " + kind(v));
    }

    static int rank(Value v, Node n) {
        if (v instanceof Value.Constant c) return c.value().rank();
        if (v instanceof Symbolic s) return s.rank();
        if (v instanceof Value.ShapeVector) return 1;
        if (v instanceof Value.Stack) return 3;
        if (v instanceof Value.Zeros) return 3;
        throw n.unsupported("this op on " + kind(v));
    }

    /** The axes list of Squeeze/Unsqueeze/Reduce*: an attribute before opset 13 (18 for reductions), else input 1. */
    private long[] axesArgument(Node n) {
        long[] attr = n.attrInts("axes");
        if (attr != null) return attr;
        if (n.hasInput(1)) return n.constant(1, "axes").asLongs();
        return null;
    }

    private static int normalize(long axis, int rank, Node n) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw n.fail("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    private Value squeeze(Node n) {
        Value v = n.required(0);
        int rank = rank(v, n);
        long[] axes = axesArgument(n);
        boolean[] drop = new boolean[rank];
        if (axes != null) for (long a : axes) drop[normalize(a, rank, n)] = true;
        if (v instanceof Value.Zeros) return v;
        if (v instanceof Value.Constant c) {
            List<Long> dims = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                if ((axes == null && c.value().dims[i] == 1) || drop[i]) {
                    if (c.value().dims[i] != 1) throw n.fail("cannot squeeze axis " + i + " of size " + c.value().dims[i]);
                } else {
                    dims.add(c.value().dims[i]);
                }
            }
            return new Value.Constant(ConstMath.reshape(c.value(), dims.stream().mapToLong(Long::longValue).toArray()));
        }
        if (v instanceof Value.ShapeVector s && s.entries().size() == 1) return v;
        if (v instanceof Value.Stack st && drop[0] && st.parts().size() == 1) return st.parts().get(0);
        if (v instanceof Symbolic s) {
            List<Axis> out = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                Axis a = s.axes().get(i);
                boolean squeeze = axes == null ? a.kind() == Axis.Kind.ONE : drop[i];
                if (!squeeze) {
                    out.add(a);
                } else if (a.kind() != Axis.Kind.ONE) {
                    throw n.unsupported("Squeeze of axis " + i + " of a value with axes " + OnnxImporter.describe(s));
                }
            }
            return s.withAxes(out);
        }
        throw n.unsupported("Squeeze of " + kind(v));
    }

    private Value unsqueeze(Node n) {
        Value v = n.required(0);
        long[] axes = axesArgument(n);
        if (axes == null) throw n.fail("no axes");
        if (v instanceof Value.Zeros) return v;
        if (v instanceof Value.MaskPart p && p.stage() == 3 && axes.length == 1 && normalize(axes[0], 3, n) == 2) {
            return new Value.MaskPart(p.source(), p.maskValue(), 4);  // the (batch, time, 1) keep-factor of Masking
        }
        if (v instanceof Value.ShapeVector s && s.entries().size() == 1 && axes.length == 1) return v;
        if (v instanceof Value.Stack) throw n.unsupported("Unsqueeze of stacked final states");
        int rank = rank(v, n) + axes.length;
        boolean[] insert = new boolean[rank];
        for (long a : axes) insert[normalize(a, rank, n)] = true;
        if (v instanceof Value.Constant c) {
            long[] dims = new long[rank];
            int k = 0;
            for (int i = 0; i < rank; i++) dims[i] = insert[i] ? 1 : c.value().dims[k++];
            return new Value.Constant(ConstMath.reshape(c.value(), dims));
        }
        if (v instanceof Symbolic s) {
            List<Axis> out = new ArrayList<>();
            int k = 0;
            for (int i = 0; i < rank; i++) out.add(insert[i] ? Axis.ONE : s.axes().get(k++));
            return s.withAxes(out);
        }
        throw n.unsupported("Unsqueeze of " + kind(v));
    }

    private Value reshape(Node n) {
        Value v = n.required(0);
        if (v instanceof Value.Zeros) return v;
        List<Object> target;
        if (n.op.equals("Flatten")) {
            int rank = rank(v, n);
            int axis = normalize(n.attrInt("axis", 1), rank + 1, n);
            if (v instanceof Symbolic s) return Layouts.flatten(n, s, axis);
            target = new ArrayList<>();
            Const c = ((Value.Constant) v).value();
            long outer = 1;
            long inner = 1;
            for (int i = 0; i < rank; i++) {
                if (i < axis) outer *= c.dims[i];
                else inner *= c.dims[i];
            }
            target.add(outer);
            target.add(inner);
        } else {
            target = entries(n.required(1), n, "the target shape");
        }
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        if (v instanceof Value.Constant c) {
            long[] dims = new long[target.size()];
            long known = 1;
            int infer = -1;
            for (int i = 0; i < dims.length; i++) {
                if (!(target.get(i) instanceof Long d)) throw n.unsupported("Reshape of a constant to a batch-dependent shape");
                if (d == 0 && !allowZero) d = c.value().dims[i];
                if (d == -1) {
                    if (infer >= 0) throw n.fail("two -1 entries in the target shape");
                    infer = i;
                } else if (d < 0) {
                    throw n.fail("target shape entry " + d);
                } else {
                    dims[i] = d;
                    known *= Math.max(1, d);
                }
            }
            if (infer >= 0) dims[infer] = c.value().size() / Math.max(1, known);
            if (OnnxTensors.count(dims, "node \"" + n.name + "\"") != c.value().size()) {
                throw n.fail("cannot reshape " + c.value().size() + " elements to " + Arrays.toString(dims));
            }
            return new Value.Constant(ConstMath.reshape(c.value(), dims));
        }
        if (v instanceof Symbolic s) return Layouts.reshape(n, s, target, allowZero);
        throw n.unsupported("Reshape of " + kind(v));
    }

    private Value slice(Node n) {
        Value v = n.required(0);
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps;
        if (n.opset() < 10) {
            starts = n.attrInts("starts");
            ends = n.attrInts("ends");
            axes = n.attrInts("axes");
            steps = null;
        } else {
            starts = n.constant(1, "starts").asLongs();
            ends = n.constant(2, "ends").asLongs();
            axes = n.hasInput(3) ? n.constant(3, "axes").asLongs() : null;
            steps = n.hasInput(4) ? n.constant(4, "steps").asLongs() : null;
        }
        if (starts == null || ends == null || starts.length != ends.length) throw n.fail("starts and ends must have one entry per axis");
        if (v instanceof Value.Zeros) return v;
        int rank = rank(v, n);
        long[] s0 = new long[rank];
        long[] count = new long[rank];
        long[] st = new long[rank];
        long[] dims = dims(v, n);
        for (int i = 0; i < rank; i++) {
            count[i] = dims[i];
            st[i] = 1;
        }
        boolean[] sliced = new boolean[rank];
        for (int k = 0; k < starts.length; k++) {
            int a = normalize(axes == null ? k : axes[k], rank, n);
            long step = steps == null ? 1 : steps[k];
            if (step == 0) throw n.fail("a step of 0");
            long dim = dims[a];
            if (dim < 0) {
                // A dynamic axis (batch, time): only the last timestep or the whole axis can be taken.
                sliced[a] = true;
                s0[a] = starts[k];
                count[a] = ends[k];
                st[a] = step;
                continue;
            }
            long b = clampStart(starts[k], dim, step);
            long e = clampEnd(ends[k], dim, step);
            s0[a] = b;
            st[a] = step;
            count[a] = step > 0 ? Math.max(0, (e - b + step - 1) / step) : Math.max(0, (b - e + (-step) - 1) / (-step));
            sliced[a] = !(b == 0 && step == 1 && count[a] == dim);
        }
        if (v instanceof Value.Constant c) return new Value.Constant(ConstMath.slice(c.value(), s0, count, st));
        if (v instanceof Value.ShapeVector sv) {
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < count[0]; i++) out.add(sv.entries().get((int) (s0[0] + i * st[0])));
            return vector(out);
        }
        if (v instanceof Value.Stack stack) {
            for (int a = 1; a < rank; a++) if (sliced[a]) throw n.unsupported("Slice of stacked final states on axis " + a);
            List<Symbolic> parts = new ArrayList<>();
            for (long i = 0; i < count[0]; i++) parts.add(stack.parts().get((int) (s0[0] + i * st[0])));
            return new Value.Stack(parts, null);
        }
        Symbolic s = (Symbolic) v;
        Symbolic out = s;
        for (int a = 0; a < rank; a++) {
            if (!sliced[a]) continue;
            Axis axis = s.axes().get(a);
            if (axis.kind() == Axis.Kind.T && isLastStep(s0[a], count[a], st[a], axis.size(), dims[a] < 0)) {
                out = Layouts.lastStep(n, out, a, true);
            } else if (axis.kind() == Axis.Kind.T && st[a] == -1 && out.ref().op() instanceof RecurrentOp r && r.reverse
                    && out.ref().index() == 0 && (dims[a] < 0 ? s0[a] == -1 && count[a] <= Integer.MIN_VALUE
                    : s0[a] == dims[a] - 1 && count[a] == dims[a])) {
                // The sequence of a reverse operator put in processing order: Keras's go_backwards output.
                out = new Symbolic(new Op.Ref(r, RecurrentOp.REVERSED), out.axes());
            } else {
                throw n.unsupported("Slice [" + s0[a] + ":" + count[a] + ":" + st[a] + "] of axis " + a + " of a value with axes "
                        + OnnxImporter.describe(s));
            }
        }
        return out;
    }

    /** Whether a slice takes exactly the last timestep. For a dynamic axis, start and end are the raw arguments. */
    private static boolean isLastStep(long start, long countOrEnd, long step, int size, boolean dynamic) {
        if (step != 1) return false;
        if (dynamic) return start == -1 && countOrEnd >= Integer.MAX_VALUE;
        return countOrEnd == 1 && start == size - 1;
    }

    private static long clampStart(long s, long dim, long step) {
        if (s < 0) s += dim;
        return step > 0 ? Math.max(0, Math.min(dim, s)) : Math.max(-1, Math.min(dim - 1, s));
    }

    private static long clampEnd(long e, long dim, long step) {
        if (e < 0) e += dim;
        return step > 0 ? Math.max(0, Math.min(dim, e)) : Math.max(-1, Math.min(dim - 1, e));
    }

    /** The dims of a value, -1 for the batch and a dynamic time axis. */
    static long[] dims(Value v, Node n) {
        if (v instanceof Value.Constant c) return c.value().dims;
        if (v instanceof Value.ShapeVector s) return new long[] {s.entries().size()};
        if (v instanceof Value.Stack st) {
            Symbolic p = st.parts().get(0);
            return new long[] {st.parts().size(), -1, p.features()};
        }
        Symbolic s = (Symbolic) v;
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) {
            Axis a = s.axes().get(i);
            d[i] = a.kind() == Axis.Kind.B ? -1 : a.size();
        }
        return d;
    }

    private Value expand(Node n) {
        Value v = n.required(0);
        if (v instanceof Value.Zeros) return v;
        if (v instanceof Symbolic s && n.op.equals("Expand") && s.rank() == 3 && s.axes().get(0).kind() == Axis.Kind.B
                && s.axes().get(1).kind() == Axis.Kind.ONE && s.axes().get(2).kind() == Axis.Kind.F) {
            // Unsqueeze(x, 1) then Expand to (1, n, features): Keras's RepeatVector(n).
            List<Object> shape = entries(n.required(1), n, "the shape");
            if (shape.size() == 3 && shape.get(1) instanceof Long times && times > 0 && times < 1 << 24
                    && (shape.get(2).equals(1L) || shape.get(2).equals((long) s.features()))
                    && (shape.get(0).equals(1L) || Value.ShapeVector.BATCH.equals(shape.get(0)))) {
                Op.LayerOp op = new Op.LayerOp(n.name, new org.rnn4j.layers.reshaping.RepeatVector(times.intValue()), s.ref());
                return new Symbolic(new Op.Ref(op, 0), List.of(Axis.BATCH, Axis.of(Axis.Kind.T, times.intValue()), s.axes().get(2)));
            }
        }
        if (v instanceof Value.Constant c && c.value().allEqual(0)) {
            List<Object> shape = n.op.equals("Expand") ? entries(n.required(1), n, "the shape") : List.of();
            if (shape.stream().anyMatch(e -> !(e instanceof Long))) return new Value.Zeros();
        }
        throw n.unsupported(n.op + " of " + kind(v));
    }

    /**
     * The sequence lengths rnn4j's exporter computes for Masking:
     * {@code ReduceSum(ReduceMax(Cast(Not(Equal(x, maskValue))), axis=2), axis=1)}.
     */
    private Value mask(Node n) {
        Value v = n.required(0);
        switch (n.op) {
            case "Equal" -> {
                Value other = n.required(1);
                if (v instanceof Symbolic s && other instanceof Value.Constant c && c.value().size() == 1) {
                    return new Value.MaskPart(s, (float) c.value().get(0), 1);
                }
            }
            case "Not" -> {
                if (v instanceof Value.MaskPart p && p.stage() == 1) return new Value.MaskPart(p.source(), p.maskValue(), 2);
            }
            case "ReduceMax" -> {
                long[] axes = axesArgument(n);
                if (v instanceof Value.MaskPart p && p.stage() == 2 && axes != null && axes.length == 1
                        && normalize(axes[0], 3, n) == 2 && n.attrInt("keepdims", 1) == 0) {
                    return new Value.MaskPart(p.source(), p.maskValue(), 3);
                }
            }
            default -> {
                long[] axes = axesArgument(n);
                if (v instanceof Value.MaskPart p && p.stage() == 3 && axes != null && axes.length == 1
                        && normalize(axes[0], 2, n) == 1 && n.attrInt("keepdims", 1) == 0) {
                    return new Value.MaskLengths(p.source(), p.maskValue());
                }
            }
        }
        throw n.unsupported(n.op + " outside the sequence-length pattern of Masking ("
                + "ReduceSum(ReduceMax(Cast(Not(Equal(x, value))), axes=[2]), axes=[1]))");
    }
}
