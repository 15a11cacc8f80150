package org.rnn4j.losses;

/**
 * Categorical cross-entropy with integer class targets ({@code [n, 1]} or {@code [n]}): the prediction is clipped to
 * {@code [eps, 1 - eps]} first, then treated as categorical with a one-hot target.
 *
 * <pre>{@code
 * model.add(new Dense(10));                                                    // logits
 * model.compile(new SparseCategoricalCrossentropy(true), new Adam(1e-3), "accuracy");   // targets: class indices [n, 1]
 * }</pre>
 */
public final class SparseCategoricalCrossentropy extends CategoricalCrossentropy {
    public SparseCategoricalCrossentropy(boolean fromLogits) { super(fromLogits); }

    @Override public String name() { return "sparse_categorical_crossentropy"; }

    @Override protected int trueCols(int predCols) { return 1; }

    @Override protected boolean clipBeforeNormalising() { return true; }

    @Override
    protected void target(float[] y, int tc, int r, int cols, float[] out) {
        java.util.Arrays.fill(out, 0f);
        int cls = Math.round(y[r]);
        if (cls < 0 || cls >= cols || cls != y[r]) {
            throw new IllegalArgumentException("Loss \"sparse_categorical_crossentropy\": target of row " + r + " is " + y[r]
                    + ", expected a class index in [0, " + (cols - 1) + "]");
        }
        out[cls] = 1f;
    }
}
