package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class DenseTest {
    @Test
    void constantWeightsGiveHandCheckedOutput() {
        Dense d = new Dense(2).kernelInitializer(Initializer.constant(0.01f)).biasInitializer(Initializer.constant(0.03f))
                .inputShape(3);
        Sequential m = new Sequential(d);
        // x = [1, 2, 3]: each output 0.01 * 6 + 0.03 = 0.09
        assertArrayEquals(new float[] {0.09f, 0.09f}, m.predict(Tensor.of(new float[] {1, 2, 3}, 1, 3)).data(), 1e-7f);
        assertEquals(8, m.countParams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "relu", "tanh", "sigmoid", "softmax", "elu", "selu", "softplus", "softsign", "swish", "gelu"})
    void gradientsMatchFiniteDifferences(String activation) {
        Rnn4j.setRandomSeed(4);
        Sequential m = new Sequential(new Dense(4).activation("tanh").inputShape(3), new Dense(3).activation(activation),
                new ActivationLayer("linear"));
        m.compile(Loss.get("mse"), new SGD(0.1));
        GradientCheck.assertGradients(m, new Tensor[] {GradientCheck.random(1, 5, 3)}, new Tensor[] {GradientCheck.random(2, 5, 3)});
    }

    @Test
    void timeDistributedDenseGradientsMatchFiniteDifferences() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new TimeDistributed(new Dense(2).activation("sigmoid")).inputShape(4, 3));
        m.compile(Loss.get("binary_crossentropy"), new SGD(0.1));
        Tensor y = GradientCheck.random(2, 2, 4, 2);
        for (int i = 0; i < y.size(); i++) y.data()[i] = y.data()[i] > 0 ? 1f : 0f;
        GradientCheck.assertGradients(m, new Tensor[] {GradientCheck.random(1, 2, 4, 3)}, new Tensor[] {y});
    }

    @Test
    void dropoutIsTheIdentityAtInferenceAndScalesKeptValuesInTraining() {
        Dropout drop = new Dropout(0.5);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        assertArrayEquals(x.data(), drop.call(x, null, false).output().data(), 0f);
        Rnn4j.setRandomSeed(1);
        float[] y = drop.call(x, null, true).output().data();
        int kept = 0;
        for (int i = 0; i < y.length; i++) {
            assertTrue(y[i] == 0f || y[i] == 2f * x.data()[i], "value " + y[i]);
            if (y[i] != 0f) kept++;
        }
        assertTrue(kept > 0 && kept < y.length, "some values kept, some dropped: " + kept);
    }
}
