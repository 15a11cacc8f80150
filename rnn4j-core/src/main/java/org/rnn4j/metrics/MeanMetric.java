package org.rnn4j.metrics;

import org.rnn4j.losses.Loss;
import org.rnn4j.tensor.Tensor;

/**
 * A metric that is the (weighted) mean of a per-row value: accuracies and loss-like metrics.
 *
 * <pre>{@code
 * // the share of rows whose one prediction is within 1 of the target
 * MeanMetric within1 = new MeanMetric("within_1", (yTrue, yPred, out) -> {
 *     for (int r = 0; r < out.length; r++) out[r] = Math.abs(yTrue.data()[r] - yPred.data()[r]) <= 1 ? 1 : 0;
 * }, "up");
 * within1.update(yTrue, yPred);
 * double share = within1.result();
 * }</pre>
 */
public final class MeanMetric extends Metric {
    /** Per-row values of a batch: one value per row (all axes but the last). */
    public interface RowFunction {
        void rows(Tensor yTrue, Tensor yPred, double[] out);
    }

    private final RowFunction fn;
    private final String direction;
    private double total, count;

    public MeanMetric(String name, RowFunction fn) { this(name, fn, null); }

    /** @param direction {@code "up"}, {@code "down"} or null, see {@link Metric#direction()} */
    public MeanMetric(String name, RowFunction fn, String direction) {
        super(name);
        this.fn = fn;
        this.direction = direction;
    }

    @Override public String direction() { return direction; }

    @Override public void reset() { total = 0; count = 0; }

    @Override
    public double update(Tensor yTrue, Tensor yPred, float[] sampleWeight) {
        int cols = yPred.shape(-1);
        int rows = yPred.size() / cols;
        double[] v = new double[rows];
        fn.rows(yTrue, yPred, v);
        double s = 0, c = 0;
        for (int r = 0; r < rows; r++) {
            double w = sampleWeight == null ? 1.0 : sampleWeight[r];
            s += v[r] * w;
            c += w;
        }
        total += s;
        count += c;
        return c == 0 ? 0 : s / c;
    }

    @Override public double result() { return count == 0 ? 0 : total / count; }

    @Override public Metric copy() { return new MeanMetric(name(), fn, direction); }

    /** {@code mean_last_axis(y == (p > 0.5))}. */
    static MeanMetric binaryAccuracy(String name) {
        return new MeanMetric(name, (t, p, out) -> {
            int cols = p.shape(-1);
            float[] y = t.data(), q = p.data();
            for (int r = 0; r < out.length; r++) {
                int hit = 0;
                for (int j = 0; j < cols; j++) {
                    int i = r * cols + j;
                    if (y[i] == (q[i] > 0.5f ? 1f : 0f)) hit++;
                }
                out[r] = (double) hit / cols;
            }
        }, "up");
    }

    /** {@code argmax y == argmax p}. */
    static MeanMetric categoricalAccuracy(String name) {
        return new MeanMetric(name, (t, p, out) -> {
            int cols = p.shape(-1);
            for (int r = 0; r < out.length; r++) {
                out[r] = argmax(t.data(), r * cols, cols) == argmax(p.data(), r * cols, cols) ? 1 : 0;
            }
        }, "up");
    }

    /** {@code y == argmax p} with class-index targets. */
    static MeanMetric sparseCategoricalAccuracy(String name) {
        return new MeanMetric(name, (t, p, out) -> {
            int cols = p.shape(-1);
            for (int r = 0; r < out.length; r++) {
                out[r] = Math.round(t.data()[r]) == argmax(p.data(), r * cols, cols) ? 1 : 0;
            }
        }, "up");
    }

    /**
     * {@code y_true's argmax among the k largest predictions}, as TensorFlow's {@code in_top_k}: ties at the k-th value
     * count as in, non-finite predictions as out. {@code sparse}: the target is the class index.
     */
    static MeanMetric topKCategoricalAccuracy(String name, int k, boolean sparse) {
        return new MeanMetric(name, (t, p, out) -> {
            int cols = p.shape(-1);
            float[] q = p.data();
            for (int r = 0; r < out.length; r++) {
                int target = sparse ? Math.round(t.data()[r]) : argmax(t.data(), r * cols, cols);
                if (target < 0 || target >= cols) { out[r] = 0; continue; }
                float v = q[r * cols + target];
                if (!Float.isFinite(v)) { out[r] = 0; continue; }
                int above = 0;
                for (int j = 0; j < cols; j++) if (q[r * cols + j] > v) above++;
                out[r] = above < k ? 1 : 0;
            }
        }, "up");
    }

    /** A loss used as a metric (mae, mse, mape). */
    static MeanMetric ofLoss(String name, String lossName) {
        Loss loss = Loss.get(lossName);
        return new MeanMetric(name, (t, p, out) -> System.arraycopy(loss.perRow(t, p), 0, out, 0, out.length), "down");
    }

    /** Keras's {@code cosine_similarity} metric: {@code sum_last_axis(n(y) n(p))}, the loss's opposite ("up" is better). */
    static MeanMetric cosineSimilarity(String name) {
        Loss loss = Loss.get("cosine_similarity");
        return new MeanMetric(name, (t, p, out) -> {
            double[] v = loss.perRow(t, p);
            for (int r = 0; r < out.length; r++) out[r] = -v[r];
        }, "up");
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) if (a[off + j] > a[off + best]) best = j;
        return best;
    }
}
