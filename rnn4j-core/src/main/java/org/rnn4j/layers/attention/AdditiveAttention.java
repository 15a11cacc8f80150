package org.rnn4j.layers.attention;

import java.util.List;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.io.LayerConfig;
import org.rnn4j.layers.Weight;

/**
 * Keras's {@code AdditiveAttention(use_scale=True, dropout=0)}, Bahdanau-style: scores
 * {@code sum_d scale_d * tanh(q_id + k_jd)} ({@code sum(tanh(q_i + k_j))} without {@code use_scale}), then the
 * softmax and weighted values of {@link BaseAttention}. Weight: {@code scale [dim]} (glorot_uniform) if use_scale.
 *
 * <pre>{@code KerasTensor context = new AdditiveAttention().apply(decoderSeq, encoderSeq); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class AdditiveAttention extends BaseAttention<AdditiveAttention> {
    private Weight scale;

    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public AdditiveAttention() {
        super("additive_attention");
        useScale = true;
    }

    /**
     * Keras's {@code use_scale} (default true): a trainable weight per feature on the tanh terms.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    public AdditiveAttention useScale(boolean b) { useScale = b; return this; }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "AdditiveAttention"; }

    @Override
    protected void createWeights(List<int[]> shapes) {
        if (useScale) {
            int dim = shapes.get(0)[2];
            scale = addWeight("scale", new int[] {dim}, Initializer.get("glorot_uniform"), true);
        }
    }

    @Override
    protected Scores scores(float[] q, float[] k, int batch, int tq, int tv, int dim) {
        float[] w = scale == null ? null : scale.value().data().clone();
        float[] t = new float[batch * tq * tv * dim];
        float[] s = new float[batch * tq * tv];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tv; j++) {
                    int r = (b * tq + i) * tv + j;
                    float sum = 0;
                    for (int d = 0; d < dim; d++) {
                        float th = (float) Math.tanh(q[(b * tq + i) * dim + d] + k[(b * tv + j) * dim + d]);
                        t[r * dim + d] = th;
                        sum += w == null ? th : w[d] * th;
                    }
                    s[r] = sum;
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
                double[] dw = new double[dim];
                for (int b = 0; b < batch; b++) {
                    for (int i = 0; i < tq; i++) {
                        for (int j = 0; j < tv; j++) {
                            int r = (b * tq + i) * tv + j;
                            for (int d = 0; d < dim; d++) {
                                float th = t[r * dim + d];
                                dw[d] += (double) dS[r] * th;
                                float du = dS[r] * (w == null ? 1f : w[d]) * (1 - th * th);
                                dq[(b * tq + i) * dim + d] += du;
                                dk[(b * tv + j) * dim + d] += du;
                            }
                        }
                    }
                }
                if (scale != null) {
                    float[] g = scale.grad().data();
                    for (int d = 0; d < dim; d++) g[d] += (float) dw[d];
                }
            }
        };
    }

    /** The layer of a Keras {@code AdditiveAttention} config. Thread-safe: builds a new layer from the config. */
    public static AdditiveAttention fromConfig(LayerConfig c) {
        AdditiveAttention a = new AdditiveAttention().useScale(c.getBool("use_scale", true));
        a.dropout(c.getDouble("dropout", 0.0));
        if (c.getBool("causal", false)) a.useCausalMask(true);
        return a;
    }
}
