package org.rnn4j.layers.attention;

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
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/** MultiHeadAttention: Keras's weights and counts, a hand-checked head, masks, errors and finite differences. */
class MultiHeadAttentionTest {

    @Test
    void weightsAndCountsAsKeras() {
        // keras.layers.MultiHeadAttention(num_heads=2, key_dim=2) on query (8, 16), value (4, 16): 284 parameters.
        MultiHeadAttention m = new MultiHeadAttention(2, 2);
        m.build(List.of(new int[] {-1, 8, 16}, new int[] {-1, 4, 16}));
        assertEquals(284, m.countParams());
        String[] names = {"query/kernel", "query/bias", "key/kernel", "key/bias", "value/kernel", "value/bias",
            "attention_output/kernel", "attention_output/bias"};
        for (int i = 0; i < names.length; i++) assertEquals(names[i], m.weights().get(i).name());
        assertArrayEquals(new int[] {2, 2, 16}, m.weights().get(6).shape());
        MultiHeadAttention scores = new MultiHeadAttention(3, 4).valueDim(5).returnAttentionScores(true);
        List<int[]> out = scores.outputShapes(List.of(new int[] {-1, 8, 6}, new int[] {-1, 4, 7}));
        assertArrayEquals(new int[] {-1, 8, 6}, out.get(0));
        assertArrayEquals(new int[] {-1, 3, 8, 4}, out.get(1));
    }

    @Test
    void oneHeadWithIdentityProjectionsIsScaledDotProductAttention() {
        // key_dim 2, identity kernels, zero biases: weights = softmax(q k^T / sqrt(2)), output = weights v.
        MultiHeadAttention m = new MultiHeadAttention(1, 2).returnAttentionScores(true);
        m.build(List.of(new int[] {-1, 1, 2}, new int[] {-1, 2, 2}));
        float[] eye = {1, 0, 0, 1};
        for (Weight w : m.weights()) {
            if (w.name().endsWith("kernel")) System.arraycopy(eye, 0, w.value().data(), 0, 4);
        }
        Tensor q = Tensor.of(new float[] {1, 0}, 1, 1, 2), v = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
        Pass p = m.call(new Tensor[] {q, v}, null, false);
        double w0 = Math.exp(1 / Math.sqrt(2)) / (Math.exp(1 / Math.sqrt(2)) + 1);
        assertEquals(w0, p.outputs[1].data()[0], 1e-6);
        assertArrayEquals(new float[] {(float) w0, (float) (1 - w0)}, p.output().data(), 1e-6f);
    }

    @Test
    void aFullyMaskedQueryRowHasZeroWeights() {
        MultiHeadAttention m = new MultiHeadAttention(2, 2).returnAttentionScores(true);
        Tensor q = GradientCheck.random(1, 1, 2, 3), v = GradientCheck.random(2, 1, 3, 3);
        Tensor packed = m.combineInputMasks(new Tensor[] {q, v}, new Tensor[] {Tensor.of(new float[] {1, 0}, 1, 2), null});
        Pass p = m.call(new Tensor[] {q, v}, packed, false);
        float[] w = p.outputs[1].data(); // [1, 2, 2, 3]
        for (int h = 0; h < 2; h++) for (int j = 0; j < 3; j++) assertEquals(0f, w[(h * 2 + 1) * 3 + j]);
        assertArrayEquals(new float[] {1, 0}, p.mask.data());
    }

    @Test
    void mismatchedValueAndKeyIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(2, 2)
                .build(List.of(new int[] {-1, 3, 4}, new int[] {-1, 5, 4}, new int[] {-1, 6, 4})));
        assertTrue(e.getMessage().contains("must be equal"), e.getMessage());
    }

    static Stream<String> options() {
        return Stream.of("plain", "value_dim", "key", "masks", "key_mask", "causal", "no_bias", "scores", "dropout");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void gradientsMatchFiniteDifferences(String option) {
        Rnn4j.setRandomSeed(12);
        MultiHeadAttention m = new MultiHeadAttention(2, 3);
        switch (option) {
            case "value_dim": m.valueDim(2); break;
            case "causal": m.useCausalMask(true); break;
            case "no_bias": m.useBias(false); break;
            case "scores": m.returnAttentionScores(true); break;
            case "dropout": m.dropout(0.3); break;
            default:
        }
        int tq = option.equals("causal") ? 4 : 3;
        Tensor q = GradientCheck.random(1, 2, tq, 4), v = GradientCheck.random(2, 2, 4, 3), k = GradientCheck.random(3, 2, 4, 5);
        Tensor[] inputs = option.equals("key") || option.equals("key_mask") ? new Tensor[] {q, v, k} : new Tensor[] {q, v};
        Tensor mask = null;
        if (option.equals("masks")) {
            mask = m.combineInputMasks(inputs, new Tensor[] {Tensor.of(new float[] {1, 1, 0, 1, 0, 1}, 2, 3),
                    Tensor.of(new float[] {1, 1, 1, 0, 0, 1, 1, 0}, 2, 4)});
        } else if (option.equals("key_mask")) {
            mask = m.combineInputMasks(inputs, new Tensor[] {null, null, Tensor.of(new float[] {0, 1, 1, 1, 1, 1, 0, 1}, 2, 4)});
        }
        m.build(inputs.length == 3 ? List.of(q.shape(), v.shape(), k.shape()) : List.of(q.shape(), v.shape()));
        for (Weight w : m.weights()) {
            if (w.name().endsWith("bias")) {
                float[] d = w.value().data();
                for (int i = 0; i < d.length; i++) d[i] = 0.1f * ((i % 5) - 2);
            }
        }
        boolean training = option.equals("dropout");
        LayerGradientCheck.assertGradients(m, inputs, mask, training, training ? LayerGradientCheck.reseed(4) : null);
    }
}
