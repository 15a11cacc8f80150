package org.rnn4j.layers.attention;

import java.util.List;
import java.util.Map;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.layers.Weight;

/**
 * Keras's {@code Attention(use_scale=False, score_mode="dot", dropout=0)}, Luong-style: scores
 * {@code q_i · k_j} ({@code dot}, times the trainable scalar {@code scale} with {@code use_scale}) or
 * {@code concat_score_weight * sum(tanh(q_i + k_j))} ({@code concat}; with {@code use_scale}
 * {@code sum(tanh(scale * (q_i + k_j)))}); then the softmax and weighted values of {@link BaseAttention}.
 * Weights: {@code scale []} (if use_scale), {@code concat_score_weight []} (if concat), both starting at 1.
 *
 * <pre>{@code
 * KerasTensor context = new Attention().apply(decoderSeq, encoderSeq);           // [query, value]
 * KerasTensor self = new Attention().useCausalMask(true).apply(h, h);
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Attention extends BaseAttention<Attention> {
    private String scoreMode = "dot";
    private Weight scale, concatScoreWeight;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Attention() { super("attention"); }

    /**
     * Keras's {@code use_scale}: a trainable scalar multiplying the scores.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public Attention useScale(boolean b) { useScale = b; return this; }

    /**
     * Keras's {@code score_mode}: {@code dot} or {@code concat}.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public Attention scoreMode(String mode) {
        if (!mode.equals("dot") && !mode.equals("concat")) {
            throw new IllegalArgumentException("Layer \"" + name() + "\": score_mode must be one of {\"dot\", \"concat\"}, "
                    + "got \"" + mode + "\"");
        }
        scoreMode = mode;
        return this;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public String scoreMode() { return scoreMode; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Attention"; }

    @Override
    protected void createWeights(List<int[]> shapes) {
        if (useScale) scale = addWeight("scale", new int[0], Initializer.ones(), true);
        if (scoreMode.equals("concat")) concatScoreWeight = addWeight("concat_score_weight", new int[0], Initializer.ones(), true);
    }

    @Override
    protected Scores scores(float[] q, float[] k, int batch, int tq, int tv, int dim) {
        float a = scale == null ? 1f : scale.value().data()[0];
        return scoreMode.equals("dot") ? dot(q, k, batch, tq, tv, dim, a) : concat(q, k, batch, tq, tv, dim, a);
    }

    private Scores dot(float[] q, float[] k, int batch, int tq, int tv, int dim, float a) {
        float[] raw = new float[batch * tq * tv];
        for (int b = 0; b < batch; b++) {
            MatMul.gemm(false, true, tq, tv, dim, q, b * tq * dim, dim, k, b * tv * dim, dim, raw, b * tq * tv, tv, false);
        }
        float[] s = raw;
        if (scale != null) {
            s = new float[raw.length];
            for (int i = 0; i < s.length; i++) s[i] = raw[i] * a;
        }
        float[] scores = s;
        return new Scores() {
            /** Thread-safe: reads configuration fixed before sharing. */
            @Override
            public float[] values() { return scores; }

            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public void backward(float[] dS, float[] dq, float[] dk) {
                float[] g = dS;
                if (scale != null) {
                    double ds = 0;
                    for (int i = 0; i < dS.length; i++) ds += (double) dS[i] * raw[i];
                    scale.grad().data()[0] += (float) ds;
                    g = new float[dS.length];
                    for (int i = 0; i < g.length; i++) g[i] = dS[i] * a;
                }
                for (int b = 0; b < batch; b++) {
                    MatMul.gemm(false, false, tq, dim, tv, g, b * tq * tv, tv, k, b * tv * dim, dim, dq, b * tq * dim, dim, true);
                    MatMul.gemm(true, false, tv, dim, tq, g, b * tq * tv, tv, q, b * tq * dim, dim, dk, b * tv * dim, dim, true);
                }
            }
        };
    }

    private Scores concat(float[] q, float[] k, int batch, int tq, int tv, int dim, float a) {
        float c = concatScoreWeight.value().data()[0];
        float[] t = new float[batch * tq * tv * dim];
        float[] sums = new float[batch * tq * tv], s = new float[sums.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tv; j++) {
                    int r = (b * tq + i) * tv + j;
                    float sum = 0;
                    for (int d = 0; d < dim; d++) {
                        float u = q[(b * tq + i) * dim + d] + k[(b * tv + j) * dim + d];
                        float th = (float) Math.tanh(scale == null ? u : a * u);
                        t[r * dim + d] = th;
                        sum += th;
                    }
                    sums[r] = sum;
                    s[r] = c * sum;
                }
            }
        }
        return new Scores() {
            /** Thread-safe: reads configuration fixed before sharing. */
            @Override
            public float[] values() { return s; }

            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public void backward(float[] dS, float[] dq, float[] dk) {
                double dc = 0, da = 0;
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < tq; i++) {
                        for (int j = 0; j < tv; j++) {
                            int r = (b * tq + i) * tv + j;
                            dc += (double) dS[r] * sums[r];
                            float g = dS[r] * c;
                            for (int d = 0; d < dim; d++) {
                                float th = t[r * dim + d];
                                float du = g * (1 - th * th);
                                int qi = (b * tq + i) * dim + d, kj = (b * tv + j) * dim + d;
                                if (scale != null) da += (double) du * (q[qi] + k[kj]);
                                float dx = scale == null ? du : du * a;
                                dq[qi] += dx;
                                dk[kj] += dx;
                            }
                        }
                    }
                }
                concatScoreWeight.grad().data()[0] += (float) dc;
                if (scale != null) scale.grad().data()[0] += (float) da;
            }
        };
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("score_mode", scoreMode);
        c.put("seed", null);
        return c;
    }

    /**
     * The layer of a Keras {@code Attention} config (tf.keras's {@code causal} is the call's use_causal_mask).
     * Thread-safe: builds a new layer from the config.
     */
    public static Attention fromConfig(LayerConfig c) {
        Attention a = new Attention().useScale(c.getBool("use_scale", false)).scoreMode(c.getString("score_mode", "dot"));
        a.dropout(c.getDouble("dropout", 0.0));
        if (c.getBool("causal", false)) a.useCausalMask(true);
        return a;
    }
}
