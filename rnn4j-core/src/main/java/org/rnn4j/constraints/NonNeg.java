package org.rnn4j.constraints;

/**
 * Keras's NonNeg: {@code w * (w >= 0)}.
 *
 * <pre>{@code
 * model.add(new Dense(4).kernelConstraint(new NonNeg()));   // or kernelConstraint("non_neg")
 * }</pre>
 */
public final class NonNeg extends Constraint {
    @Override public String className() { return "NonNeg"; }

    @Override
    public void apply(float[] w, int[] shape) {
        // Multiplying (not assigning 0) keeps Keras's -0.0 for negatives and NaN for NaN.
        for (int i = 0; i < w.length; i++) w[i] *= w[i] >= 0f ? 1f : 0f;
    }
}
