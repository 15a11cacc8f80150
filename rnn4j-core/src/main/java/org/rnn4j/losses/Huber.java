package org.rnn4j.losses;

/**
 * Keras's Huber: {@code e = |p - y|, q = min(e, delta)}, {@code mean_last_axis(0.5 q^2 + delta (e - q))}.
 *
 * <pre>{@code
 * model.compile(new Huber(1.0f), new Adam(1e-3));   // or compile("huber", "adam")
 * }</pre>
 */
public final class Huber extends Loss {
    private final float delta;

    public Huber(float delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("Huber delta must be positive, got " + delta);
        this.delta = delta;
    }

    public float delta() { return delta; }

    @Override public String name() { return "huber"; }

    @Override
    protected void rows(float[] y, int tc, float[] p, int cols, int rows, double[] loss, float[] grad) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                float d = p[i] - y[i];
                float e = Math.abs(d);
                float q = Math.min(e, delta);
                s += 0.5 * q * q + delta * (e - q);
                if (grad != null) grad[i] = (e <= delta ? d : delta * Math.signum(d)) / cols;
            }
            loss[r] = s / cols;
        }
    }
}
