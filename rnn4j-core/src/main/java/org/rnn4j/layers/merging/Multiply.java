package org.rnn4j.layers.merging;

/**
 * Keras's {@code Multiply}: the elementwise product of its inputs, {@code y = x_1 ⊙ ... ⊙ x_n}.
 *
 * <pre>{@code KerasTensor gated = new Multiply().apply(values, gates); }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public class Multiply extends Merge {
    /** Not thread-safe: configure the new layer on one thread, then share it. */
    public Multiply() { super("multiply"); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "Multiply"; }

    @Override
    protected void merge(float[][] xs, float[] y) {
        System.arraycopy(xs[0], 0, y, 0, y.length);
        for (int i = 1; i < xs.length; i++) for (int j = 0; j < y.length; j++) y[j] *= xs[i][j];
    }

    /** {@code dx_i = dy ⊙ prod_{k != i} x_k}, multiplied out (not divided: inputs may be zero). */
    @Override
    protected void mergeBackward(float[][] xs, float[] y, float[] dy, float[][] dxs) {
        for (int i = 0; i < xs.length; i++) {
            float[] dx = dxs[i];
            System.arraycopy(dy, 0, dx, 0, dy.length);
            for (int k = 0; k < xs.length; k++) {
                if (k == i) continue;
                for (int j = 0; j < dx.length; j++) dx[j] *= xs[k][j];
            }
        }
    }
}
