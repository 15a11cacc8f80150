package org.rnn4j.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * What an ONNX value is during import. Constants and shape vectors are folded as the graph is read; a symbolic
 * value is a view of an rnn4j layer output (always batch-first, {@code (batch, [time,] features)}) through the
 * axes ONNX sees, so PyTorch's transposes, squeezes and reshapes around a recurrent operator need no layers.
 */
sealed interface Value {
    /** A constant tensor. */
    record Constant(Const value) implements Value { }

    /**
     * A 1-D int64 vector whose entries may be symbolic (the batch size, a dynamic time length): what {@code Shape}
     * of a symbolic value gives, and what {@code Gather}/{@code Concat}/{@code Unsqueeze} build from it.
     */
    record ShapeVector(List<Object> entries) implements Value {
        static final String BATCH = "batch";
        static final String TIME = "time";

        boolean isKnown() {
            for (Object e : entries) if (!(e instanceof Long)) return false;
            return true;
        }
    }

    /** Zeros of a shape that depends on the batch size: PyTorch's initial states ({@code ConstantOfShape}). */
    record Zeros() implements Value { }

    /** One axis of a symbolic value as ONNX sees it. */
    record Axis(Kind kind, int size) {
        /** B batch, T time, F features, D directions then H hidden (together the features), ONE an extra axis of 1. */
        enum Kind { B, T, F, D, H, ONE }

        static Axis of(Kind kind, int size) { return new Axis(kind, size); }

        static final Axis ONE = new Axis(Kind.ONE, 1);
        static final Axis BATCH = new Axis(Kind.B, -1);
    }

    /** An output of an import op, seen through {@code axes}. */
    record Symbolic(Op.Ref ref, List<Axis> axes) implements Value {
        int rank() { return axes.size(); }

        /** The axes without the ONE axes. */
        List<Axis> core() {
            List<Axis> out = new ArrayList<>();
            for (Axis a : axes) if (a.kind() != Axis.Kind.ONE) out.add(a);
            return out;
        }

        int indexOf(Axis.Kind kind) {
            for (int i = 0; i < axes.size(); i++) if (axes.get(i).kind() == kind) return i;
            return -1;
        }

        /** True when the view is the rnn4j tensor itself (up to ONE axes): batch, time, features in order. */
        boolean canonical() {
            List<Axis> c = core();
            int i = 0;
            if (i >= c.size() || c.get(i).kind() != Axis.Kind.B) return false;
            i++;
            if (i < c.size() && c.get(i).kind() == Axis.Kind.T) i++;
            if (i < c.size() && c.get(i).kind() == Axis.Kind.F) return i + 1 == c.size();
            if (i + 1 < c.size() && c.get(i).kind() == Axis.Kind.D && c.get(i + 1).kind() == Axis.Kind.H) {
                return i + 2 == c.size();
            }
            return false;
        }

        /** The feature width (F, or D times H). */
        int features() {
            int f = 1;
            for (Axis a : axes) if (a.kind() == Axis.Kind.F || a.kind() == Axis.Kind.D || a.kind() == Axis.Kind.H) f *= a.size();
            return f;
        }

        boolean hasTime() { return indexOf(Axis.Kind.T) >= 0; }

        Symbolic withAxes(List<Axis> newAxes) { return new Symbolic(ref, newAxes); }
    }

    /**
     * The final states of both directions of a bidirectional recurrent operator ({@code Y_h}, {@code Y_c}: shape
     * (2, batch, hidden)), or several layers' states concatenated: each part is (batch, hidden). {@code owner}: the
     * bidirectional operator whose Y_h this is, while it is whole (else null).
     */
    record Stack(List<Symbolic> parts, RecurrentOp owner) implements Value { }

    /**
     * Per-sample sequence lengths computed from an input as rnn4j's exporter writes them for {@code Masking}: the
     * count of timesteps that are not all {@code maskValue} ({@code source} the masked input).
     */
    record MaskLengths(Symbolic source, float maskValue) implements Value { }

    /** A partial step of the mask-length pattern: {@code Not(Equal(x, value))} and its casts and reductions. */
    record MaskPart(Symbolic source, float maskValue, int stage) implements Value { }
}
