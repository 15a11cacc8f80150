package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code RNN(StackedRNNCells([c1, c2, ...]))}, also written {@code RNN([c1, c2])}: at each timestep the
 * cells run in order, cell {@code i+1} taking cell {@code i}'s output; the layer's output is the last cell's. A
 * masked step keeps every cell's state and repeats the previous output. This gives the numbers of the stack of the
 * equivalent layers with {@code return_sequences=True} in between, which is how it runs: one fused {@link CellRNN}
 * per cell, over the whole sequence in turn. Weights: cell by cell. With {@code return_state} the outputs are the
 * output, then every cell's states in order (Keras's flattened list); initial states are given the same way.
 *
 * <pre>{@code
 * model.add(RNN.of(List.of(new LSTMCell(8), new GRUCell(4))).inputShape(20, 3));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public final class StackedRNN extends Layer {
    private final List<CellRNN> layers = new ArrayList<>();
    private boolean returnSequences, returnState, goBackwards, stateful;

    /** Not thread-safe: build and configure on one thread. */
    public StackedRNN(StackedRNNCells cells) {
        super("rnn");
        for (RecurrentCell c : cells.cells()) layers.add(new CellRNN("rnn_cell", c));
    }

    /** The same as {@code new StackedRNN(new StackedRNNCells(cells))}. Not thread-safe: configure on one thread. */
    public StackedRNN(List<RecurrentCell> cells) { this(new StackedRNNCells(cells)); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "RNN"; }

    /**
     * One layer per cell, in order (to set a cell's regularizers, constraints or dropout before building).
     * Thread-safe: reads configuration fixed before sharing.
     */
    public List<CellRNN> cellLayers() { return List.copyOf(layers); }

    /** Not thread-safe: configure before building. */
    public StackedRNN returnSequences(boolean v) { requireUnbuilt(); returnSequences = v; return this; }

    /** Not thread-safe: configure before building. */
    public StackedRNN returnState(boolean v) { requireUnbuilt(); returnState = v; return this; }

    /** Not thread-safe: configure before building. */
    public StackedRNN goBackwards(boolean v) { requireUnbuilt(); goBackwards = v; return this; }

    /** Not thread-safe: configure before building. */
    public StackedRNN stateful(boolean v) { requireUnbuilt(); stateful = v; return this; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnSequences() { return returnSequences; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnState() { return returnState; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean goBackwards() { return goBackwards; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean stateful() { return stateful; }

    private void requireUnbuilt() {
        if (isBuilt()) throw new IllegalStateException("Layer \"" + name() + "\": options must be set before it is built");
    }

    private int stateCount() {
        int n = 0;
        for (CellRNN l : layers) n += l.cell().stateCount();
        return n;
    }

    // ---------------------------------------------------------------- shapes and building

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        int[] s = shapes.get(0);
        if (s.length != 3 || s[2] <= 0) {
            throw new IllegalArgumentException("Input 0 of layer \"" + name() + "\" is incompatible: expected ndim=3 "
                    + "(batch, timesteps, features) with known features, got " + Shapes.toString(s));
        }
        if (shapes.size() > 1 && shapes.size() != 1 + stateCount()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" has " + stateCount() + " states (all cells'), got "
                    + (shapes.size() - 1) + " initial state(s)");
        }
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        int[] s = in.get(0);
        int units = layers.get(layers.size() - 1).units();
        List<int[]> out = new ArrayList<>();
        out.add(returnSequences ? new int[] {s[0], s[1], units} : new int[] {s[0], units});
        if (returnState) {
            for (CellRNN l : layers) for (int k = 0; k < l.cell().stateCount(); k++) out.add(new int[] {s[0], l.units()});
        }
        return out;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return outputShapes(List.of(inputShape)).get(0); }

    @Override
    protected void createWeights(List<int[]> shapes) {
        int[] s = shapes.get(0).clone();
        for (int i = 0; i < layers.size(); i++) {
            CellRNN l = layers.get(i);
            l.name(name() + "/RNNCell_" + i);
            boolean last = i == layers.size() - 1;
            // Only the first runs backwards: the others read its outputs, already in processing order.
            l.goBackwards(i == 0 && goBackwards).returnSequences(!last || returnSequences).returnState(returnState)
                    .stateful(stateful);
            List<int[]> in = new ArrayList<>();
            in.add(s.clone());
            if (shapes.size() > 1) for (int k = 0; k < l.cell().stateCount(); k++) in.add(new int[] {s[0], l.units()});
            l.build(in);
            addWeights(l.weights());
            s = new int[] {s[0], s[1], l.units()};
        }
    }

    /** Any number of timesteps, as every RNN (a fixed batch when stateful). */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) {
        if (index > 0) return super.acceptsShape(index, built, got);
        return got.length == 3 && got[2] == built[2] && (!stateful || built[0] < 0 || got[0] == built[0]);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Thread-safe: each wrapped layer waits for its running call, then resets (one layer after the other). */
    @Override
    public void resetStates() { for (CellRNN l : layers) l.resetStates(); }

    /**
     * Every cell's carried states in order, or null before the first stateful call.
     * Thread-safe per wrapped layer: each layer's states between two of its calls (layers may be read at different calls).
     */
    public List<Tensor> states() {
        List<Tensor> out = new ArrayList<>();
        for (CellRNN l : layers) {
            List<Tensor> s = l.states();
            if (s == null) return null;
            out.addAll(s);
        }
        return out;
    }

    // ---------------------------------------------------------------- forward and backward

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        int n = layers.size();
        Pass[] passes = new Pass[n];
        Tensor x = inputs[0];
        // After a backwards first cell the sequence is in processing order: so must the mask be.
        Tensor innerMask = mask;
        int offset = 1;
        for (int i = 0; i < n; i++) {
            CellRNN l = layers.get(i);
            int sc = l.cell().stateCount();
            Tensor[] in = new Tensor[inputs.length > 1 ? 1 + sc : 1];
            in[0] = x;
            if (inputs.length > 1) System.arraycopy(inputs, offset, in, 1, sc);
            offset += sc;
            passes[i] = l.call(in, innerMask, training);
            x = passes[i].outputs[0];
            if (i == 0 && goBackwards && mask != null) innerMask = reverseMask(mask);
        }
        List<Tensor> outs = new ArrayList<>();
        outs.add(x);
        if (returnState) for (Pass p : passes) for (int k = 1; k < p.outputs.length; k++) outs.add(p.outputs[k]);
        final int nInputs = inputs.length;
        return new Pass(outs.toArray(new Tensor[0]), returnSequences ? mask : null) {
            /** Thread-confined: call on the thread that made this pass, before backward. */
            @Override
            public void skipInputGradients() {
                super.skipInputGradients();
                passes[0].skipInputGradients();
            }

            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] dIn = new Tensor[nInputs];
                Tensor dSeq = grads.length > 0 ? grads[0] : null;
                // State gradients of cell i start after the output and the states of the cells before it.
                int stateAt = 1 + stateCount();
                for (int i = n - 1; i >= 0; i--) {
                    int sc = layers.get(i).cell().stateCount();
                    stateAt -= sc;
                    Tensor[] g = new Tensor[returnState ? 1 + sc : 1];
                    g[0] = dSeq;
                    for (int k = 0; returnState && k < sc; k++) g[1 + k] = stateAt + k < grads.length ? grads[stateAt + k] : null;
                    Tensor[] d = passes[i].backward(g);
                    dSeq = d[0];
                    for (int k = 0; nInputs > 1 && k < sc; k++) dIn[stateAt + k] = d[1 + k];
                }
                dIn[0] = dSeq;
                return dIn;
            }
        };
    }

    /** The mask {@code [batch, timesteps]} reversed along time. */
    private static Tensor reverseMask(Tensor mask) {
        int batch = mask.shape(0), steps = mask.shape(1);
        float[] m = mask.data(), r = new float[m.length];
        for (int b = 0; b < batch; b++) for (int t = 0; t < steps; t++) r[b * steps + t] = m[b * steps + steps - 1 - t];
        return Tensor.of(r, batch, steps);
    }

    /**
     * Keras 3's config: the driver's options and {@code cell: StackedRNNCells} with each cell's config.
     * Thread-safe: reads configuration fixed before sharing.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        c.put("stateful", stateful);
        c.put("unroll", false);
        c.put("zero_output_for_mask", false);
        List<Object> cells = new ArrayList<>();
        for (CellRNN l : layers) cells.add(l.getConfig().get("cell"));
        Map<String, Object> stacked = new LinkedHashMap<>();
        stacked.put("name", "stacked_rnn_cells");
        stacked.put("trainable", trainable());
        stacked.put("dtype", "float32");
        stacked.put("cells", cells);
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("module", "keras.layers");
        wrapped.put("class_name", "StackedRNNCells");
        wrapped.put("config", stacked);
        wrapped.put("registered_name", null);
        c.put("cell", wrapped);
        return c;
    }
}
