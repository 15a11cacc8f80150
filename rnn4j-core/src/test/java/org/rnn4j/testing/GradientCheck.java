package org.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Finite-difference check of a compiled model's weight gradients: central differences of the loss, evaluated in
 * float32 by the model itself and differenced in double, against {@link Model#computeGradients}.
 *
 * <p>The step is 1e-2 on weights scaled around 0.5, where the float32 rounding of the loss (about 1e-7 relative)
 * stays far below the truncation error; the tolerance is relative to the largest gradient of the weight.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** Asserts every trainable weight's analytic gradient matches central differences. */
    public static void assertGradients(Model model, Tensor[] x, Tensor[] y) {
        assertGradients(model, x, y, 1e-2, 2e-2);
    }

    public static void assertGradients(Model model, Tensor[] x, Tensor[] y, double eps, double tol) {
        assertGradients(model, x, y, eps, tol, false);
    }

    /**
     * With {@code training} true the forward passes run in training mode: the same numbers for models without
     * dropout, and what a shared recurrent layer needs (its inference call does not keep its buffers for backward).
     */
    public static void assertGradients(Model model, Tensor[] x, Tensor[] y, double eps, double tol, boolean training) {
        model.computeGradients(x, y, training);
        List<Weight> weights = model.trainableWeights();
        assertTrue(!weights.isEmpty(), "model has no trainable weights");
        // Snapshot every analytic gradient first: the differencing below leaves the gradients of a perturbed point.
        java.util.Map<Weight, float[]> analyticAll = new java.util.IdentityHashMap<>();
        for (Weight w : weights) analyticAll.put(w, w.grad().data().clone());
        for (Weight w : weights) {
            float[] analytic = analyticAll.get(w);
            float[] v = w.value().data();
            double scale = 1e-3;
            for (float a : analytic) scale = Math.max(scale, Math.abs(a));
            for (int i = 0; i < v.length; i++) {
                float orig = v[i];
                v[i] = (float) (orig + eps);
                double up = model.computeGradients(x, y, training);
                v[i] = (float) (orig - eps);
                double down = model.computeGradients(x, y, training);
                v[i] = orig;
                double numeric = (up - down) / (2 * eps);
                double err = Math.abs(numeric - analytic[i]);
                if (err > tol * scale) {
                    throw new AssertionError("gradient of " + w.path() + "[" + i + "] differs from finite differences: analytic "
                            + analytic[i] + ", numeric " + numeric + " (error " + err + ", allowed " + tol * scale + ")");
                }
            }
        }
        model.computeGradients(x, y, training);
    }

    /** A tensor of the shape with values drawn uniformly from [-1, 1) by a fixed-seed generator. */
    public static Tensor random(long seed, int... shape) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (2 * r.nextDouble() - 1);
        return t;
    }
}
