package org.rnn4j.layers.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/** The 1-D pooling layers: hand-checked windows, Keras's edge rules, masks, and finite differences. */
class PoolingTest {
    private static final Tensor X = Tensor.of(new float[] {1, 5, 2, 4, 3}, 1, 5, 1);

    @Test
    void maxPoolingValidAndSame() {
        assertArrayEquals(new float[] {5, 4}, new MaxPooling1D(2).call(X, null, false).output().data());
        // same, pool 3, stride 2: windows [-1..1], [1..3], [3..5]: padded steps never win.
        assertArrayEquals(new float[] {5, 5, 4}, new MaxPooling1D(3, 2).padding("same").call(X, null, false).output().data());
    }

    @Test
    void averagePoolingDividesBySteps() {
        assertArrayEquals(new float[] {3, 3}, new AveragePooling1D(2).call(X, null, false).output().data());
        // same, pool 3, stride 1: the edge windows hold 2 real steps and divide by 2 (TensorFlow's avg_pool).
        assertArrayEquals(new float[] {3, 8 / 3f, 11 / 3f, 3, 3.5f},
                new AveragePooling1D(3, 1).padding("same").call(X, null, false).output().data(), 1e-6f);
    }

    @Test
    void globalPoolingWithMaskAndKeepdims() {
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0, 0}, 1, 5);
        assertArrayEquals(new float[] {3}, new GlobalAveragePooling1D().call(X, mask, false).output().data());
        assertArrayEquals(new float[] {3}, new GlobalAveragePooling1D().call(X, null, false).output().data());
        Tensor kept = new GlobalAveragePooling1D().keepdims(true).call(X, null, false).output();
        assertArrayEquals(new int[] {1, 1, 1}, kept.shape());
        assertArrayEquals(new float[] {5}, new GlobalMaxPooling1D().call(X, null, false).output().data());
        assertArrayEquals(new int[] {-1, 1, 3}, new GlobalMaxPooling1D().keepdims(true).outputShape(new int[] {-1, 9, 3}));
    }

    @Test
    void aWindowLongerThanTheInputIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPooling1D(4).build(new int[] {-1, 3, 2}));
        assertTrue(e.getMessage().contains("3 steps is shorter than pool_size=4"), e.getMessage());
    }

    static Stream<String> options() {
        return Stream.of("max_valid", "max_same_stride2", "max_stride1", "avg_valid", "avg_same_stride1", "avg_same_stride2",
                "global_avg", "global_avg_masked", "global_avg_keepdims", "global_max", "global_max_keepdims");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void gradientsMatchFiniteDifferences(String option) {
        Layer layer;
        Tensor mask = null;
        switch (option) {
            case "max_valid": layer = new MaxPooling1D(2); break;
            case "max_same_stride2": layer = new MaxPooling1D(3, 2).padding("same"); break;
            case "max_stride1": layer = new MaxPooling1D(2, 1); break;
            case "avg_valid": layer = new AveragePooling1D(2); break;
            case "avg_same_stride1": layer = new AveragePooling1D(3, 1).padding("same"); break;
            case "avg_same_stride2": layer = new AveragePooling1D(2, 2).padding("same"); break;
            case "global_avg": layer = new GlobalAveragePooling1D(); break;
            case "global_avg_masked":
                layer = new GlobalAveragePooling1D();
                mask = Tensor.of(new float[] {1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, 2, 7);
                break;
            case "global_avg_keepdims": layer = new GlobalAveragePooling1D().keepdims(true); break;
            case "global_max": layer = new GlobalMaxPooling1D(); break;
            default: layer = new GlobalMaxPooling1D().keepdims(true); break;
        }
        // Values spaced well apart (no near-ties inside a max window for eps = 1e-2).
        Tensor x = GradientCheck.random(21, 2, 7, 3);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((i * 37 % 41) * 0.1 - 2);
        LayerGradientCheck.assertGradients(layer, new Tensor[] {x}, mask, false, null);
    }
}
