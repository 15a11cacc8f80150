package org.rnn4j.layers.recurrent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Bidirectional wrapper: runs a copy of a recurrent layer forward and another copy with
 * {@code go_backwards} flipped, and merges their outputs. With {@code return_sequences} the backward output is put
 * back in input order before merging. Merge modes: {@code concat} (default), {@code sum}, {@code ave}, {@code mul},
 * or {@code null} for two separate outputs. Weights: the forward layer's, then the backward layer's.
 *
 * <p>As Keras, the copies are named {@code forward_<name>} and {@code backward_<name>}, both receive the mask, and
 * both emit zeros at masked timesteps when they return sequences ({@code zero_output_for_mask}). Initial states
 * are the forward layer's followed by the backward layer's; with {@code return_state} the outputs are the merged
 * output (two with merge mode {@code null}), then the forward states, then the backward states.
 *
 * <pre>{@code
 * model.add(new Bidirectional(new LSTM(16).returnSequences(true), "concat").inputShape(20, 3));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Bidirectional extends Layer {
    private static final List<String> MERGE_MODES = List.of("concat", "sum", "ave", "mul");
    private final RNN<?> forwardLayer;
    private final RNN<?> backwardLayer;
    private final String mergeMode;

    /**
     * @param mergeMode {@code concat}, {@code sum}, {@code ave}, {@code mul}, or null for two outputs
     * Not thread-safe: configure the new layer on one thread, then share it.
     */
    public Bidirectional(RNN<?> layer, String mergeMode) {
        super("bidirectional");
        if (layer == null) throw new IllegalArgumentException("Bidirectional needs a recurrent layer, got null");
        if (mergeMode != null && !MERGE_MODES.contains(mergeMode.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Invalid merge mode for layer \"" + name() + "\": '" + mergeMode
                    + "'; expected one of concat, sum, ave, mul or null");
        }
        this.mergeMode = mergeMode == null ? null : mergeMode.toLowerCase(Locale.ROOT);
        this.forwardLayer = layer.copyConfig("forward_" + stripPrefix(layer.name(), "forward_"));
        this.backwardLayer = layer.copyConfig("backward_" + stripPrefix(layer.name(), "backward_"));
        // Keras 2 flips go_backwards for the backward copy (Keras 3 sets it to true and refuses a go_backwards layer).
        backwardLayer.goBackwards(!layer.goBackwards());
        // Keras forces zero_output_for_mask = return_sequences on both copies.
        forwardLayer.zeroOutputForMask(layer.returnSequences());
        backwardLayer.zeroOutputForMask(layer.returnSequences());
    }

    /** Concatenating merge, Keras's default. Not thread-safe: configure the new layer on one thread, then share it. */
    public Bidirectional(RNN<?> layer) { this(layer, "concat"); }

    private static String stripPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Bidirectional"; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public RNN<?> forwardLayer() { return forwardLayer; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public RNN<?> backwardLayer() { return backwardLayer; }

    /**
     * The merge mode, or null when the two directions are returned as separate outputs.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public String mergeMode() { return mergeMode; }

    private boolean returnSequences() { return forwardLayer.returnSequences(); }

    /**
     * True when the wrapped layer is stateful (both copies then carry their states between batches).
     * Thread-safe: reads configuration fixed before sharing.
     */
    public boolean stateful() { return forwardLayer.stateful(); }

    /**
     * The carried states, forward then backward (Keras's {@code states}), or null before the first stateful call.
     * Thread-safe per wrapped layer: each layer's states between two of its calls (layers may be read at different calls).
     */
    public List<Tensor> states() {
        List<Tensor> f = forwardLayer.states(), b = backwardLayer.states();
        if (f == null || b == null) return null;
        List<Tensor> out = new ArrayList<>(f);
        out.addAll(b);
        return out;
    }

    private int stateCount() { return forwardLayer.cell().stateCount(); }

    private int outputCount() { return mergeMode == null ? 2 : 1; }

    // ---------------------------------------------------------------- shapes and building

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.size() > 1 && shapes.size() != 1 + 2 * stateCount()) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" takes " + 2 * stateCount() + " initial states ("
                    + stateCount() + " forward, then " + stateCount() + " backward), got " + (shapes.size() - 1));
        }
    }

    private List<int[]> half(List<int[]> shapes, boolean backward) {
        if (shapes.size() == 1) return shapes;
        List<int[]> out = new ArrayList<>();
        out.add(shapes.get(0));
        int n = stateCount(), from = 1 + (backward ? n : 0);
        out.addAll(shapes.subList(from, from + n));
        return out;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        List<int[]> fw = forwardLayer.outputShapes(half(in, false));
        int[] y = fw.get(0).clone();
        List<int[]> out = new ArrayList<>();
        if (mergeMode == null) {
            out.add(y);
            out.add(y.clone());
        } else {
            if (mergeMode.equals("concat")) y[y.length - 1] *= 2;
            out.add(y);
        }
        for (int s = 1; s < fw.size(); s++) out.add(fw.get(s).clone());
        for (int s = 1; s < fw.size(); s++) out.add(fw.get(s).clone());
        return out;
    }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public int[] outputShape(int[] inputShape) { return outputShapes(List.of(inputShape)).get(0); }

    @Override
    protected void createWeights(List<int[]> shapes) {
        forwardLayer.build(half(shapes, false));
        backwardLayer.build(half(shapes, true));
        addWeights(forwardLayer.weights());
        addWeights(backwardLayer.weights());
    }

    /** Quantizes both directions' layers (as Keras quantizes the innermost layers). Thread-safe: a constant. */
    @Override
    public boolean quantizable() { return forwardLayer.quantizable(); }

    @Override
    protected void quantizeWeights() {
        forwardLayer.quantize(INT8);
        backwardLayer.quantize(INT8);
        List<Weight> all = new java.util.ArrayList<>(forwardLayer.weights());
        all.addAll(backwardLayer.weights());
        replaceWeights(all);
    }

    /** The wrapped layers' configs carry the quantized dtype policy, not the wrapper's. Thread-safe: a constant. */
    @Override
    protected boolean ownsQuantizedWeights() { return false; }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Thread-safe: each wrapped layer waits for its running call, then resets (one layer after the other). */
    @Override
    public void resetStates() {
        forwardLayer.resetStates();
        backwardLayer.resetStates();
    }

    // ---------------------------------------------------------------- forward and backward

    private Tensor[] halfInputs(Tensor[] inputs, boolean backward) {
        if (inputs.length == 1) return inputs;
        int n = stateCount();
        Tensor[] out = new Tensor[1 + n];
        out[0] = inputs[0];
        System.arraycopy(inputs, 1 + (backward ? n : 0), out, 1, n);
        return out;
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor mask, boolean training) {
        Pass fw = forwardLayer.call(halfInputs(inputs, false), mask, training);
        Pass bw = backwardLayer.call(halfInputs(inputs, true), mask, training);
        final boolean seq = returnSequences();
        final Tensor y = fw.outputs[0];
        final Tensor yRev = seq ? reverseTime(bw.outputs[0]) : bw.outputs[0];
        final int nStates = fw.outputs.length - 1, nOut = outputCount();
        Tensor[] outs = new Tensor[nOut + 2 * nStates];
        if (mergeMode == null) {
            outs[0] = y;
            outs[1] = yRev;
        } else {
            outs[0] = merge(y, yRev);
        }
        for (int s = 0; s < nStates; s++) {
            outs[nOut + s] = fw.outputs[1 + s];
            outs[nOut + nStates + s] = bw.outputs[1 + s];
        }
        final int nInputs = inputs.length;
        return new Pass(outs, seq ? mask : null) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] gf = new Tensor[1 + nStates], gb = new Tensor[1 + nStates];
                Tensor[] split = unmerge(grads, y, yRev);
                gf[0] = split[0];
                gb[0] = seq && split[1] != null ? reverseTime(split[1]) : split[1];
                for (int s = 0; s < nStates; s++) {
                    gf[1 + s] = at(grads, nOut + s);
                    gb[1 + s] = at(grads, nOut + nStates + s);
                }
                Tensor[] df = fw.backward(gf), db = bw.backward(gb);
                Tensor[] dIn = new Tensor[nInputs];
                dIn[0] = sum(df[0], db[0]);
                int n = (nInputs - 1) / 2;
                for (int s = 0; s < n; s++) {
                    dIn[1 + s] = df[1 + s];
                    dIn[1 + n + s] = db[1 + s];
                }
                return dIn;
            }
        };
    }

    private static Tensor at(Tensor[] a, int i) { return i < a.length ? a[i] : null; }

    private Tensor merge(Tensor y, Tensor r) {
        float[] a = y.data(), b = r.data();
        if (mergeMode.equals("concat")) {
            int u = y.shape(-1), rows = y.size() / u;
            float[] o = new float[2 * a.length];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(a, i * u, o, 2 * i * u, u);
                System.arraycopy(b, i * u, o, (2 * i + 1) * u, u);
            }
            int[] shape = y.shape();
            shape[shape.length - 1] = 2 * u;
            return Tensor.of(o, shape);
        }
        float[] o = new float[a.length];
        switch (mergeMode) {
            case "sum": for (int i = 0; i < o.length; i++) o[i] = a[i] + b[i]; break;
            case "ave": for (int i = 0; i < o.length; i++) o[i] = (a[i] + b[i]) / 2f; break;
            default: for (int i = 0; i < o.length; i++) o[i] = a[i] * b[i]; break; // mul
        }
        return Tensor.of(o, y.shape());
    }

    /** Gradients of the forward output and of the (re-reversed) backward output from the merged output's. */
    private Tensor[] unmerge(Tensor[] grads, Tensor y, Tensor r) {
        if (mergeMode == null) return new Tensor[] {at(grads, 0), at(grads, 1)};
        Tensor g = at(grads, 0);
        if (g == null) return new Tensor[2];
        float[] gd = g.data();
        float[] ga = new float[y.size()], gb = new float[y.size()];
        switch (mergeMode) {
            case "concat": {
                int u = y.shape(-1), rows = y.size() / u;
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(gd, 2 * i * u, ga, i * u, u);
                    System.arraycopy(gd, (2 * i + 1) * u, gb, i * u, u);
                }
                break;
            }
            case "sum":
                System.arraycopy(gd, 0, ga, 0, ga.length);
                System.arraycopy(gd, 0, gb, 0, gb.length);
                break;
            case "ave":
                for (int i = 0; i < ga.length; i++) ga[i] = gb[i] = gd[i] / 2f;
                break;
            default: { // mul
                float[] a = y.data(), b = r.data();
                for (int i = 0; i < ga.length; i++) {
                    ga[i] = gd[i] * b[i];
                    gb[i] = gd[i] * a[i];
                }
            }
        }
        return new Tensor[] {Tensor.of(ga, y.shape()), Tensor.of(gb, y.shape())};
    }

    /** The sequence {@code [batch, timesteps, features]} reversed along time. */
    static Tensor reverseTime(Tensor t) {
        int batch = t.shape(0), steps = t.shape(1), f = t.shape(2);
        float[] src = t.data(), dst = new float[src.length];
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < steps; k++) {
                System.arraycopy(src, (b * steps + k) * f, dst, (b * steps + steps - 1 - k) * f, f);
            }
        }
        return Tensor.of(dst, t.shape());
    }

    private static Tensor sum(Tensor a, Tensor b) {
        if (a == null) return b;
        if (b == null) return a;
        float[] o = a.data().clone(), bd = b.data();
        for (int i = 0; i < o.length; i++) o[i] += bd[i];
        return Tensor.of(o, a.shape());
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("merge_mode", mergeMode);
        c.put("layer", serialized(forwardLayer));
        c.put("backward_layer", serialized(backwardLayer));
        return c;
    }

    /** Keras 3's {@code serialize_keras_object} of a wrapped layer. */
    private static Map<String, Object> serialized(Layer l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.layers");
        m.put("class_name", l.className());
        m.put("config", l.getConfig());
        m.put("registered_name", null);
        return m;
    }
}
