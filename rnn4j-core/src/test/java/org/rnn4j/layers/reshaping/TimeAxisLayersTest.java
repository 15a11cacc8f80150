package org.rnn4j.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/** ZeroPadding1D, Cropping1D and UpSampling1D: values, shapes, errors and gradients. */
class TimeAxisLayersTest {
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3}, 1, 3, 1);

    @Test
    void valuesAsKeras() {
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 0}, new ZeroPadding1D(2, 1).call(X, null, false).output().data());
        assertArrayEquals(new float[] {2}, new Cropping1D(1, 1).call(X, null, false).output().data());
        assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, new UpSampling1D(2).call(X, null, false).output().data());
        assertArrayEquals(new int[] {-1, 12, 4}, new UpSampling1D(3).outputShape(new int[] {-1, 4, 4}));
    }

    @Test
    void croppingEverythingIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Cropping1D(2, 1).build(new int[] {-1, 3, 1}));
        assertTrue(e.getMessage().contains("leaves no steps"), e.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (Layer layer : new Layer[] {new ZeroPadding1D(2, 1), new Cropping1D(1, 2), new UpSampling1D(3)}) {
            LayerGradientCheck.assertGradients(layer, new Tensor[] {GradientCheck.random(4, 2, 5, 3)}, null, false, null);
        }
    }
}
