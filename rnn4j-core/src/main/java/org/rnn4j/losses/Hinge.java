package org.rnn4j.losses;

/**
 * Keras's {@code hinge} ({@code mean_last_axis(max(1 - y p, 0))}) and, with {@code squared}, {@code squared_hinge}
 * ({@code mean_last_axis(max(1 - y p, 0)^2)}). Labels are -1/+1; when every label of the batch is 0 or 1 they are
 * converted first ({@code y <- 2y - 1}), as Keras does.
 *
 * <pre>{@code
 * Loss l = Loss.get("squared_hinge");   // or new Hinge(true)
 * }</pre>
 */
public class Hinge extends Loss {
    private final boolean squared;

    /** The plain hinge loss. */
    public Hinge() { this(false); }

    /** @param squared {@code true} for {@code squared_hinge} */
    public Hinge(boolean squared) { this.squared = squared; }

    @Override public String name() { return squared ? "squared_hinge" : "hinge"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        boolean binary = true;
        for (int i = 0; i < rows * cols && binary; i++) binary = y[i] == 0f || y[i] == 1f;
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                double label = binary ? 2.0 * y[i] - 1 : y[i];
                double m = Math.max(1 - label * p[i], 0);
                s += squared ? m * m : m;
                if (grad != null) grad[i] = m > 0 ? (float) ((squared ? -2 * m * label : -label) / cols) : 0f;
            }
            loss[r] = s / cols;
        }
    }
}
