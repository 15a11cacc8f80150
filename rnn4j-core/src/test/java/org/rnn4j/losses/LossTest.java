package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.tensor.Tensor;

class LossTest {
    @Test
    void smallCasesAPersonCanCheck() {
        Tensor y = Tensor.of(new float[] {0f, 0f}, 1, 2), p = Tensor.of(new float[] {1f, 2f}, 1, 2);
        assertEquals(2.5f, Loss.get("mse").compute(y, p, null, null), 0f);   // (1 + 4) / 2
        assertEquals(1.5f, Loss.get("mae").compute(y, p, null, null), 0f);   // (1 + 2) / 2
        assertEquals(1.0f, Loss.get("huber").compute(y, p, null, null), 0f);  // (0.5 + (0.5 + 1)) / 2, delta 1
        Tensor label = Tensor.of(new float[] {1f}, 1, 1), half = Tensor.of(new float[] {0.5f}, 1, 1);
        assertEquals((float) Math.log(2), Loss.get("binary_crossentropy").compute(label, half, null, null), 1e-6f);
        Tensor onehot = Tensor.of(new float[] {0f, 1f}, 1, 2), probs = Tensor.of(new float[] {0.75f, 0.25f}, 1, 2);
        assertEquals((float) -Math.log(0.25), Loss.get("categorical_crossentropy").compute(onehot, probs, null, null), 1e-6f);
        Tensor cls = Tensor.of(new float[] {1f}, 1, 1);
        assertEquals((float) -Math.log(0.25), Loss.get("sparse_categorical_crossentropy").compute(cls, probs, null, null), 1e-6f);
    }

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("mse", new MeanSquaredError(), false),
                Arguments.of("mae", new MeanAbsoluteError(), false),
                Arguments.of("mape", new MeanAbsolutePercentageError(), false),
                Arguments.of("huber", new Huber(0.5f), false),
                Arguments.of("bce", new BinaryCrossentropy(false), true),
                Arguments.of("bce_logits", new BinaryCrossentropy(true), false),
                Arguments.of("cce", new CategoricalCrossentropy(false), true),
                Arguments.of("cce_logits", new CategoricalCrossentropy(true), false),
                Arguments.of("sparse", new SparseCategoricalCrossentropy(false), true),
                Arguments.of("sparse_logits", new SparseCategoricalCrossentropy(true), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientMatchesFiniteDifferences(String name, Loss loss, boolean probabilities) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int rows = 4, cols = 3;
        float[] p = new float[rows * cols];
        for (int i = 0; i < p.length; i++) p[i] = probabilities ? (float) (0.1 + 0.8 * r.nextDouble()) : (float) (2 * r.nextDouble() - 1);
        boolean sparse = loss instanceof SparseCategoricalCrossentropy;
        float[] y = new float[sparse ? rows : rows * cols];
        for (int i = 0; i < y.length; i++) {
            y[i] = sparse ? r.nextInt(cols) : name.startsWith("bce") ? r.nextInt(2)
                    : name.startsWith("cce") ? 0f : (float) (2 * r.nextDouble() - 1);
        }
        if (name.startsWith("cce")) for (int row = 0; row < rows; row++) y[row * cols + r.nextInt(cols)] = 1f;
        Tensor yt = Tensor.of(y, sparse ? new int[] {rows, 1} : new int[] {rows, cols});
        float[] weights = {1f, 0.5f, 2f, 0f};
        float[] grad = new float[p.length];
        loss.compute(yt, Tensor.of(p, rows, cols), weights, grad);
        for (int i = 0; i < p.length; i++) {
            double h = 1e-3;
            float[] up = p.clone(), down = p.clone();
            up[i] += h;
            down[i] -= h;
            double numeric = (loss.compute(yt, Tensor.of(up, rows, cols), weights, null)
                    - loss.compute(yt, Tensor.of(down, rows, cols), weights, null)) / (2 * h);
            assertEquals(numeric, grad[i], 2e-3 * Math.max(1, Math.abs(numeric)), name + " d/dp" + i);
        }
    }

    @Test
    void mismatchedTargetsNameTheLossAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.get("mse").compute(Tensor.zeros(4, 2), Tensor.zeros(4, 3), null, null));
        assertTrue(e.getMessage().contains("mean_squared_error") && e.getMessage().contains("(4, 2)")
                && e.getMessage().contains("(4, 3)"), e.getMessage());
    }
}
