package org.rnn4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Tensor;

/** Keras 3's update rules of Adamax, Adadelta, Nadam, AdamW and Lion, one weight w = 1, by hand. */
class KerasOptimizersTest {
    /** Applies the gradients in turn to one weight starting at 1; returns its values after each step. */
    private static double[] steps(Optimizer opt, float... grads) {
        Weight w = new Weight("w", "w", Tensor.of(new float[] {1f}, 1), true);
        double[] out = new double[grads.length];
        for (int i = 0; i < grads.length; i++) {
            w.grad().data()[0] = grads[i];
            opt.apply(List.of(w));
            out[i] = w.value().data()[0];
        }
        return out;
    }

    @Test
    void adamaxUsesTheInfinityNorm() {
        // Step 1: m = 0.05, u = 0.5: w -= 0.1 * 0.05 / ((1 - 0.9)(0.5 + 1e-7)) = 0.1.
        // Step 2, g = -0.25: m = 0.045 - 0.025 = 0.02, u = max(0.4995, 0.25): w -= 0.1 * 0.02 / (0.19 * 0.4995).
        double[] w = steps(new Adamax(0.1), 0.5f, -0.25f);
        assertEquals(0.9, w[0], 1e-6);
        assertEquals(0.8789263, w[1], 1e-6);
    }

    @Test
    void adadeltaDividesByTheUpdatedAccumulator() {
        // A = 0.1 * 0.25 = 0.025; d = -sqrt(0 + 1e-6) / sqrt(0.025 + 1e-6) * 0.5; D = 0.1 d^2; w += d.
        double[] w = steps(new Adadelta(1.0, 0.9, 1e-6), 0.5f, 0.5f);
        assertEquals(1 - Math.sqrt(1e-6) / Math.sqrt(0.025 + 1e-6) * 0.5, w[0], 1e-6);
        assertEquals(0.9935934, w[1], 1e-6);
        assertEquals(0.95, (double) new Adadelta().getConfig().get("rho"));
    }

    @Test
    void nadamFollowsKeras3MomentumSchedule() {
        // mu_1 = 0.9 (1 - 0.5 * 0.96) = 0.468, mu_2 = 0.9 (1 - 0.5 * 0.9216) = 0.48528;
        // m_hat = mu_2 * 0.05 / (1 - mu_1 mu_2) + (1 - mu_1) * 0.5 / (1 - mu_1) = 0.0313939 + 0.5;
        // v_hat = 0.00025 / 0.001 = 0.25: w -= 0.1 * 0.5313939 / 0.5.
        assertEquals(0.8937212, steps(new Nadam(0.1), 0.5f)[0], 1e-6);
    }

    @Test
    void adamWDecaysBeforeKerasAdamStep() {
        // Decay: 1 - 1 * 0.5 * 0.1 = 0.95; Adam's first step is lr * sign(g) (Keras's epsilon placement): 0.85.
        assertEquals(0.85, steps(new AdamW(0.1, 0.5), 0.5f)[0], 1e-6);
        Map<String, Object> c = new AdamW().getConfig();
        assertEquals(0.004, (double) c.get("weight_decay"));
        assertEquals(1e-7, (double) c.get("epsilon"));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(0.1, 0));
    }

    @Test
    void weightDecayWorksOnAnyOptimizer() {
        // SGD with a zero gradient only decays: 1 - 1 * 0.1 * 0.1.
        assertEquals(0.99, steps(new SGD(0.1).weightDecay(0.1), 0f)[0], 1e-7);
        assertEquals(0.1, (double) new SGD(0.1).weightDecay(0.1).getConfig().get("weight_decay"));
    }

    @Test
    void lionStepsBySignOfInterpolatedMomentum() {
        // Step 1: sign(0.1 * 0.5) = 1: w = 0.9, then m = 0.01 * 0.5 = 0.005.
        // Step 2, g = -0.01: sign(0.9 * 0.005 - 0.001) = +1 (the momentum wins): w = 0.8.
        // Step 3, g = -1: sign(0.9 * 0.00485 - 0.1) = -1: w = 0.9.
        double[] w = steps(new Lion(0.1), 0.5f, -0.01f, -1f);
        assertEquals(0.9, w[0], 1e-6);
        assertEquals(0.8, w[1], 1e-6);
        assertEquals(0.9, w[2], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Lion(0.1, 0, 0.99));
    }

    @Test
    void everyKerasNameGivesKerasDefaults() {
        for (String n : Optimizer.names()) assertEquals(n, Optimizer.get(n).className().toLowerCase(java.util.Locale.ROOT));
        assertEquals(0.001, Optimizer.get("lion").learningRate());
        assertEquals(0.99, (double) Optimizer.get("lion").getConfig().get("beta_2"));
        assertEquals(0.999, (double) Optimizer.get("nadam").getConfig().get("beta_2"));
        assertEquals(1e-7, (double) Optimizer.get("adamax").getConfig().get("epsilon"));
    }
}
