package org.rnn4j.layers.merging;

/**
 * Keras's {@code Subtract}: exactly two inputs, {@code y = x_0 - x_1}.
 *
 * <pre>{@code KerasTensor diff = new Subtract().apply(a, b); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Subtract extends Merge {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Subtract() { super("subtract"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Subtract"; }

    @Override
    protected int minInputs() { return 2; }

    @Override
    protected int maxInputs() { return 2; }

    @Override
    protected void merge(float[][] xs, float[] y) {
        for (int j = 0; j < y.length; j++) y[j] = xs[0][j] - xs[1][j];
    }

    @Override
    protected void mergeBackward(float[][] xs, float[] y, float[] dy, float[][] dxs) {
        for (int j = 0; j < dy.length; j++) {
            dxs[0][j] = dy[j];
            dxs[1][j] = -dy[j];
        }
    }
}
