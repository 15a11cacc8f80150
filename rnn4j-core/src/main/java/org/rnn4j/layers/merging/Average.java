package org.rnn4j.layers.merging;

/**
 * Keras's {@code Average}: the elementwise mean of its inputs, {@code y = (x_1 + ... + x_n) / n}.
 *
 * <pre>{@code KerasTensor mean = new Average().apply(a, b, c); }</pre>
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
