package org.rnn4j.layers.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * What {@link Attention} and {@link AdditiveAttention} share (Keras's attention base): inputs
 * {@code [query, value]} or {@code [query, value, key]} ({@code key} defaults to {@code value}), scores
 * {@code [batch, Tq, Tv]} from the subclass, then Keras's {@code _apply_scores}: a key is allowed when the value
 * mask keeps it and, with {@code use_causal_mask}, when {@code j <= i}; a disallowed score gets {@code -1e9} (so
 * its softmax weight is 0); {@code weights = softmax(scores)} over the keys (dropout on the weights in training);
 * output {@code weights · value} {@code [batch, Tq, dim_v]}, zero at masked query steps, carrying the query mask.
 * With {@code return_attention_scores} the weights are a second output.
 *
 * <p>The two masks (query's, value's) reach the layer packed in one tensor ({@link AttentionMasks}). A query row
 * with no allowed key gets uniform weights, as Keras's {@code score - 1e9} gives in float32.
 * Every call allocates its own buffers: concurrent inference calls are safe.
 *
 * <pre>{@code
 * Input q = new Input(Shapes.NONE, 16), v = new Input(Shapes.NONE, 16);
 * KerasTensor[] out = new Attention().useCausalMask(true).returnAttentionScores(true).applyAll(q, v);
 * // out[0]: [batch, Tq, 16]; out[1]: the attention weights [batch, Tq, Tv]
 * KerasTensor c = new AdditiveAttention().apply(q, v);
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public abstract class BaseAttention<L extends BaseAttention<L>> extends Layer implements org.rnn4j.layers.CallArguments {
    protected boolean useScale;
    protected double dropout;
    private boolean useCausalMask;
    private boolean returnAttentionScores;

    protected BaseAttention(String prefix) { super(prefix); }

    @SuppressWarnings("unchecked")
    private L self() { return (L) this; }

    /**
     * Keras's {@code dropout}: the fraction of attention weights dropped in training.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public L dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": dropout must be in [0, 1), got " + rate);
        }
        dropout = rate;
        return self();
    }

    /**
     * Keras's call argument {@code use_causal_mask=True}: query step {@code i} attends to key steps {@code j <= i}
     * only (decoder self-attention). Saved in the call's {@code kwargs}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public L useCausalMask(boolean b) { useCausalMask = b; return self(); }

    /**
     * Keras's call argument {@code return_attention_scores=True}: a second output, the weights {@code [batch, Tq, Tv]}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public L returnAttentionScores(boolean b) { returnAttentionScores = b; return self(); }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useScale() { return useScale; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public double dropout() { return dropout; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean useCausalMask() { return useCausalMask; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean returnAttentionScores() { return returnAttentionScores; }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> callKwargs() {
        Map<String, Object> k = new LinkedHashMap<>();
        if (useCausalMask) k.put("use_causal_mask", true);
        if (returnAttentionScores) k.put("return_attention_scores", true);
        return k;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    @Override
    public void applyCallKwarg(String key, Object value) {
        boolean on = Boolean.TRUE.equals(value);
        if (key.equals("use_causal_mask")) useCausalMask(on);
        else if (key.equals("return_attention_scores")) returnAttentionScores(on);
    }

    // ---------------------------------------------------------------- scores (subclass)

    /** One call's scores and the way back from their gradient. */
    protected interface Scores {
        /** {@code [batch, Tq, Tv]}. */
        float[] values();

        /** Given dL/dscores, adds the weights' gradients and dL/dquery, dL/dkey into {@code dq}, {@code dk}. */
        void backward(float[] dScores, float[] dq, float[] dk);
    }

    /** Scores of query {@code [batch, Tq, dim]} against key {@code [batch, Tv, dim]}. */
    protected abstract Scores scores(float[] q, float[] k, int batch, int tq, int tv, int dim);

    // ---------------------------------------------------------------- shapes

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.size() != 2 && shapes.size() != 3) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects inputs [query, value] or [query, value, key], "
                    + "got " + shapes.size() + " input(s)");
        }
        int[] q = shapes.get(0), v = shapes.get(1), k = shapes.size() == 3 ? shapes.get(2) : v;
        for (int[] s : shapes) {
            if (s.length != 3 || s[2] <= 0) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" expects inputs of shape (batch, steps, dim), got "
                        + Shapes.toString(s));
            }
        }
        if (q[2] != k[2]) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": query and key must have the same last dimension, "
                    + "got query " + Shapes.toString(q) + " and key " + Shapes.toString(k));
        }
        if (k[1] >= 0 && v[1] >= 0 && k[1] != v[1]) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": key and value must have the same number of steps, "
                    + "got key " + Shapes.toString(k) + " and value " + Shapes.toString(v));
        }
    }

    /** Any number of query and value steps; the feature axes fixed. */
    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return got.length == 3 && got[2] == built[2]; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        int[] q = in.get(0), v = in.get(1);
        int[] out = {q[0], q[1], v[2]};
        return returnAttentionScores ? List.of(out, new int[] {q[0], q[1], v[1]}) : List.of(out);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /**
     * Keras uses the query's mask ({@code mask[0]}) and the value's ({@code mask[1]}); the key's is ignored.
     * Thread-safe: a pure function of the configuration.
     */
    @Override
    public Tensor combineInputMasks(Tensor[] inputs, Tensor[] masks) { return AttentionMasks.pack(inputs, masks, 2); }

    // ---------------------------------------------------------------- computing

    @Override
    protected Pass forward(Tensor[] inputs, Tensor packedMask, boolean training) {
        Tensor query = inputs[0], value = inputs[1], key = inputs.length > 2 ? inputs[2] : value;
        int batch = query.shape(0), tq = query.shape(1), dim = query.shape(2), tv = value.shape(1), dv = value.shape(2);
        if (key.shape(1) != tv || key.shape(2) != dim || value.shape(0) != batch || key.shape(0) != batch) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": query " + Shapes.toString(query.shape()) + ", value "
                    + Shapes.toString(value.shape()) + " and key " + Shapes.toString(key.shape()) + " do not fit together");
        }
        float[][] unpacked = AttentionMasks.unpack(packedMask, batch, tq, tv);
        float[] qMask = unpacked[0], vMask = unpacked[1];
        Scores sc = scores(query.data(), key.data(), batch, tq, tv, dim);
        float[] s = sc.values();
        // Softmax over the allowed keys (a disallowed score minus 1e9 has weight exactly 0 in float32).
        float[] weights = new float[batch * tq * tv];
        boolean[] uniform = new boolean[batch * tq];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                int row = (b * tq + i) * tv;
                float max = Float.NEGATIVE_INFINITY;
                boolean any = false;
                for (int j = 0; j < tv; j++) {
                    if (allowed(vMask, b, tv, i, j)) {
                        max = Math.max(max, s[row + j]);
                        any = true;
                    }
                }
                // A row with no allowed key: Keras's softmax then sees every score shifted alike, i.e. all keys.
                if (!any) {
                    // Keras subtracts 1e9 from every score of the row: in float32 they all become -1e9, uniform weights.
                    for (int j = 0; j < tv; j++) weights[row + j] = 1f / tv;
                    uniform[b * tq + i] = true;
                    continue;
                }
                double sum = 0;
                for (int j = 0; j < tv; j++) {
                    if (any && !allowed(vMask, b, tv, i, j)) continue;
                    float e = (float) Math.exp(s[row + j] - max);
                    weights[row + j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j < tv; j++) weights[row + j] *= inv;
            }
        }
        float[] keep = training && dropout > 0 ? Rnn4j.draw(r -> Dropout.dropoutMask(weights.length, (float) dropout, r)) : null;
        float[] used = weights;
        if (keep != null) {
            used = new float[weights.length];
            for (int i = 0; i < used.length; i++) used[i] = weights[i] * keep[i];
        }
        float[] vd = value.data();
        float[] out = new float[batch * tq * dv];
        for (int b = 0; b < batch; b++) {
            MatMul.gemm(false, false, tq, dv, tv, used, b * tq * tv, tv, vd, b * tv * dv, dv, out, b * tq * dv, dv, false);
        }
        if (qMask != null) {
            for (int r = 0; r < batch * tq; r++) if (qMask[r] == 0f) java.util.Arrays.fill(out, r * dv, (r + 1) * dv, 0f);
        }
        Tensor outMask = qMask == null ? null : Tensor.of(qMask, batch, tq);
        Tensor[] outs = returnAttentionScores
                ? new Tensor[] {Tensor.of(out, batch, tq, dv), Tensor.of(used, batch, tq, tv)}
                : new Tensor[] {Tensor.of(out, batch, tq, dv)};
        final float[] qm = qMask;
        final float[] usedWeights = used;
        final boolean keyIsValue = inputs.length < 3;
        return new Pass(outs, outMask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                float[] dUsed = new float[batch * tq * tv];
                float[] dv2 = new float[vd.length];
                if (grads[0] != null) {
                    float[] dOut = grads[0].data();
                    if (qm != null) {
                        dOut = dOut.clone();
                        for (int r = 0; r < batch * tq; r++) if (qm[r] == 0f) java.util.Arrays.fill(dOut, r * dv, (r + 1) * dv, 0f);
                    }
                    for (int b = 0; b < batch; b++) {
                        // dWeights = dOut · value^T ; dValue = weights^T · dOut
                        MatMul.gemm(false, true, tq, tv, dv, dOut, b * tq * dv, dv, vd, b * tv * dv, dv, dUsed, b * tq * tv, tv, false);
                        MatMul.gemm(true, false, tv, dv, tq, usedWeights, b * tq * tv, tv, dOut, b * tq * dv, dv, dv2, b * tv * dv, dv, false);
                    }
                }
                if (grads.length > 1 && grads[1] != null) {
                    float[] g = grads[1].data();
                    for (int i = 0; i < g.length; i++) dUsed[i] += g[i];
                }
                // Through dropout, then the softmax: dS = W (dW - sum_j W dW).
                float[] dS = new float[dUsed.length];
                for (int r = 0; r < batch * tq; r++) {
                    int o = r * tv;
                    if (uniform[r]) continue; // constant weights: no gradient reaches the scores
                    double dot = 0;
                    for (int j = 0; j < tv; j++) {
                        float dw = keep == null ? dUsed[o + j] : dUsed[o + j] * keep[o + j];
                        dS[o + j] = dw;
                        dot += (double) weights[o + j] * dw;
                    }
                    for (int j = 0; j < tv; j++) dS[o + j] = (float) (weights[o + j] * (dS[o + j] - dot));
                }
                float[] dq = new float[query.size()], dk = new float[key.size()];
                sc.backward(dS, dq, dk);
                if (keyIsValue) {
                    for (int i = 0; i < dv2.length; i++) dv2[i] += dk[i];
                    return new Tensor[] {Tensor.of(dq, query.shape()), Tensor.of(dv2, value.shape())};
                }
                return new Tensor[] {Tensor.of(dq, query.shape()), Tensor.of(dv2, value.shape()), Tensor.of(dk, key.shape())};
            }
        };
    }

    private boolean allowed(float[] vMask, int b, int tv, int i, int j) {
        if (vMask != null && vMask[b * tv + j] == 0f) return false;
        return !useCausalMask || j <= i;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("use_scale", useScale);
        c.put("dropout", dropout);
        return c;
    }
}
