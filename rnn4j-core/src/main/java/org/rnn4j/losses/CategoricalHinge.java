package org.rnn4j.losses;

/**
 * Keras's {@code categorical_hinge} on one-hot targets: {@code max(1 + max_last_axis((1 - y) p) - sum_last_axis(y p), 0)}.
 * When several entries tie for the maximum the gradient is shared equally among them (TensorFlow's {@code reduce_max}).
 *
 * <pre>{@code
 * Loss l = Loss.get("categorical_hinge");   // or new CategoricalHinge()
 * }</pre>
 */
public final class CategoricalHinge extends Loss {
    @Override public String name() { return "categorical_hinge"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double pos = 0, neg = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                pos += (double) y[o + j] * p[o + j];
                neg = Math.max(neg, (1.0 - y[o + j]) * p[o + j]);
            }
            double m = neg - pos + 1;
            loss[r] = Math.max(m, 0);
            if (grad == null) continue;
            int ties = 0;
            for (int j = 0; j < cols; j++) if ((1.0 - y[o + j]) * p[o + j] == neg) ties++;
            for (int j = 0; j < cols; j++) {
                if (!(m > 0)) {
                    grad[o + j] = 0f;
                    continue;
                }
                double g = -y[o + j];
                if ((1.0 - y[o + j]) * p[o + j] == neg) g += (1.0 - y[o + j]) / ties;
                grad[o + j] = (float) g;
            }
        }
    }
}
