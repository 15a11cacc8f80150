package org.rnn4j.testing;

import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Tensor;

/**
 * Finite-difference check of one layer call, for options a Sequential model cannot express (several inputs or
 * outputs: initial states, {@code return_state}, Bidirectional's two outputs) and for input gradients.
 *
 * <p>The scalar checked is {@code L = sum_o sum(c_o * output_o)} with fixed random coefficients {@code c_o}; its
 * analytic gradient is the layer's backward given {@code c_o}. Every weight and every differentiable input is
 * perturbed by {@code ±eps} and {@code L} re-evaluated in float32, differenced in double. {@code beforeEachCall}
 * runs before every forward (reset and prime a stateful layer, re-seed dropout), so each evaluation sees the same
 * state and masks.
 */
public final class LayerGradientCheck {
    private LayerGradientCheck() {}

    /** Checks the weights and all inputs. */
    public static void assertGradients(Layer layer, Tensor[] inputs, Tensor mask, boolean training, Runnable beforeEachCall) {
        assertGradients(layer, inputs, mask, training, beforeEachCall, inputs.length, 1e-2, 2e-2);
    }

    /**
     * @param differentiableInputs how many leading inputs to check (the rest, e.g. integer ids, are skipped)
     */
    public static void assertGradients(Layer layer, Tensor[] inputs, Tensor mask, boolean training, Runnable beforeEachCall,
                                       int differentiableInputs, double eps, double tol) {
        Runnable before = beforeEachCall == null ? () -> {} : beforeEachCall;
        // A first call builds the layer, so weight initialization does not shift the generator between evaluations.
        before.run();
        layer.call(inputs, mask, training);
        before.run();
        Pass pass = layer.call(inputs, mask, training);
        Tensor[] coeffs = new Tensor[pass.outputs.length];
        SplittableRandom r = new SplittableRandom(99);
        for (int o = 0; o < coeffs.length; o++) {
            float[] c = new float[pass.outputs[o].size()];
            for (int i = 0; i < c.length; i++) c[i] = (float) (2 * r.nextDouble() - 1);
            coeffs[o] = Tensor.of(c, pass.outputs[o].shape());
        }
        List<Weight> weights = layer.trainableWeights();
        for (Weight w : weights) w.zeroGrad();
        Tensor[] dIn = pass.backward(coeffs);
        for (Weight w : weights) {
            check(w.path(), w.value().data(), w.grad().data().clone(), layer, inputs, mask, training, before, coeffs, eps, tol);
        }
        for (int i = 0; i < differentiableInputs; i++) {
            float[] analytic = dIn[i] == null ? new float[inputs[i].size()] : dIn[i].data().clone();
            check("input " + i, inputs[i].data(), analytic, layer, inputs, mask, training, before, coeffs, eps, tol);
        }
    }

    private static void check(String what, float[] v, float[] analytic, Layer layer, Tensor[] inputs, Tensor mask,
                              boolean training, Runnable before, Tensor[] coeffs, double eps, double tol) {
        double scale = 1e-3;
        for (float a : analytic) scale = Math.max(scale, Math.abs(a));
        for (int i = 0; i < v.length; i++) {
            float orig = v[i];
            v[i] = (float) (orig + eps);
            double up = value(layer, inputs, mask, training, before, coeffs);
            v[i] = (float) (orig - eps);
            double down = value(layer, inputs, mask, training, before, coeffs);
            v[i] = orig;
            double numeric = (up - down) / (2 * eps);
            double err = Math.abs(numeric - analytic[i]);
            if (err > tol * scale) {
                throw new AssertionError("gradient of " + layer.name() + " " + what + "[" + i + "] differs from finite "
                        + "differences: analytic " + analytic[i] + ", numeric " + numeric + " (error " + err + ", allowed "
                        + tol * scale + ")");
            }
        }
    }

    private static double value(Layer layer, Tensor[] inputs, Tensor mask, boolean training, Runnable before, Tensor[] coeffs) {
        before.run();
        Pass p = layer.call(inputs, mask, training);
        double s = 0;
        for (int o = 0; o < coeffs.length; o++) {
            float[] y = p.outputs[o].data(), c = coeffs[o].data();
            for (int i = 0; i < y.length; i++) s += (double) c[i] * y[i];
        }
        return s;
    }

    /** A runnable that re-seeds the global generator, so dropout draws the same masks on every call. */
    public static Runnable reseed(long seed) {
        return () -> Rnn4j.setRandomSeed(seed);
    }
}
