package org.rnn4j.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.activations.Activation;

/**
 * A matrix {@code [rows, cols]} in a computation recorded for its gradient, micrograd style: each primitive below
 * computes its value and records, beside it, how to pass the gradient back to its operands. {@link #backward()}
 * walks the recorded graph once in reverse topological order. Values are doubles, so finite differences check the
 * gradients tightly; a user cell or layer composes these primitives and never writes a backward.
 *
 * <pre>{@code
 * Var h = x.matmul(kernel).add(hPrev.matmul(recurrentKernel)).add(bias).tanh();
 * }</pre>
 *
 * <p>Not thread-safe: a graph belongs to the one call that builds it (each call builds its own).
 *
 * <p>Thread safety: thread-confined: a graph of {@code Var}s belongs to one call, on the thread that made it.
 */
public final class Var {
    /** The value, row-major {@code [rows, cols]}; not modified after creation. */
    public final double[] value;
    /** The gradient of the final result with respect to this value; filled by {@link #backward()}. */
    public final double[] grad;
    public final int rows, cols;
    private final Var[] parents;
    /** Adds this node's gradient into its parents' gradients; null for a leaf. */
    private final Runnable backwardStep;

    private Var(double[] value, int rows, int cols, Var[] parents, java.util.function.Consumer<Var> backward) {
        if (value.length != rows * cols) throw new IllegalArgumentException("Var value has " + value.length + " entries, expected " + rows + " x " + cols);
        this.value = value;
        this.grad = new double[value.length];
        this.rows = rows;
        this.cols = cols;
        this.parents = parents;
        this.backwardStep = backward == null ? null : () -> backward.accept(this);
    }

    /** A leaf (an input, a weight or a constant) holding {@code value} (not copied). Thread-safe: a new object. */
    public static Var leaf(double[] value, int rows, int cols) { return new Var(value, rows, cols, new Var[0], null); }

    /** A leaf holding a copy of float values. Thread-safe: a new object. */
    public static Var leaf(float[] value, int offset, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = value[offset + i];
        return leaf(v, rows, cols);
    }

    /** A constant matrix filled with {@code c}. Thread-safe: a new object. */
    public static Var constant(double c, int rows, int cols) {
        double[] v = new double[rows * cols];
        java.util.Arrays.fill(v, c);
        return leaf(v, rows, cols);
    }

    private static Var op(double[] value, int rows, int cols, java.util.function.Consumer<Var> backward, Var... parents) {
        return new Var(value, rows, cols, parents, backward);
    }

    // ---------------------------------------------------------------- primitives: forward, then backward

    /**
     * {@code this [n, k] · other [k, m]}; gradients {@code dA = dC · B^T}, {@code dB = A^T · dC}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var matmul(Var b) {
        Var a = this;
        if (a.cols != b.rows) throw new IllegalArgumentException("matmul: [" + a.rows + ", " + a.cols + "] · [" + b.rows + ", " + b.cols + "]");
        int n = a.rows, k = a.cols, m = b.cols;
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double av = a.value[i * k + p];
                if (av == 0) continue;
                for (int j = 0; j < m; j++) c[i * m + j] += av * b.value[p * m + j];
            }
        }
        return op(c, n, m, out -> {
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < k; p++) {
                    double s = 0, av = a.value[i * k + p];
                    for (int j = 0; j < m; j++) {
                        double g = out.grad[i * m + j];
                        s += g * b.value[p * m + j];
                        b.grad[p * m + j] += av * g;
                    }
                    a.grad[i * k + p] += s;
                }
            }
        }, a, b);
    }

    /**
     * Elementwise sum; a one-row operand ({@code [1, cols]}, a bias) is added to every row and gets the column sums.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var add(Var b) { return combine(b, 1, 1, false); }

    /**
     * Elementwise difference, broadcasting a one-row operand as {@link #add}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var sub(Var b) { return combine(b, 1, -1, false); }

    /**
     * Elementwise (Hadamard) product, broadcasting a one-row operand as {@link #add}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var mul(Var b) { return combine(b, 0, 0, true); }

    private Var combine(Var b, double sa, double sb, boolean product) {
        Var a = this;
        boolean aRow = a.rows == 1 && b.rows > 1, bRow = b.rows == 1 && a.rows > 1;
        if (a.cols != b.cols || (a.rows != b.rows && !aRow && !bRow)) {
            throw new IllegalArgumentException((product ? "mul" : "add/sub") + ": shapes [" + a.rows + ", " + a.cols + "] and ["
                    + b.rows + ", " + b.cols + "] do not broadcast");
        }
        int rows = Math.max(a.rows, b.rows), cols = a.cols;
        double[] c = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = a.value[(aRow ? 0 : i) * cols + j], y = b.value[(bRow ? 0 : i) * cols + j];
                c[i * cols + j] = product ? x * y : sa * x + sb * y;
            }
        }
        return op(c, rows, cols, out -> {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int ia = (aRow ? 0 : i) * cols + j, ib = (bRow ? 0 : i) * cols + j;
                    double g = out.grad[i * cols + j];
                    a.grad[ia] += product ? g * b.value[ib] : sa * g;
                    b.grad[ib] += product ? g * a.value[ia] : sb * g;
                }
            }
        }, a, b);
    }

    /** {@code c * this}. Thread-confined: a graph belongs to one call, on the thread that made it. */
    public Var scale(double c) {
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = c * a.value[i];
        return op(v, rows, cols, out -> { for (int i = 0; i < v.length; i++) a.grad[i] += c * out.grad[i]; }, a);
    }

    /**
     * {@code 1 - this}, as in a GRU's {@code (1 - z) * hh}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var oneMinus() {
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = 1 - a.value[i];
        return op(v, rows, cols, out -> { for (int i = 0; i < v.length; i++) a.grad[i] -= out.grad[i]; }, a);
    }

    /**
     * Logistic sigmoid; {@code dy/dx = y (1 - y)}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var sigmoid() {
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-a.value[i]));
        return op(v, rows, cols, out -> { for (int i = 0; i < v.length; i++) a.grad[i] += out.grad[i] * v[i] * (1 - v[i]); }, a);
    }

    /**
     * Hyperbolic tangent; {@code dy/dx = 1 - y^2}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var tanh() {
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = Math.tanh(a.value[i]);
        return op(v, rows, cols, out -> { for (int i = 0; i < v.length; i++) a.grad[i] += out.grad[i] * (1 - v[i] * v[i]); }, a);
    }

    /**
     * {@code max(x, 0)}; gradient 1 where {@code x > 0}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var relu() {
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = Math.max(a.value[i], 0);
        return op(v, rows, cols, out -> { for (int i = 0; i < v.length; i++) if (a.value[i] > 0) a.grad[i] += out.grad[i]; }, a);
    }

    /**
     * Any elementwise Keras activation by name ({@code "hard_sigmoid"}, {@code "softplus"}, ...), through rnn4j's
     * {@link Activation} (its float value and derivative).
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var activation(String name) {
        Activation act = Activation.get(name);
        if (!act.elementwise()) throw new IllegalArgumentException("Var.activation: \"" + name + "\" is not elementwise");
        Var a = this;
        double[] v = new double[a.value.length];
        for (int i = 0; i < v.length; i++) v[i] = act.apply((float) a.value[i]);
        return op(v, rows, cols, out -> {
            for (int i = 0; i < v.length; i++) a.grad[i] += out.grad[i] * act.derivative((float) a.value[i], (float) v[i]);
        }, a);
    }

    /**
     * Columns {@code [from, to)}: the gate blocks of a fused projection.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var slice(int from, int to) {
        Var a = this;
        if (from < 0 || to > cols || from >= to) throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + cols + " columns");
        int w = to - from;
        double[] v = new double[rows * w];
        for (int i = 0; i < rows; i++) System.arraycopy(a.value, i * cols + from, v, i * w, w);
        return op(v, rows, w, out -> {
            for (int i = 0; i < rows; i++) for (int j = 0; j < w; j++) a.grad[i * cols + from + j] += out.grad[i * w + j];
        }, a);
    }

    /**
     * The columns of {@code this} then those of {@code b} ({@code [rows, cols + b.cols]}).
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var concat(Var b) {
        Var a = this;
        if (a.rows != b.rows) throw new IllegalArgumentException("concat: " + a.rows + " rows and " + b.rows + " rows");
        int w = a.cols + b.cols;
        double[] v = new double[rows * w];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a.value, i * a.cols, v, i * w, a.cols);
            System.arraycopy(b.value, i * b.cols, v, i * w + a.cols, b.cols);
        }
        return op(v, rows, w, out -> {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < a.cols; j++) a.grad[i * a.cols + j] += out.grad[i * w + j];
                for (int j = 0; j < b.cols; j++) b.grad[i * b.cols + j] += out.grad[i * w + a.cols + j];
            }
        }, a, b);
    }

    /**
     * Row {@code i} of {@code ifTrue} where {@code keep[i]}, else of {@code ifFalse} (a masked timestep keeps its
     * previous state); the gradient goes to the row that was chosen.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public static Var where(boolean[] keep, Var ifTrue, Var ifFalse) {
        if (ifTrue.rows != keep.length || ifFalse.rows != keep.length || ifTrue.cols != ifFalse.cols) {
            throw new IllegalArgumentException("where: " + keep.length + " rows of mask for [" + ifTrue.rows + ", " + ifTrue.cols
                    + "] and [" + ifFalse.rows + ", " + ifFalse.cols + "]");
        }
        int cols = ifTrue.cols;
        double[] v = new double[keep.length * cols];
        for (int i = 0; i < keep.length; i++) System.arraycopy((keep[i] ? ifTrue : ifFalse).value, i * cols, v, i * cols, cols);
        return op(v, keep.length, cols, out -> {
            for (int i = 0; i < keep.length; i++) {
                double[] g = (keep[i] ? ifTrue : ifFalse).grad;
                for (int j = 0; j < cols; j++) g[i * cols + j] += out.grad[i * cols + j];
            }
        }, ifTrue, ifFalse);
    }

    /**
     * The sum of all entries (a scalar {@code [1, 1]}), for tests and losses.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public Var sum() {
        Var a = this;
        double s = 0;
        for (double x : a.value) s += x;
        return op(new double[] {s}, 1, 1, out -> { for (int i = 0; i < a.grad.length; i++) a.grad[i] += out.grad[0]; }, a);
    }

    // ---------------------------------------------------------------- the engine

    /**
     * Back-propagates from this node with a seed gradient of ones (for a scalar result); see {@link #backwardFrom(List)}.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public void backward() {
        java.util.Arrays.fill(grad, 1.0);
        backwardFrom(List.of(this));
    }

    /**
     * Back-propagates from several results whose {@link #grad} the caller has already seeded: every node reachable
     * from them, once, after all the nodes that use it.
     * Thread-confined: a graph belongs to one call, on the thread that made it.
     */
    public static void backwardFrom(List<Var> results) {
        List<Var> order = new ArrayList<>();
        Map<Var, Boolean> seen = new IdentityHashMap<>();
        // Iterative depth-first post-order: a sequence's graph is as deep as its timesteps.
        ArrayList<Object[]> stack = new ArrayList<>();
        for (Var r : results) {
            if (seen.containsKey(r)) continue;
            seen.put(r, true);
            stack.add(new Object[] {r, 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.get(stack.size() - 1);
                Var v = (Var) top[0];
                int next = (Integer) top[1];
                if (next < v.parents.length) {
                    top[1] = next + 1;
                    Var p = v.parents[next];
                    if (!seen.containsKey(p)) {
                        seen.put(p, true);
                        stack.add(new Object[] {p, 0});
                    }
                } else {
                    order.add(v);
                    stack.remove(stack.size() - 1);
                }
            }
        }
        for (int i = order.size() - 1; i >= 0; i--) if (order.get(i).backwardStep != null) order.get(i).backwardStep.run();
    }
}
