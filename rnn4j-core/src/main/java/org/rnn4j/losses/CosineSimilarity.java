package org.rnn4j.losses;

/**
 * Keras's {@code cosine_similarity} loss: {@code -sum_last_axis(n(y) n(p))} with {@code n(v) = v / max(|v|, eps)}:
 * -1 when prediction and target point the same way, 1 when opposite, 0 when orthogonal (or either is zero).
 *
 * <pre>{@code
 * Loss l = Loss.get("cosine_similarity");   // or new CosineSimilarity()
 * }</pre>
 */
public final class CosineSimilarity extends Loss {
    @Override public String name() { return "cosine_similarity"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double ny = Math.max(norm(y, o, cols), EPSILON), np = norm(p, o, cols), dp = Math.max(np, EPSILON);
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += (y[o + j] / ny) * (p[o + j] / dp);
            loss[r] = -dot;
            if (grad == null) continue;
            // L = -yn . p / dp; with dp = |p| (above the floor) dL/dp = -(yn - (yn . pn) pn) / |p|, else -yn / eps.
            boolean floored = np <= EPSILON;
            for (int j = 0; j < cols; j++) {
                double yn = y[o + j] / ny, pn = p[o + j] / dp;
                grad[o + j] = (float) (floored ? -yn / dp : -(yn - dot * pn) / dp);
            }
        }
    }

    /** The Euclidean norm of {@code v[o .. o+n)}. */
    static double norm(float[] v, int o, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) s += (double) v[o + j] * v[o + j];
        return Math.sqrt(s);
    }
}
