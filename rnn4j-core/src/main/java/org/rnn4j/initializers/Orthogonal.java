package org.rnn4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras's Orthogonal initializer: a random normal matrix made orthogonal by QR (with the signs of R's diagonal
 * folded in, so the distribution is uniform over orthogonal matrices), times {@code gain}. For a non-square
 * {@code [rows, cols]} the rows or the columns are orthonormal, whichever fits.
 *
 * <pre>{@code
 * model.add(new LSTM(32).recurrentInitializer(new Orthogonal(1.0)));   // Keras's default for recurrent kernels
 * Initializer o = Initializer.get("orthogonal");                       // the same, gain 1
 * }</pre>
 */
public final class Orthogonal extends Initializer {
    private final double gain;

    public Orthogonal(double gain) { this.gain = gain; }

    @Override
    public void fill(float[] v, int[] shape, SplittableRandom r) {
        int cols = shape.length == 0 ? 1 : shape[shape.length - 1];
        int rows = cols == 0 ? 0 : v.length / cols;
        // Work on the tall orientation: q is [tall, wide] with orthonormal columns.
        boolean transpose = rows < cols;
        int tall = Math.max(rows, cols), wide = Math.min(rows, cols);
        double[][] a = new double[wide][tall]; // column-major: a[j] is column j
        for (int j = 0; j < wide; j++) for (int i = 0; i < tall; i++) a[j][i] = Gaussian.next(r);
        // Modified Gram-Schmidt, keeping the sign convention of QR with a positive-diagonal R.
        for (int j = 0; j < wide; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < tall; i++) dot += a[p][i] * a[j][i];
                for (int i = 0; i < tall; i++) a[j][i] -= dot * a[p][i];
            }
            double norm = 0;
            for (int i = 0; i < tall; i++) norm += a[j][i] * a[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < tall; i++) a[j][i] /= norm;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double q = transpose ? a[i][j] : a[j][i];
                v[i * cols + j] = (float) (gain * q);
            }
        }
    }

    @Override
    public String name() { return "orthogonal"; }

    public double gain() { return gain; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("gain", gain);
        c.put("seed", null);
        return c;
    }
}
