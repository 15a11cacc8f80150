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
                Arguments.of("sparse_logits", new SparseCategoricalCrossentropy(true), false),
                Arguments.of("msle", new MeanSquaredLogarithmicError(), true),
                Arguments.of("log_cosh", new LogCosh(), false),
                Arguments.of("kld", new KLDivergence(), true),
                Arguments.of("poisson", new Poisson(), true),
                Arguments.of("cosine", new CosineSimilarity(), false),
                Arguments.of("hinge", new Hinge(false), false),
                Arguments.of("hinge_binary", new Hinge(false), false),
                Arguments.of("squared_hinge", new Hinge(true), false),
                Arguments.of("squared_hinge_binary", new Hinge(true), false),
                Arguments.of("categorical_hinge", new CategoricalHinge(), false));
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
            y[i] = sparse ? r.nextInt(cols) : name.startsWith("bce") || name.endsWith("binary") ? r.nextInt(2)
                    : name.endsWith("hinge") ? (r.nextBoolean() ? 1f : -1f)
                    : name.startsWith("cce") || name.equals("categorical_hinge") || name.equals("kld") ? 0f
                    : probabilities ? (float) (0.1 + 0.8 * r.nextDouble()) : (float) (2 * r.nextDouble() - 1);
        }
        if (name.startsWith("cce") || name.equals("categorical_hinge") || name.equals("kld")) for (int row = 0; row < rows; row++) y[row * cols + r.nextInt(cols)] = 1f;
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

    /** The README's definitions on numbers a person can check. */
    @Test
    void newKerasLossesOnSmallCases() {
        Tensor y = Tensor.of(new float[] {0f, 1f}, 1, 2), p = Tensor.of(new float[] {1f, 1f}, 1, 2);
        // msle: ((log 2 - log 1)^2 + 0) / 2
        assertEquals((float) (Math.log(2) * Math.log(2) / 2), Loss.get("msle").compute(y, p, null, null), 1e-7f);
        // log_cosh: (log cosh 1 + log cosh 0) / 2
        assertEquals((float) (Math.log(Math.cosh(1)) / 2), Loss.get("log_cosh").compute(y, p, null, null), 1e-7f);
        // poisson: ((1 - 0) + (1 - 1 * log(1 + 1e-7))) / 2
        assertEquals(1f, Loss.get("poisson").compute(y, p, null, null), 1e-6f);
        // kld: eps log(eps / 1) + 1 log(1 / 1)
        assertEquals((float) (1e-7 * Math.log(1e-7)), Loss.get("kld").compute(y, p, null, null), 1e-10f);
        // cosine_similarity: -(0, 1) . (1, 1)/sqrt 2
        assertEquals((float) (-1 / Math.sqrt(2)), Loss.get("cosine_similarity").compute(y, p, null, null), 1e-7f);
        // hinge with 0/1 labels -> (-1, 1): (max(1 + 1, 0) + max(1 - 1, 0)) / 2 = 1; squared: (4 + 0) / 2
        assertEquals(1f, Loss.get("hinge").compute(y, p, null, null), 0f);
        assertEquals(2f, Loss.get("squared_hinge").compute(y, p, null, null), 0f);
        // -1/+1 labels are used as given: (max(1 - 1*1, 0) + max(1 - (-1)*(-0.5), 0)) / 2 = 0.25
        Tensor signs = Tensor.of(new float[] {1f, -1f}, 1, 2), q = Tensor.of(new float[] {1f, -0.5f}, 1, 2);
        assertEquals(0.25f, Loss.get("hinge").compute(signs, q, null, null), 0f);
        // categorical_hinge: max(1 + max((1 - y) p) - sum(y p), 0) = max(1 + 1 - 1, 0)
        assertEquals(1f, Loss.get("categorical_hinge").compute(y, p, null, null), 0f);
        Tensor good = Tensor.of(new float[] {0.1f, 2f}, 1, 2);
        assertEquals(0f, Loss.get("categorical_hinge").compute(y, good, null, null), 0f); // 1 + 0.1 - 2 < 0
    }

    @Test
    void kerasAliasesAndClassNamesResolve() {
        assertEquals("mean_squared_logarithmic_error", Loss.get("MeanSquaredLogarithmicError").name());
        assertEquals("kl_divergence", Loss.get("kullback_leibler_divergence").name());
        assertEquals("kl_divergence", Loss.get("KLDivergence").name());
        assertEquals("kl_divergence", Loss.get("k_l_divergence").name()); // TensorFlow.js camelCase, snake_cased
        assertEquals("log_cosh", Loss.get("logcosh").name());
        assertEquals("squared_hinge", Loss.get("SquaredHinge").name());
        assertEquals("categorical_hinge", Loss.get("categoricalHinge").name());
        for (String n : Loss.names()) assertEquals(Loss.get(n).name(), Loss.get(Loss.get(n).name()).name(), n);
    }

    @Test
    void mismatchedTargetsNameTheLossAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.get("mse").compute(Tensor.zeros(4, 2), Tensor.zeros(4, 3), null, null));
        assertTrue(e.getMessage().contains("mean_squared_error") && e.getMessage().contains("(4, 2)")
                && e.getMessage().contains("(4, 3)"), e.getMessage());
    }
}
