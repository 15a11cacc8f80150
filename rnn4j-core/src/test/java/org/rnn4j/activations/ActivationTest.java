package org.rnn4j.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationTest {
    static java.util.List<String> elementwise() {
        java.util.List<String> names = new java.util.ArrayList<>(Activation.names());
        names.remove("softmax");
        names.add("hard_sigmoid_keras3");
        return names;
    }

    @Test
    void knownValues() {
        assertEquals(0.5f, Activation.get("sigmoid").apply(0f), 0f);
        assertEquals(0.7f, Activation.get("hard_sigmoid").apply(1f), 1e-7f);          // 0.2x + 0.5 (Keras 2)
        assertEquals(0.5f + 1f / 6f, Activation.get("hard_sigmoid_keras3").apply(1f), 1e-7f); // x/6 + 0.5 (Keras 3)
        assertEquals(0f, Activation.get("relu").apply(-3f), 0f);
        assertEquals((float) Math.tanh(0.3f), Activation.get("tanh").apply(0.3f), 0f);
        assertEquals(0.8413447f, Activation.get("gelu").apply(1f), 1e-6f);              // x * Phi(x)
        assertEquals(1.0507010f, Activation.get("selu").apply(1f), 1e-6f);
        assertEquals((float) Math.log1p(Math.E), Activation.get("softplus").apply(1f), 1e-6f);
        assertEquals(0.5f, Activation.get("softsign").apply(1f), 0f);
        assertEquals(0.7310586f, Activation.get("swish").apply(1f), 1e-6f);
        assertEquals((float) Math.expm1(-1), Activation.get("elu").apply(-1f), 1e-7f);
    }

    @ParameterizedTest
    @MethodSource("elementwise")
    void derivativeMatchesFiniteDifferences(String name) {
        Activation a = Activation.get(name);
        // Points away from the kinks of relu, relu6, hard_sigmoid and elu.
        float[] xs = {-2.3f, -0.7f, -0.11f, 0.13f, 0.9f, 1.7f, 3.3f};
        for (float x : xs) {
            double h = 1e-3;
            double numeric = (a.apply((float) (x + h)) - a.apply((float) (x - h))) / (2 * h);
            float y = a.apply(x);
            float analytic = a.derivative(x, y);
            assertEquals(numeric, analytic, 2e-3 * Math.max(1, Math.abs(numeric)), name + "'(" + x + ")");
        }
    }

    @Test
    void softmaxRowsSumToOneAndBackwardMatchesFiniteDifferences() {
        Activation s = Activation.get("softmax");
        float[] z = {0.3f, -1.2f, 2.0f, 0.5f, 0.5f, 0.5f};
        float[] y = new float[6];
        s.forward(z, y, 2, 3);
        assertEquals(1.0, y[0] + y[1] + y[2], 1e-6);
        assertEquals(1f / 3f, y[4], 1e-7f);
        float[] dy = {0.7f, -0.2f, 0.1f, 1f, 0f, -1f};
        float[] dz = new float[6];
        s.backward(z, y, dy, dz, 2, 3);
        for (int i = 0; i < 6; i++) {
            double h = 1e-3;
            float[] zp = z.clone(), zm = z.clone(), yp = new float[6], ym = new float[6];
            zp[i] += h;
            zm[i] -= h;
            s.forward(zp, yp, 2, 3);
            s.forward(zm, ym, 2, 3);
            double num = 0;
            for (int j = 0; j < 6; j++) num += dy[j] * (yp[j] - ym[j]) / (2 * h);
            assertEquals(num, dz[i], 2e-3, "d/dz" + i);
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.get("sigmod"));
        assertTrue(e.getMessage().startsWith("Unknown activation 'sigmod'; expected one of [linear, relu"), e.getMessage());
    }
}
