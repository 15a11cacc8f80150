package org.rnn4j.layers.reshaping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class ReshapingLayersTest {
    /** One sample {@code [[1, 2, 3], [4, 5, 6]]} of shape (1, 2, 3). */
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);

    @Test
    void flattenKeepsRowMajorOrder() {
        Pass p = new Flatten().call(X, null, false);
        assertArrayEquals(new int[] {1, 6}, p.output().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, p.output().data());
        assertArrayEquals(new int[] {1, 2, 3}, p.backward(new Tensor[] {p.output()})[0].shape());
        assertArrayEquals(new int[] {-1, 12}, new Flatten().apply(new Input(4, 3)).shape());
    }

    @Test
    void reshapeInfersTheFreeDimension() {
        Pass p = new Reshape(-1, 2).call(X, null, false);
        assertArrayEquals(new int[] {1, 3, 2}, p.output().shape());
        assertArrayEquals(new int[] {-1, 3, 4}, new Reshape(3, -1).apply(new Input(12)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape(5).name("reshape_9").apply(new Input(2, 3)));
        assertEquals("Layer \"reshape_9\": the total size of the new array must be unchanged, input_shape = (2, 3), "
                + "target_shape = (5,)", e.getMessage());
    }

    @Test
    void repeatVectorRepeatsAndSumsBack() {
        Tensor v = Tensor.fromRows(new float[][] {{1, 2}});
        Pass p = new RepeatVector(3).call(v, null, false);
        assertArrayEquals(new int[] {1, 3, 2}, p.output().shape());
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2}, p.output().data());
        Tensor dx = p.backward(new Tensor[] {Tensor.of(new float[] {1, 10, 2, 20, 3, 30}, 1, 3, 2)})[0];
        assertArrayEquals(new float[] {6, 60}, dx.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RepeatVector(2).apply(new Input(2, 3)));
        assertTrue(e.getMessage().contains("expected ndim=2, found ndim=3"), e.getMessage());
    }

    @Test
    void permuteSwapsAxesBothWays() {
        Pass p = new Permute(2, 1).call(X, null, false);
        assertArrayEquals(new int[] {1, 3, 2}, p.output().shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, p.output().data());
        assertArrayEquals(X.data(), p.backward(new Tensor[] {p.output()})[0].data());
        // A 3-axis cycle: out[b, i, j, k] = x[b, j, k, i].
        Tensor x = GradientCheck.random(5, 2, 2, 3, 4);
        Tensor y = new Permute(3, 1, 2).call(x, null, false).output();
        assertArrayEquals(new int[] {2, 4, 2, 3}, y.shape());
        assertEquals(x.get(1, 0, 2, 3), y.get(1, 3, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Permute(1, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"flatten", "reshape", "repeat_vector", "permute"})
    void gradientsMatchFiniteDifferences(String kind) {
        Rnn4j.setRandomSeed(5);
        Input x = new Input(3, 2);
        KerasTensor h = new Dense(4, "tanh").apply(x); // (None, 3, 4)
        KerasTensor y = switch (kind) {
            case "flatten" -> new Dense(2).apply(new Flatten().apply(h));
            case "reshape" -> new Dense(2).apply(new Flatten().apply(new Dense(3).apply(new Reshape(6, 2).apply(h))));
            case "repeat_vector" -> new LSTM(2).apply(new RepeatVector(3).apply(new Dense(3).apply(new Flatten().apply(h))));
            default -> new Dense(2).apply(new Flatten().apply(new Dense(2, "tanh").apply(new Permute(2, 1).apply(h))));
        };
        Functional model = Model.of(x, y);
        model.compile(Loss.get("mse"), new SGD(0.1));
        GradientCheck.assertGradients(model, new Tensor[] {GradientCheck.random(1, 4, 3, 2)},
                new Tensor[] {GradientCheck.random(2, 4, 2)});
    }
}
