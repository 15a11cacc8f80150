package org.rnn4j.tensor;

import java.util.List;

/**
 * The NumPy calls Keras examples lean on, for {@link Tensor}s: reductions along an axis ({@code argmax}, {@code max},
 * {@code mean}, {@code sum}), {@code abs}, {@code expandDims}, {@code concatenate}, {@code stack}, {@code arange} and
 * {@code slice} along an axis. Axes may be negative (counted from the end), as in NumPy. Every method returns a new
 * tensor and leaves its arguments unmodified.
 *
 * <pre>{@code
 * Tensor classes = NumPy.argmax(model.predict(x), -1);    // np.argmax(preds, axis=-1)
 * Tensor batch = NumPy.expandDims(sample, 0);             // np.expand_dims(sample, 0)
 * }</pre>
 *
 * <p>Thread-safe: stateless; may be called concurrently on tensors nobody is writing.
 *
 * <p>Thread safety: stateless; every method is thread-safe and returns new tensors (do not write an argument while another thread reads it).
 */
public final class NumPy {
    private NumPy() {}

    private static int axis(Tensor t, int axis, int extra) {
        int rank = t.rank() + extra, a = axis < 0 ? rank + axis : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of bounds for a tensor of rank " + rank
                    + (extra > 0 ? " (after the new axis)" : "") + " (shape " + Shapes.toString(t.shape()) + ")");
        }
        return a;
    }

    /** The shape without axis {@code a}. */
    private static int[] without(int[] s, int a) {
        int[] out = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != a) out[j++] = s[i];
        return out;
    }

    private interface Reducer { double apply(float[] d, int start, int n, int stride); }

    private static Tensor reduce(Tensor t, int axis, Reducer f) {
        int[] s = t.shape();
        int a = axis(t, axis, 0), n = s[a], inner = 1, outer = 1;
        if (n == 0) throw new IllegalArgumentException("cannot reduce along axis " + axis + " of length 0");
        for (int i = a + 1; i < s.length; i++) inner *= s[i];
        for (int i = 0; i < a; i++) outer *= s[i];
        float[] d = t.data(), out = new float[outer * inner];
        for (int o = 0; o < outer; o++) for (int i = 0; i < inner; i++) out[o * inner + i] = (float) f.apply(d, o * n * inner + i, n, inner);
        return Tensor.of(out, without(s, a));
    }

    /**
     * {@code np.argmax(t, axis)}: the index of the first largest value (as a float).
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor argmax(Tensor t, int axis) {
        return reduce(t, axis, (d, start, n, stride) -> {
            int best = 0;
            for (int k = 1; k < n; k++) if (d[start + k * stride] > d[start + best * stride]) best = k;
            return best;
        });
    }

    /** {@code np.max(t, axis)}. Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile). */
    public static Tensor max(Tensor t, int axis) {
        return reduce(t, axis, (d, start, n, stride) -> {
            float m = d[start];
            for (int k = 1; k < n; k++) m = Math.max(m, d[start + k * stride]);
            return m;
        });
    }

    /**
     * {@code np.sum(t, axis)} (accumulated in double).
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor sum(Tensor t, int axis) {
        return reduce(t, axis, (d, start, n, stride) -> {
            double s = 0;
            for (int k = 0; k < n; k++) s += d[start + k * stride];
            return s;
        });
    }

    /**
     * {@code np.mean(t, axis)} (accumulated in double).
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor mean(Tensor t, int axis) {
        return reduce(t, axis, (d, start, n, stride) -> {
            double s = 0;
            for (int k = 0; k < n; k++) s += d[start + k * stride];
            return s / n;
        });
    }

    /** {@code np.abs(t)}. Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile). */
    public static Tensor abs(Tensor t) {
        float[] d = t.data(), out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
        return Tensor.of(out, t.shape());
    }

    /**
     * {@code np.expand_dims(t, axis)}: a new axis of length 1 (the data is shared, not copied).
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor expandDims(Tensor t, int axis) {
        int[] s = t.shape();
        int a = axis(t, axis, 1);
        int[] out = new int[s.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) out[i] = i == a ? 1 : s[j++];
        return Tensor.of(t.data(), out);
    }

    /**
     * {@code np.concatenate(ts, axis)}: every other axis must agree.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor concatenate(List<Tensor> ts, int axis) {
        if (ts == null || ts.isEmpty()) throw new IllegalArgumentException("concatenate needs at least one tensor");
        int[] s0 = ts.get(0).shape();
        int a = axis(ts.get(0), axis, 0), inner = 1, outer = 1, total = 0;
        for (int i = a + 1; i < s0.length; i++) inner *= s0[i];
        for (int i = 0; i < a; i++) outer *= s0[i];
        for (int k = 0; k < ts.size(); k++) {
            int[] s = ts.get(k).shape();
            boolean ok = s.length == s0.length;
            for (int i = 0; ok && i < s.length; i++) ok = i == a || s[i] == s0[i];
            if (!ok) {
                throw new IllegalArgumentException("concatenate along axis " + axis + ": tensor " + k + " has shape "
                        + Shapes.toString(s) + ", tensor 0 " + Shapes.toString(s0));
            }
            total += s[a];
        }
        int[] shape = s0.clone();
        shape[a] = total;
        float[] out = new float[outer * total * inner];
        int off = 0;
        for (Tensor t : ts) {
            int len = t.shape(a) * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(t.data(), o * len, out, o * total * inner + off, len);
            off += len;
        }
        return Tensor.of(out, shape);
    }

    /**
     * {@code np.stack(ts, axis)}: tensors of one shape along a new axis.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor stack(List<Tensor> ts, int axis) {
        if (ts == null || ts.isEmpty()) throw new IllegalArgumentException("stack needs at least one tensor");
        List<Tensor> expanded = new java.util.ArrayList<>();
        for (int k = 0; k < ts.size(); k++) {
            if (!ts.get(k).sameShape(ts.get(0))) {
                throw new IllegalArgumentException("stack: tensor " + k + " has shape " + Shapes.toString(ts.get(k).shape())
                        + ", tensor 0 " + Shapes.toString(ts.get(0).shape()));
            }
            expanded.add(expandDims(ts.get(k), axis));
        }
        return concatenate(expanded, axis < 0 ? axis : axis);
    }

    /**
     * {@code np.arange(start, stop, step)} as a 1-D tensor.
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor arange(double start, double stop, double step) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        int n = (int) Math.max(0, Math.ceil((stop - start) / step));
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (start + i * step);
        return Tensor.of(out, n);
    }

    /** {@code np.arange(stop)}. Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile). */
    public static Tensor arange(int stop) { return arange(0, stop, 1); }

    /**
     * {@code t[..., from:to, ...]} along {@code axis} (negative bounds count from the end, as in Python).
     * Thread-safe: returns a new tensor (reads its arguments; do not write them meanwhile).
     */
    public static Tensor slice(Tensor t, int axis, int from, int to) {
        int[] s = t.shape();
        int a = axis(t, axis, 0), n = s[a];
        int f = Math.max(0, Math.min(n, from < 0 ? n + from : from)), e = Math.max(f, Math.min(n, to < 0 ? n + to : to));
        int inner = 1, outer = 1;
        for (int i = a + 1; i < s.length; i++) inner *= s[i];
        for (int i = 0; i < a; i++) outer *= s[i];
        int[] shape = s.clone();
        shape[a] = e - f;
        float[] out = new float[outer * (e - f) * inner];
        for (int o = 0; o < outer; o++) System.arraycopy(t.data(), (o * n + f) * inner, out, o * (e - f) * inner, (e - f) * inner);
        return Tensor.of(out, shape);
    }
}
