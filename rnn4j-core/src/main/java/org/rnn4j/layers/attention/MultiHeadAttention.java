package org.rnn4j.layers.attention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.constraints.Constraint;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's {@code MultiHeadAttention(num_heads, key_dim, value_dim=key_dim, dropout=0, use_bias=True)} over
 * sequences: inputs {@code [query, value]} or {@code [query, value, key]}; per head {@code h}, {@code Q_h = query
 * Wq_h + bq_h}, {@code K_h}, {@code V_h} likewise; {@code weights_h = softmax(Q_h K_h^T / sqrt(key_dim))} over the
 * allowed keys (the query's, value's and key's Keras masks and, with {@code use_causal_mask}, {@code j <= i}; a
 * disallowed key, or every key of a fully masked row, gets weight 0 as Keras's masked {@code Softmax}); dropout on
 * the weights in training; {@code output = concat_h(weights_h V_h) Wo + bo} with the query's feature size; the
 * output carries the query's mask. Weights, in Keras order: {@code query/kernel [dq, H, key_dim]},
 * {@code query/bias [H, key_dim]}, {@code key/kernel}, {@code key/bias}, {@code value/kernel [dv, H, value_dim]},
 * {@code value/bias}, {@code attention_output/kernel [H, value_dim, dq]}, {@code attention_output/bias [dq]}.
 *
 * <p>Every call allocates its own buffers: concurrent inference calls are safe.
 *
 * <pre>{@code
 * KerasTensor y = new MultiHeadAttention(4, 16).apply(decoderSeq, encoderSeq);        // cross-attention
 * KerasTensor z = new MultiHeadAttention(2, 8).useCausalMask(true).apply(x, x);      // causal self-attention
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class MultiHeadAttention extends Layer implements org.rnn4j.layers.CallArguments {
    private final int numHeads;
    private final int keyDim;
    private int valueDim;
    private double dropout;
    private boolean useBias = true;
    private boolean useCausalMask;
    private boolean returnAttentionScores;
    private Initializer kernelInitializer = Initializer.get("glorot_uniform");
    private Initializer biasInitializer = Initializer.zeros();
    private Weight wq, bq, wk, bk, wv, bv, wo, bo;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public MultiHeadAttention(int numHeads, int keyDim) {
        super("multi_head_attention");
        if (numHeads <= 0 || keyDim <= 0) {
            throw new IllegalArgumentException("MultiHeadAttention needs positive num_heads and key_dim, got num_heads="
                    + numHeads + ", key_dim=" + keyDim);
        }
        this.numHeads = numHeads;
        this.keyDim = keyDim;
        this.valueDim = keyDim;
    }

    /** Keras's {@code value_dim} (default: key_dim). Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention valueDim(int v) {
        if (v <= 0) throw new IllegalArgumentException("Layer \"" + name() + "\": value_dim must be positive, got " + v);
        valueDim = v;
        return this;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("Layer \"" + name() + "\": dropout must be in [0, 1), got " + rate);
        dropout = rate;
        return this;
    }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention useBias(boolean b) { useBias = b; return this; }

    /**
     * Keras's call argument {@code use_causal_mask=True}: query step {@code i} attends to key steps {@code j <= i}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public MultiHeadAttention useCausalMask(boolean b) { useCausalMask = b; return this; }

    /**
     * Keras's call argument {@code return_attention_scores=True}: a second output {@code [batch, H, Tq, Tv]}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public MultiHeadAttention returnAttentionScores(boolean b) { returnAttentionScores = b; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention biasInitializer(Initializer i) { biasInitializer = i; return this; }

    /**
     * Keras's {@code kernel_regularizer}, shared by the four projections as in Keras.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public MultiHeadAttention kernelRegularizer(Regularizer r) { setWeightRegularizer("kernel", r); shareRegularization(); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention biasRegularizer(Regularizer r) { setWeightRegularizer("bias", r); shareRegularization(); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention kernelConstraint(Constraint c) { setWeightConstraint("kernel", c); shareRegularization(); return this; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public MultiHeadAttention biasConstraint(Constraint c) { setWeightConstraint("bias", c); shareRegularization(); return this; }

    /** Keras gives each projection's kernel and bias the layer's kernel/bias regularizer and constraint. */
    private void shareRegularization() {
        for (Weight w : weights()) {
            String kind = w.name().endsWith("kernel") ? "kernel" : "bias";
            w.setRegularizer(weightRegularizer(kind));
            w.setConstraint(weightConstraint(kind));
        }
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int numHeads() { return numHeads; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int keyDim() { return keyDim; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public int valueDim() { return valueDim; }

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

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "MultiHeadAttention"; }

    @Override
    protected void validateInputShapes(List<int[]> shapes) {
        if (shapes.size() != 2 && shapes.size() != 3) {
            throw new IllegalArgumentException("Layer \"" + name() + "\" expects inputs [query, value] or [query, value, key], "
                    + "got " + shapes.size() + " input(s)");
        }
        for (int[] s : shapes) {
            if (s.length != 3 || s[2] <= 0) {
                throw new IllegalArgumentException("Layer \"" + name() + "\" expects inputs of shape (batch, steps, dim), got "
                        + Shapes.toString(s));
            }
        }
        int[] v = shapes.get(1), k = shapes.size() == 3 ? shapes.get(2) : v;
        if (k[1] >= 0 && v[1] >= 0 && k[1] != v[1]) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": all dimensions of `value` and `key`, except the last "
                    + "one, must be equal. Received: value_shape=" + Shapes.toString(v) + " and key_shape=" + Shapes.toString(k));
        }
    }

    @Override
    protected boolean acceptsShape(int index, int[] built, int[] got) { return got.length == 3 && got[2] == built[2]; }

    /** Thread-safe: a pure function of the configuration. */
    @Override
    public List<int[]> outputShapes(List<int[]> in) {
        int[] q = in.get(0), v = in.get(1);
        int[] out = {q[0], q[1], q[2]};
        return returnAttentionScores ? List.of(out, new int[] {q[0], numHeads, q[1], v[1]}) : List.of(out);
    }

    /** Thread-safe: a constant. */
    @Override
    public boolean supportsMasking() { return true; }

    /** Keras uses the query's, value's and key's masks. Thread-safe: a pure function of the configuration. */
    @Override
    public Tensor combineInputMasks(Tensor[] inputs, Tensor[] masks) { return AttentionMasks.pack(inputs, masks, inputs.length); }

    @Override
    protected void createWeights(List<int[]> shapes) {
        int dq = shapes.get(0)[2], dv = shapes.get(1)[2], dk = shapes.size() == 3 ? shapes.get(2)[2] : dv;
        wq = addWeight("query/kernel", new int[] {dq, numHeads, keyDim}, kernelInitializer, true);
        if (useBias) bq = addWeight("query/bias", new int[] {numHeads, keyDim}, biasInitializer, true);
        wk = addWeight("key/kernel", new int[] {dk, numHeads, keyDim}, kernelInitializer, true);
        if (useBias) bk = addWeight("key/bias", new int[] {numHeads, keyDim}, biasInitializer, true);
        wv = addWeight("value/kernel", new int[] {dv, numHeads, valueDim}, kernelInitializer, true);
        if (useBias) bv = addWeight("value/bias", new int[] {numHeads, valueDim}, biasInitializer, true);
        wo = addWeight("attention_output/kernel", new int[] {numHeads, valueDim, dq}, kernelInitializer, true);
        if (useBias) bo = addWeight("attention_output/bias", new int[] {dq}, biasInitializer, true);
        shareRegularization();
    }

    /** {@code x [rows, in] · w [in, out] + b}. */
    private static float[] project(float[] x, int rows, int in, Weight w, Weight b, int out) {
        float[] y = new float[rows * out];
        MatMul.gemm(false, false, rows, out, in, x, 0, in, w.value().data(), 0, out, y, 0, out, false);
        if (b != null) {
            float[] bd = b.value().data();
            for (int r = 0; r < rows; r++) for (int j = 0; j < out; j++) y[r * out + j] += bd[j];
        }
        return y;
    }

    /** Backward of {@link #project}: adds dW, db; returns dx (or null when not wanted). */
    private static float[] projectBack(float[] x, float[] dy, int rows, int in, Weight w, Weight b, int out, boolean wantDx) {
        MatMul.gemm(true, false, in, out, rows, x, 0, in, dy, 0, out, w.grad().data(), 0, out, true);
        if (b != null) {
            float[] db = b.grad().data();
            for (int r = 0; r < rows; r++) for (int j = 0; j < out; j++) db[j] += dy[r * out + j];
        }
        if (!wantDx) return null;
        float[] dx = new float[rows * in];
        MatMul.gemm(false, true, rows, in, out, dy, 0, out, w.value().data(), 0, out, dx, 0, in, false);
        return dx;
    }

    @Override
    protected Pass forward(Tensor[] inputs, Tensor packedMask, boolean training) {
        Tensor query = inputs[0], value = inputs[1], key = inputs.length > 2 ? inputs[2] : value;
        int batch = query.shape(0), tq = query.shape(1), dq = query.shape(2);
        int tv = value.shape(1), dv = value.shape(2), dk = key.shape(2);
        if (key.shape(1) != tv || key.shape(0) != batch || value.shape(0) != batch) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": query " + Shapes.toString(query.shape()) + ", value "
                    + Shapes.toString(value.shape()) + " and key " + Shapes.toString(key.shape()) + " do not fit together");
        }
        int[] lengths = inputs.length > 2 ? new int[] {tq, tv, tv} : new int[] {tq, tv};
        float[][] masks = AttentionMasks.unpack(packedMask, batch, lengths);
        float[] qMask = masks[0], vMask = masks[1], kMask = masks.length > 2 ? masks[2] : null;
        int hk = numHeads * keyDim, hv = numHeads * valueDim;
        float[] q = project(query.data(), batch * tq, dq, wq, bq, hk);
        float[] k = project(key.data(), batch * tv, dk, wk, bk, hk);
        float[] v = project(value.data(), batch * tv, dv, wv, bv, hv);
        float inv = (float) (1.0 / Math.sqrt(keyDim));
        float[] qs = new float[q.length];
        for (int i = 0; i < q.length; i++) qs[i] = q[i] * inv;
        float[] weights = new float[batch * numHeads * tq * tv];
        float[] s = new float[tq * tv];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < numHeads; h++) {
                MatMul.gemm(false, true, tq, tv, keyDim, qs, b * tq * hk + h * keyDim, hk, k, b * tv * hk + h * keyDim, hk, s, 0, tv, false);
                int base = (b * numHeads + h) * tq * tv;
                for (int i = 0; i < tq; i++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < tv; j++) if (allowed(qMask, vMask, kMask, b, tq, tv, i, j)) max = Math.max(max, s[i * tv + j]);
                    if (max == Float.NEGATIVE_INFINITY) continue; // every key masked: Keras's masked Softmax gives zeros
                    double sum = 0;
                    for (int j = 0; j < tv; j++) {
                        if (!allowed(qMask, vMask, kMask, b, tq, tv, i, j)) continue;
                        float e = (float) Math.exp(s[i * tv + j] - max);
                        weights[base + i * tv + j] = e;
                        sum += e;
                    }
                    float norm = (float) (1.0 / sum);
                    for (int j = 0; j < tv; j++) weights[base + i * tv + j] *= norm;
                }
            }
        }
        float[] keep = training && dropout > 0 ? Rnn4j.draw(r -> Dropout.dropoutMask(weights.length, (float) dropout, r)) : null;
        float[] used = weights;
        if (keep != null) {
            used = new float[weights.length];
            for (int i = 0; i < used.length; i++) used[i] = weights[i] * keep[i];
        }
        float[] ctx = new float[batch * tq * hv];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < numHeads; h++) {
                MatMul.gemm(false, false, tq, valueDim, tv, used, (b * numHeads + h) * tq * tv, tv, v, b * tv * hv + h * valueDim, hv,
                        ctx, b * tq * hv + h * valueDim, hv, false);
            }
        }
        float[] out = project(ctx, batch * tq, hv, wo, bo, dq);
        Tensor outMask = qMask == null ? null : Tensor.of(qMask, batch, tq);
        Tensor[] outs = returnAttentionScores
                ? new Tensor[] {Tensor.of(out, batch, tq, dq), Tensor.of(weights, batch, numHeads, tq, tv)}
                : new Tensor[] {Tensor.of(out, batch, tq, dq)};
        final float[] usedWeights = used;
        final boolean keyIsValue = inputs.length < 3;
        return new Pass(outs, outMask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                float[] dCtx = new float[ctx.length];
                if (grads[0] != null) {
                    dCtx = projectBack(ctx, grads[0].data(), batch * tq, hv, wo, bo, dq, true);
                }
                float[] dUsed = new float[weights.length], dvProj = new float[v.length];
                for (int b = 0; b < batch; b++) {
                    for (int h = 0; h < numHeads; h++) {
                        int wOff = (b * numHeads + h) * tq * tv, vOff = b * tv * hv + h * valueDim, cOff = b * tq * hv + h * valueDim;
                        MatMul.gemm(false, true, tq, tv, valueDim, dCtx, cOff, hv, v, vOff, hv, dUsed, wOff, tv, false);
                        MatMul.gemm(true, false, tv, valueDim, tq, usedWeights, wOff, tv, dCtx, cOff, hv, dvProj, vOff, hv, false);
                    }
                }
                float[] dW = dUsed;
                if (keep != null) for (int i = 0; i < dW.length; i++) dW[i] *= keep[i];
                if (grads.length > 1 && grads[1] != null) {
                    float[] g = grads[1].data();
                    for (int i = 0; i < dW.length; i++) dW[i] += g[i];
                }
                // Softmax backward per row: dS = W (dW - sum W dW); masked entries have W = 0.
                float[] dS = new float[dW.length];
                for (int r = 0; r < batch * numHeads * tq; r++) {
                    int o = r * tv;
                    double dot = 0;
                    for (int j = 0; j < tv; j++) dot += (double) weights[o + j] * dW[o + j];
                    for (int j = 0; j < tv; j++) dS[o + j] = (float) (weights[o + j] * (dW[o + j] - dot));
                }
                float[] dqs = new float[q.length], dkProj = new float[k.length];
                for (int b = 0; b < batch; b++) {
                    for (int h = 0; h < numHeads; h++) {
                        int sOff = (b * numHeads + h) * tq * tv, qOff = b * tq * hk + h * keyDim, kOff = b * tv * hk + h * keyDim;
                        MatMul.gemm(false, false, tq, keyDim, tv, dS, sOff, tv, k, kOff, hk, dqs, qOff, hk, false);
                        MatMul.gemm(true, false, tv, keyDim, tq, dS, sOff, tv, qs, qOff, hk, dkProj, kOff, hk, false);
                    }
                }
                for (int i = 0; i < dqs.length; i++) dqs[i] *= inv;
                boolean wantDx = inputGradientsWanted();
                float[] dQuery = projectBack(query.data(), dqs, batch * tq, dq, wq, bq, hk, wantDx);
                float[] dKey = projectBack(key.data(), dkProj, batch * tv, dk, wk, bk, hk, wantDx);
                float[] dValue = projectBack(value.data(), dvProj, batch * tv, dv, wv, bv, hv, wantDx);
                if (!wantDx) return new Tensor[inputs.length];
                if (keyIsValue) {
                    for (int i = 0; i < dValue.length; i++) dValue[i] += dKey[i];
                    return new Tensor[] {Tensor.of(dQuery, query.shape()), Tensor.of(dValue, value.shape())};
                }
                return new Tensor[] {Tensor.of(dQuery, query.shape()), Tensor.of(dValue, value.shape()), Tensor.of(dKey, key.shape())};
            }
        };
    }

    private boolean allowed(float[] qMask, float[] vMask, float[] kMask, int b, int tq, int tv, int i, int j) {
        if (qMask != null && qMask[b * tq + i] == 0f) return false;
        if (vMask != null && vMask[b * tv + j] == 0f) return false;
        if (kMask != null && kMask[b * tv + j] == 0f) return false;
        return !useCausalMask || j <= i;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_heads", numHeads);
        c.put("key_dim", keyDim);
        c.put("value_dim", valueDim);
        c.put("dropout", dropout);
        c.put("use_bias", useBias);
        c.put("output_shape", null);
        c.put("attention_axes", null);
        c.put("kernel_initializer", kernelInitializer.serialize());
        c.put("bias_initializer", biasInitializer.serialize());
        putRegularizationConfig(c, "kernel", "bias");
        c.put("seed", null);
        return c;
    }

    /**
     * The layer of a Keras {@code MultiHeadAttention} config ({@code output_shape} and {@code attention_axes} refused).
     * Thread-safe: builds a new layer from the config.
     */
    public static MultiHeadAttention fromConfig(LayerConfig c) {
        com.fasterxml.jackson.databind.JsonNode axes = c.get("attention_axes");
        if (axes != null && !(axes.isArray() && axes.size() == 1 && axes.get(0).asInt() == 1)) {
            throw c.error("option \"attention_axes\" = " + axes + " is not supported by rnn4j (attention over the time axis only)");
        }
        c.refuseIfSet("output_shape");
        MultiHeadAttention m = new MultiHeadAttention(c.getInt("num_heads", -1), c.getInt("key_dim", -1));
        m.valueDim(c.getInt("value_dim", m.keyDim));
        m.dropout(c.getDouble("dropout", 0.0));
        m.useBias(c.getBool("use_bias", true));
        m.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform"));
        m.biasInitializer(c.initializer("bias_initializer", "zeros"));
        m.kernelRegularizer(c.regularizer("kernel_regularizer"));
        m.biasRegularizer(c.regularizer("bias_regularizer"));
        m.kernelConstraint(c.constraint("kernel_constraint"));
        m.biasConstraint(c.constraint("bias_constraint"));
        return m;
    }
}
