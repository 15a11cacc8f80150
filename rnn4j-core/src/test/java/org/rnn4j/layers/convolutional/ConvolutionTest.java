package org.rnn4j.layers.convolutional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Layer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.LayerGradientCheck;
import org.rnn4j.testing.GradientCheck;

/** Conv1D and Conv1DTranspose: a hand-checked case, shapes, errors, and finite differences under every option. */
class ConvolutionTest {

    @Test
    void handCheckedSameConvolutionWithBias() {
        Conv1D conv = new Conv1D(1, 3).padding("same");
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3, 1);
        conv.build(new int[] {-1, 3, 1});
        conv.setWeights(List.of(Tensor.of(new float[] {1, 10, 100}, 3, 1, 1), Tensor.of(new float[] {0.5f}, 1)));
        // y[t] = x[t-1] + 10 x[t] + 100 x[t+1] + 0.5 with zeros outside.
        assertArrayEquals(new float[] {210.5f, 321.5f, 32.5f}, conv.call(x, null, false).output().data());
    }

    @Test
    void transposeOfAStrideTwoConvolutionSpreadsEachStep() {
        // Conv1DTranspose(1, 2, strides=2, valid) with kernel [1, 10]: each input step becomes [x, 10 x].
        Conv1DTranspose t = new Conv1DTranspose(1, 2).strides(2).useBias(false);
        t.build(new int[] {-1, 3, 1});
        t.setWeights(List.of(Tensor.of(new float[] {1, 10}, 2, 1, 1)));
        Tensor y = t.call(Tensor.of(new float[] {1, 2, 3}, 1, 3, 1), null, false).output();
        assertArrayEquals(new int[] {1, 6, 1}, y.shape());
        assertArrayEquals(new float[] {1, 10, 2, 20, 3, 30}, y.data());
    }

    @Test
    void outputShapesFollowKeras() {
        assertArrayEquals(new int[] {-1, 6, 4}, new Conv1D(4, 3).outputShape(new int[] {-1, 8, 2}));
        assertArrayEquals(new int[] {-1, 4, 3}, new Conv1D(3, 3).strides(2).padding("same").outputShape(new int[] {-1, 7, 2}));
        assertArrayEquals(new int[] {-1, 6, 3}, new Conv1D(3, 2).padding("causal").dilationRate(2).outputShape(new int[] {-1, 6, 2}));
        assertArrayEquals(new int[] {-1, -1, 3}, new Conv1D(3, 2).outputShape(new int[] {-1, -1, 2}));
        // Keras's deconv_output_length: valid T*s + max(k - s, 0), same T*s.
        assertArrayEquals(new int[] {-1, 11, 5}, new Conv1DTranspose(5, 3).strides(2).outputShape(new int[] {-1, 5, 2}));
        assertArrayEquals(new int[] {-1, 10, 5}, new Conv1DTranspose(5, 3).strides(2).padding("same").outputShape(new int[] {-1, 5, 2}));
    }

    @Test
    void parameterCountsEqualKeras() {
        // Keras: Conv1D(64, 3) on 1 channel = 3*1*64 + 64 = 256; groups=2 on 4 channels, 4 filters, k=2: 2*2*4 + 4 = 20;
        // Conv1DTranspose(16, 7) on 32 channels = 7*16*32 + 16 = 3600.
        assertEquals(256, built(new Conv1D(64, 3), 500, 1).countParams());
        assertEquals(20, built(new Conv1D(4, 2).groups(2), 5, 4).countParams());
        assertEquals(3600, built(new Conv1DTranspose(16, 7), 20, 32).countParams());
        assertEquals(3584, built(new Conv1DTranspose(16, 7).useBias(false), 20, 32).countParams());
    }

    private static Layer built(Layer l, int steps, int channels) {
        l.build(new int[] {-1, steps, channels});
        return l;
    }

    @Test
    void badOptionsAndInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(4, 3).strides(2).dilationRate(2));
        assertTrue(e.getMessage().contains("strides > 1 not supported in conjunction with dilation_rate > 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(3, 2).groups(2));
        assertTrue(e.getMessage().contains("evenly divisible"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> built(new Conv1D(4, 2).groups(2), 5, 3));
        assertTrue(e.getMessage().contains("groups=2") && e.getMessage().contains("3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1D(4, 3).padding("full"));
        assertTrue(e.getMessage().contains("\"full\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1DTranspose(4, 3).padding("causal"));
        assertTrue(e.getMessage().contains("\"causal\""), e.getMessage());
        Conv1D conv = new Conv1D(2, 5);
        e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(1, 3, 1), null, false));
        assertTrue(e.getMessage().contains("3 steps is too short for kernel_size=5"), e.getMessage());
        Conv1D c2 = built2();
        e = assertThrows(IllegalArgumentException.class, () -> c2.call(Tensor.zeros(1, 6, 3), null, false));
        assertTrue(e.getMessage().contains("expected shape (None, 6, 2), got (1, 6, 3)"), e.getMessage());
    }

    private static Conv1D built2() {
        Conv1D c = new Conv1D(2, 2);
        c.build(new int[] {-1, 6, 2});
        return c;
    }

    @Test
    void acceptsAnyNumberOfSteps() {
        Conv1D conv = new Conv1D(3, 2).padding("causal");
        conv.build(new int[] {-1, 6, 2});
        assertArrayEquals(new int[] {2, 9, 3}, conv.call(Tensor.zeros(2, 9, 2), null, false).output().shape());
    }

    static Stream<String> convOptions() {
        return Stream.of("valid", "same", "causal", "same_stride2", "valid_stride3", "causal_dilation2", "same_dilation2",
                "groups2", "groups2_same_stride2", "no_bias", "relu", "tanh", "sigmoid", "softmax", "elu", "swish",
                "transpose_valid", "transpose_same", "transpose_stride2", "transpose_same_stride3", "transpose_dilation2",
                "transpose_kernel_smaller_than_stride");
    }

    static Layer make(String option) {
        switch (option) {
            case "valid": return new Conv1D(3, 3);
            case "same": return new Conv1D(3, 3).padding("same");
            case "causal": return new Conv1D(3, 2).padding("causal");
            case "same_stride2": return new Conv1D(3, 3).padding("same").strides(2);
            case "valid_stride3": return new Conv1D(2, 2).strides(3);
            case "causal_dilation2": return new Conv1D(3, 2).padding("causal").dilationRate(2);
            case "same_dilation2": return new Conv1D(2, 3).padding("same").dilationRate(2);
            case "groups2": return new Conv1D(4, 2).groups(2);
            case "groups2_same_stride2": return new Conv1D(2, 3).groups(2).padding("same").strides(2);
            case "no_bias": return new Conv1D(3, 2).useBias(false);
            case "transpose_valid": return new Conv1DTranspose(3, 3);
            case "transpose_same": return new Conv1DTranspose(3, 3).padding("same");
            case "transpose_stride2": return new Conv1DTranspose(2, 3).strides(2);
            case "transpose_same_stride3": return new Conv1DTranspose(2, 4).strides(3).padding("same");
            case "transpose_dilation2": return new Conv1DTranspose(2, 2).dilationRate(2);
            case "transpose_kernel_smaller_than_stride": return new Conv1DTranspose(2, 2).strides(3);
            default: return new Conv1D(3, 2).activation(option);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convOptions")
    void gradientsMatchFiniteDifferences(String option) {
        Rnn4j.setRandomSeed(7);
        Layer layer = make(option);
        Tensor x = GradientCheck.random(11, 2, 7, 4);
        LayerGradientCheck.assertGradients(layer, new Tensor[] {x}, null, false, null);
    }
}
