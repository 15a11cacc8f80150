package org.rnn4j.layers.merging;

/**
 * Keras's {@code Add}: the elementwise sum of its inputs, {@code y = x_1 + ... + x_n}.
 *
 * <pre>{@code KerasTensor sum = new Add().apply(a, b); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Add extends Merge {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Add() { super("add"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Add"; }

    @Override
    protected void merge(float[][] xs, float[] y) {
        for (float[] x : xs) for (int j = 0; j < y.length; j++) y[j] += x[j];
    }

    @Override
    protected void mergeBackward(float[][] xs, float[] y, float[] dy, float[][] dxs) {
        for (float[] dx : dxs) System.arraycopy(dy, 0, dx, 0, dy.length);
    }
}
