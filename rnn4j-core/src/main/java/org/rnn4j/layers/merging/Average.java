package org.rnn4j.layers.merging;

/**
 * Keras's {@code Average}: the elementwise mean of its inputs, {@code y = (x_1 + ... + x_n) / n}.
 *
 * <pre>{@code KerasTensor mean = new Average().apply(a, b, c); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Average extends Merge {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Average() { super("average"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Average"; }

    @Override
    protected void merge(float[][] xs, float[] y) {
        for (float[] x : xs) for (int j = 0; j < y.length; j++) y[j] += x[j];
        for (int j = 0; j < y.length; j++) y[j] /= xs.length;
    }

    @Override
    protected void mergeBackward(float[][] xs, float[] y, float[] dy, float[][] dxs) {
        for (float[] dx : dxs) for (int j = 0; j < dy.length; j++) dx[j] = dy[j] / xs.length;
    }
}
