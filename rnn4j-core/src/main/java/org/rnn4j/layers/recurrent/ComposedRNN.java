package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code RNN(cell)} for a {@link ComposedCell}: the time loop, masking ({@code a masked step keeps the states
 * and repeats the previous output}), {@code go_backwards}, {@code return_sequences}, {@code return_state} and initial
 * states; the gradient through time comes from the graph the cell's primitives record, so the cell has no backward.
 * Slower than the fused built-in cells (a graph node per primitive per step), meant for new cells.
 *
 * <pre>{@code
 * model.add(RNN.of(new MinimalRNNCell(32)).inputShape(10, 5));
 * }</pre>
 *
 * <p>Thread safety: a call keeps everything it computes in its own graph; the layer's fields are configuration
 * and weights only.
 */
public final class ComposedRNN extends Layer {
    private final ComposedCell cell;
    private boolean returnSequences, returnState, goBackwards;

    /** Not thread-safe: configure and build on one thread. */
    public ComposedRNN(ComposedCell cell) {
        super("rnn");
        if (cell == null) throw new IllegalArgumentException("RNN needs a cell, got null");
        this.cell = cell;
    }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "RNN"; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public ComposedCell cell() { return cell; }

    /** Not thread-safe: configure before use. */
    public ComposedRNN returnSequences(boolean v) { returnSequences = v; return this; }

    /** Not thread-safe: configure before use. */
    public ComposedRNN returnState(boolean v) { returnState = v; return this; }

    /** Not thread-safe: configure before use. */
    public ComposedRNN goBackwards(boolean v) { goBackwards = v; return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnSequences() { return returnSequences; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnState() { return returnState; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean goBackwards() { return goBackwards; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3 || s[2] <= 0) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: expected ndim=3 "
                    + "(batch, timesteps, features) with known features, got " + Shapes.toString(s));
        }
        int[] sizes = cell.stateSizes();
        if (shapes.size() > 1 && shapes.size() != 1 + sizes.length) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" has " + sizes.length + " state(s), got "
                    + (shapes.size() - 1) + " initial state(s)");
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        int[] s = in.get(0);
        List<int[]> out = new ArrayList<>();
        out.add(returnSequences ? new int[] {s[0], s[1], cell.outputSize()} : new int[] {s[0], cell.outputSize()});
        if (returnState) for (int size : cell.stateSizes()) out.add(new int[] {s[0], size});
        return out;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return outputShapes(List.of(inputShape)).get(0); }

    @Override
    protected void createWeights(List<int[]> shapes) {
        cell.build((weightName, shape, init) -> addWeight(weightName, shape, init, true), shapes.get(0)[2]);
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        if (index > 0) return super.acceptsShape(index, built, got);
        return got.length == 3 && got[2] == built[2];
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Tensor x = inputs[0];
        final int batch = x.shape(0), steps = x.shape(1), dim = x.shape(2);
        final int[] sizes = cell.stateSizes();
        final int outSize = cell.outputSize();
        final Params p = new Params();
        Var[] states = new Var[sizes.length];
        final Var[] initial = new Var[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            initial[s] = inputs.length > 1 ? Var.leaf(inputs[1 + s].data(), 0, batch, sizes[s]) : Var.constant(0, batch, sizes[s]);
            states[s] = initial[s];
        }
        float[] xd = x.data(), m = mask == null ? null : mask.data();
        final Var[] xs = new Var[steps], outs = new Var[steps];
        Var previous = Var.constant(0, batch, outSize);
        for (int k = 0; k < steps; k++) {
            int t = goBackwards ? steps - 1 - k : k;
            double[] xv = new double[batch * dim];
            for (int b = 0; b < batch; b++) for (int j = 0; j < dim; j++) xv[b * dim + j] = xd[(b * steps + t) * dim + j];
            xs[k] = Var.leaf(xv, batch, dim);
            Var[] r = cell.call(xs[k], states.clone(), p);
            if (r == null || r.length != 1 + sizes.length) {
                throw new IllegalStateException("Cell " + cell.className() + " of layer \"" + name() + "\" returned "
                        + (r == null ? "null" : r.length + " tensors") + "; expected the output and " + sizes.length + " state(s)");
            }
            Var out = r[0];
            Var[] next = Arrays.copyOfRange(r, 1, r.length);
            if (m != null) {
                boolean[] keep = new boolean[batch];
                boolean all = true;
                for (int b = 0; b < batch; b++) all &= keep[b] = m[b * steps + t] != 0f;
                if (!all) {
                    out = Var.where(keep, out, previous);
                    for (int s = 0; s < next.length; s++) next[s] = Var.where(keep, next[s], states[s]);
                }
            }
            outs[k] = out;
            previous = out;
            states = next;
        }
        Tensor[] result = new Tensor[returnState ? 1 + sizes.length : 1];
        if (returnSequences) {
            float[] o = new float[batch * steps * outSize];
            for (int k = 0; k < steps; k++) {
                for (int b = 0; b < batch; b++) for (int j = 0; j < outSize; j++) o[(b * steps + k) * outSize + j] = (float) outs[k].value[b * outSize + j];
            }
            result[0] = Tensor.of(o, batch, steps, outSize);
        } else {
            result[0] = toTensor(outs[steps - 1]);
        }
        final Var[] finals = states;
        for (int s = 0; returnState && s < sizes.length; s++) result[1 + s] = toTensor(finals[s]);
        final int nInputs = inputs.length;
        return new Pass(result, returnSequences ? mask : null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                List<Var> seeded = new ArrayList<>();
                if (grads.length > 0 && grads[0] != null) {
                    float[] g = grads[0].data();
                    if (returnSequences) {
                        for (int k = 0; k < steps; k++) {
                            for (int b = 0; b < batch; b++) for (int j = 0; j < outSize; j++) outs[k].grad[b * outSize + j] += g[(b * steps + k) * outSize + j];
                            seeded.add(outs[k]);
                        }
                    } else {
                        add(outs[steps - 1].grad, g);
                        seeded.add(outs[steps - 1]);
                    }
                }
                for (int s = 0; s < finals.length; s++) {
                    if (1 + s < grads.length && grads[1 + s] != null) {
                        add(finals[s].grad, grads[1 + s].data());
                        seeded.add(finals[s]);
                    }
                }
                Var.backwardFrom(seeded);
                p.addGradientsToWeights();
                Tensor[] dIn = new Tensor[nInputs];
                float[] dx = new float[batch * steps * dim];
                for (int k = 0; k < steps; k++) {
                    int t = goBackwards ? steps - 1 - k : k;
                    for (int b = 0; b < batch; b++) for (int j = 0; j < dim; j++) dx[(b * steps + t) * dim + j] = (float) xs[k].grad[b * dim + j];
                }
                dIn[0] = Tensor.of(dx, batch, steps, dim);
                for (int s = 0; s + 1 < nInputs; s++) dIn[1 + s] = toTensor(initial[s].grad, batch, sizes[s]);
                return dIn;
            }
        };
    }

    private static void add(double[] into, float[] g) { for (int i = 0; i < into.length; i++) into[i] += g[i]; }

    private static Tensor toTensor(Var v) { return toTensor(v.value, v.rows, v.cols); }

    private static Tensor toTensor(double[] d, int rows, int cols) {
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return Tensor.of(f, rows, cols);
    }

    /**
     * Keras 3's config: the driver's options and {@code cell: {"class_name": <the cell's>, "config": ...}}.
     * Thread-safe: reads configuration fixed before sharing.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", false);
        c.put("unroll", false);
        c.put("zero_output_for_mask", false);
        Map<String, Object> cc = new LinkedHashMap<>();
        cc.put("name", CellRNN.snake(cell.className()));
        cc.put("trainable", trainable());
        cc.putAll(cell.getConfig());
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("module", null);
        wrapped.put("class_name", cell.className());
        wrapped.put("config", cc);
        wrapped.put("registered_name", cell.className());
        c.put("cell", wrapped);
        return c;
    }
}
