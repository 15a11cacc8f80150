package org.rnn4j.onnx;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.onnx.Value.Axis;
import org.rnn4j.onnx.Value.Symbolic;

/**
 * How reshapes and time slices change the way a symbolic value's axes are seen. A reshape may only regroup
 * axes the rnn4j tensor already has: add or drop axes of size 1, merge directions and hidden into features
 * (PyTorch's bidirectional output), keep batch and time.
 */
final class Layouts {
    private Layouts() {}

    static Symbolic reshape(Node n, Symbolic s, List<Object> target, boolean allowZero) {
        List<Axis> in = s.axes();
        List<Axis> out = new ArrayList<>();
        int i = 0;
        for (int j = 0; j < target.size(); j++) {
            Object e = target.get(j);
            if (e instanceof Long d && d == 0 && !allowZero) {
                if (j >= in.size()) throw n.fail("target shape entry 0 at " + j + " copies an axis the input does not have");
                out.add(in.get(j));
                i = j + 1;
                continue;
            }
            if (e instanceof Long d && d == 1) {
                if (i < in.size() && in.get(i).kind() != Axis.Kind.B && in.get(i).size() == 1) {
                    out.add(in.get(i++));
                } else {
                    out.add(Axis.ONE);
                }
                continue;
            }
            while (i < in.size() && in.get(i).kind() == Axis.Kind.ONE) i++;
            if (Value.ShapeVector.BATCH.equals(e) || Value.ShapeVector.TIME.equals(e)) {
                Axis.Kind want = Value.ShapeVector.BATCH.equals(e) ? Axis.Kind.B : Axis.Kind.T;
                if (i >= in.size() || in.get(i).kind() != want) throw cannot(n, s, target);
                out.add(in.get(i++));
                continue;
            }
            if (!(e instanceof Long d)) throw cannot(n, s, target);
            List<Axis> group = new ArrayList<>();
            if (d == -1) {
                int later = 0;
                for (int k = j + 1; k < target.size(); k++) if (!(target.get(k) instanceof Long x && x == 1)) later++;
                int remaining = 0;
                for (int k = i; k < in.size(); k++) if (in.get(k).kind() != Axis.Kind.ONE) remaining++;
                int take = remaining - later;
                while (take > 0 && i < in.size()) {
                    if (in.get(i).kind() != Axis.Kind.ONE) {
                        group.add(in.get(i));
                        take--;
                    }
                    i++;
                }
            } else {
                long product = 1;
                while (product < d && i < in.size()) {
                    Axis a = in.get(i++);
                    if (a.kind() == Axis.Kind.ONE) continue;
                    if (a.size() < 0) throw cannot(n, s, target);
                    group.add(a);
                    product *= a.size();
                }
                if (product != d) throw cannot(n, s, target);
            }
            out.add(merge(n, s, target, group));
        }
        while (i < in.size()) if (in.get(i++).kind() != Axis.Kind.ONE) throw cannot(n, s, target);
        return s.withAxes(out);
    }

    private static Axis merge(Node n, Symbolic s, List<Object> target, List<Axis> group) {
        if (group.size() == 1) return group.get(0);
        if (group.size() == 2 && group.get(0).kind() == Axis.Kind.D && group.get(1).kind() == Axis.Kind.H) {
            return Axis.of(Axis.Kind.F, group.get(0).size() * group.get(1).size());
        }
        throw cannot(n, s, target);
    }

    private static RuntimeException cannot(Node n, Symbolic s, List<Object> target) {
        return n.unsupported("Reshape of a value with axes " + OnnxImporter.describe(s) + " to " + target);
    }

    /** Flatten at {@code axis}: (batch, features) stays; (batch, time, features) becomes a Flatten layer. */
    static Symbolic flatten(Node n, Symbolic s, int axis) {
        List<Axis> core = s.core();
        if (axis != 1 || !s.canonical()) throw n.unsupported("Flatten at axis " + axis + " of a value with axes " + OnnxImporter.describe(s));
        if (!s.hasTime()) return s.withAxes(List.of(Axis.BATCH, Axis.of(Axis.Kind.F, s.features())));
        int t = core.get(1).size();
        if (t < 0) throw n.unsupported("Flatten of a sequence of dynamic length");
        Op.LayerOp op = new Op.LayerOp(n.name, new Flatten(), s.ref());
        return new Symbolic(new Op.Ref(op, 0), List.of(Axis.BATCH, Axis.of(Axis.Kind.F, t * s.features())));
    }

    /** The last timestep of a sequence; the time axis becomes an axis of 1 ({@code keepAxis}) or goes. */
    static Symbolic lastStep(Node n, Symbolic s, int timeAxis, boolean keepAxis) {
        if (!s.canonical()) {
            throw n.unsupported("the last timestep of a value with axes " + OnnxImporter.describe(s));
        }
        Op.LastStepOp op = new Op.LastStepOp(n.name, s.ref(), s.axes().get(timeAxis).size(), s.features());
        List<Axis> axes = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (i == timeAxis) {
                if (keepAxis) axes.add(Axis.ONE);
            } else {
                axes.add(s.axes().get(i));
            }
        }
        return new Symbolic(new Op.Ref(op, 0), axes);
    }
}
