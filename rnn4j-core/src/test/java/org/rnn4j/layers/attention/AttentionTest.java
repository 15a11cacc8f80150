package org.rnn4j.layers.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/** Attention and AdditiveAttention: hand-checked weights, masks, causal masking, errors and finite differences. */
class AttentionTest {
    // One query [1, 0] against keys [1, 0] and [0, 1]; values [10] and [20].
    private static final Tensor Q = Tensor.of(new float[] {1, 0}, 1, 1, 2);
    private static final Tensor K = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
    private static final Tensor V = Tensor.of(new float[] {10, 20}, 1, 2, 1);

    @Test
    void dotProductWeightsAreTheSoftmaxOfTheScores() {
        Attention a = new Attention().returnAttentionScores(true);
        Pass p = a.call(new Tensor[] {Q, V, K}, null, false);
        double w0 = Math.exp(1) / (Math.exp(1) + 1);
        assertEquals(w0, p.outputs[1].data()[0], 1e-6);
        assertEquals(10 * w0 + 20 * (1 - w0), p.outputs[0].data()[0], 1e-5);
        assertArrayEquals(new int[] {1, 1, 2}, p.outputs[1].shape());
    }

    @Test
    void aMaskedValueGetsNoWeightAndAMaskedQueryGivesZero() {
        Attention a = new Attention();
        Tensor q2 = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
        Tensor packed = a.combineInputMasks(new Tensor[] {q2, V, K},
                new Tensor[] {Tensor.of(new float[] {1, 0}, 1, 2), Tensor.of(new float[] {0, 1}, 1, 2), null});
        Pass p = a.call(new Tensor[] {q2, V, K}, packed, false);
        assertArrayEquals(new float[] {20, 0}, p.output().data(), 1e-5f);
        assertArrayEquals(new float[] {1, 0}, p.mask.data());
        // Without a query mask the output carries none.
        Tensor valueOnly = a.combineInputMasks(new Tensor[] {q2, V, K}, new Tensor[] {null, Tensor.of(new float[] {0, 1}, 1, 2), null});
        assertNull(a.call(new Tensor[] {q2, V, K}, valueOnly, false).mask);
    }

    @Test
    void aRowWithNoAllowedKeyGetsUniformWeightsAsKerasFloat32() {
        // Every value masked: Keras's score - 1e9 makes all scores -1e9 in float32, so the softmax is uniform.
        Attention a = new Attention().returnAttentionScores(true);
        Tensor packed = a.combineInputMasks(new Tensor[] {Q, V, K}, new Tensor[] {null, Tensor.of(new float[] {0, 0}, 1, 2), null});
        Pass p = a.call(new Tensor[] {Q, V, K}, packed, false);
        assertArrayEquals(new float[] {0.5f, 0.5f}, p.outputs[1].data());
        assertArrayEquals(new float[] {15f}, p.output().data(), 1e-6f);
    }

    @Test
    void causalMaskKeepsTheFirstQueryOnTheFirstKey() {
        Tensor seq = Tensor.of(new float[] {1, 0, 0, 1}, 1, 2, 2);
        Pass p = new Attention().useCausalMask(true).returnAttentionScores(true).call(new Tensor[] {seq, seq}, null, false);
        assertArrayEquals(new float[] {1, 0}, java.util.Arrays.copyOf(p.outputs[1].data(), 2));
    }

    @Test
    void weightsAndCountsAsKeras() {
        Attention a = new Attention().useScale(true).scoreMode("concat");
        a.build(List.of(new int[] {-1, 3, 4}, new int[] {-1, 5, 4}));
        assertEquals(2, a.countParams());
        assertEquals("scale", a.weights().get(0).name());
        assertEquals("concat_score_weight", a.weights().get(1).name());
        AdditiveAttention add = new AdditiveAttention();
        add.build(List.of(new int[] {-1, 3, 4}, new int[] {-1, 5, 4}));
        assertEquals(4, add.countParams());
        assertArrayEquals(new int[] {-1, 3, 6}, new Attention().outputShapes(List.of(new int[] {-1, 3, 4}, new int[] {-1, 5, 6},
                new int[] {-1, 5, 4})).get(0));
    }

    @Test
    void mismatchedInputsAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Attention().build(List.of(new int[] {-1, 3, 4}, new int[] {-1, 5, 3})));
        assertTrue(e.getMessage().contains("query and key must have the same last dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().build(List.of(new int[] {-1, 3, 4})));
        assertTrue(e.getMessage().contains("[query, value]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Attention().scoreMode("general"));
        assertTrue(e.getMessage().contains("\"general\""), e.getMessage());
    }

    static Stream<String> options() {
        return Stream.of("dot", "dot_scale", "dot_key", "concat", "concat_scale", "causal", "masks", "scores_output",
                "dropout", "additive", "additive_no_scale", "additive_masks_key", "additive_causal");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void gradientsMatchFiniteDifferences(String option) {
        Rnn4j.setRandomSeed(2);
        BaseAttention<?> layer;
        switch (option) {
            case "dot_scale": layer = new Attention().useScale(true); break;
            case "concat": layer = new Attention().scoreMode("concat"); break;
            case "concat_scale": layer = new Attention().scoreMode("concat").useScale(true); break;
            case "causal": layer = new Attention().useCausalMask(true).useScale(true); break;
            case "scores_output": layer = new Attention().returnAttentionScores(true); break;
            case "dropout": layer = new Attention().dropout(0.3); break;
            case "additive": case "additive_masks_key": layer = new AdditiveAttention(); break;
            case "additive_no_scale": layer = new AdditiveAttention().useScale(false); break;
            case "additive_causal": layer = new AdditiveAttention().useCausalMask(true); break;
            default: layer = new Attention(); break;
        }
        int tq = option.contains("causal") ? 4 : 3;
        Tensor q = GradientCheck.random(1, 2, tq, 3), v = GradientCheck.random(2, 2, 4, 3), k = GradientCheck.random(3, 2, 4, 3);
        boolean withKey = option.equals("dot_key") || option.equals("additive_masks_key");
        Tensor[] inputs = withKey ? new Tensor[] {q, v, k} : new Tensor[] {q, v};
        Tensor mask = null;
        if (option.equals("masks") || option.equals("additive_masks_key")) {
            mask = layer.combineInputMasks(inputs, new Tensor[] {Tensor.of(new float[] {1, 1, 0, 1, 0, 1}, 2, 3),
                    Tensor.of(new float[] {1, 1, 1, 0, 0, 1, 1, 0}, 2, 4)});
        }
        if (layer.useScale() && !(layer instanceof AdditiveAttention)) {
            layer.build(List.of(q.shape(), v.shape()));
            layer.weights().get(0).value().data()[0] = 1.3f;
        }
        boolean training = option.equals("dropout");
        LayerGradientCheck.assertGradients(layer, inputs, mask, training, training ? LayerGradientCheck.reseed(4) : null);
    }
}
