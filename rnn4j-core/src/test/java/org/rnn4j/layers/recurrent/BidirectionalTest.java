package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.KerasVersion;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class BidirectionalTest {
    @Test
    void copiesAreNamedAsKerasAndWeightsAreForwardThenBackward() {
        Rnn4j.clearSession();
        LSTM lstm = new LSTM(3).returnSequences(true);
        Bidirectional bi = new Bidirectional(lstm, "concat");
        assertEquals("bidirectional", bi.name());
        assertEquals("forward_lstm", bi.forwardLayer().name());
        assertEquals("backward_lstm", bi.backwardLayer().name());
        assertEquals(false, bi.forwardLayer().goBackwards());
        assertEquals(true, bi.backwardLayer().goBackwards());
        // Keras forces zero_output_for_mask = return_sequences on both copies.
        assertTrue(bi.forwardLayer().zeroOutputForMask() && bi.backwardLayer().zeroOutputForMask());
        assertEquals("lstm_1", new LSTM(2).name(), "the copies use up no automatic name");
        bi.build(new int[] {-1, 4, 2});
        assertEquals(6, bi.weights().size());
        assertEquals("forward_lstm/kernel", bi.weights().get(0).path());
        assertEquals("backward_lstm/bias", bi.weights().get(5).path());
        assertEquals(2 * 4 * (3 * (2 + 3) + 3), bi.countParams());
    }

    @Test
    void shapesForEachMergeModeAndReturnState() {
        int[] in = {-1, 4, 2};
        assertArrayEquals(new int[] {-1, 4, 6}, new Bidirectional(new GRU(3).returnSequences(true)).outputShape(in));
        assertArrayEquals(new int[] {-1, 3}, new Bidirectional(new GRU(3), "sum").outputShape(in));
        List<int[]> none = new Bidirectional(new GRU(3), null).outputShapes(List.of(in));
        assertEquals(2, none.size());
        List<int[]> states = new Bidirectional(new LSTM(3).returnState(true), "ave").outputShapes(List.of(in));
        assertEquals(5, states.size(), "output, forward h and c, backward h and c");
        assertArrayEquals(new int[] {-1, 3}, states.get(4));
    }

    @Test
    void mergeModesCombineTheTwoDirections() {
        Rnn4j.setRandomSeed(2);
        Tensor x = GradientCheck.random(3, 2, 4, 2);
        Bidirectional none = new Bidirectional(new SimpleRNN(3).returnSequences(true), null);
        Pass p = none.call(x, null, false);
        float[] fw = p.outputs[0].data(), bw = p.outputs[1].data();
        // The backward output is in input order: its first step saw the whole sequence (run alone, reversed).
        SimpleRNN back = (SimpleRNN) none.backwardLayer();
        float[] alone = back.call(x, null, false).output().data(); // processing order
        for (int j = 0; j < 3; j++) assertEquals(alone[3 * 3 + j], bw[j], 0f, "step 0 of the backward output");
        for (String mode : new String[] {"sum", "ave", "mul", "concat"}) {
            Bidirectional b = new Bidirectional(new SimpleRNN(3).returnSequences(true), mode);
            b.build(new int[] {-1, 4, 2});
            b.setWeights(none.getWeights());
            float[] y = b.call(x, null, false).output().data();
            for (int i = 0; i < fw.length; i++) {
                float want = switch (mode) {
                    case "sum" -> fw[i] + bw[i];
                    case "ave" -> (fw[i] + bw[i]) / 2f;
                    case "mul" -> fw[i] * bw[i];
                    default -> Float.NaN;
                };
                if (mode.equals("concat")) {
                    int row = i / 3, j = i % 3;
                    assertEquals(fw[i], y[row * 6 + j], 0f);
                    assertEquals(bw[i], y[row * 6 + 3 + j], 0f);
                } else {
                    assertEquals(want, y[i], 1e-7f, mode);
                }
            }
        }
    }

    @Test
    void maskGoesToBothDirectionsAndOnWithSequences() {
        Tensor x = GradientCheck.random(3, 2, 4, 2);
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 0, 0, 1, 1, 1}, 2, 4);
        Pass seq = new Bidirectional(new GRU(2).returnSequences(true)).call(x, mask, false);
        assertSame(mask, seq.mask);
        // zero_output_for_mask: masked steps are zeros in both halves.
        for (int j = 0; j < 4; j++) {
            assertEquals(0f, seq.output().get(0, 3, j));
            assertEquals(0f, seq.output().get(1, 0, j));
        }
        assertNull(new Bidirectional(new GRU(2)).call(x, mask, false).mask);
    }

    @Test
    void invalidMergeModeNamesTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Bidirectional(new LSTM(2), "max").name());
        assertTrue(e.getMessage().contains("'max'") && e.getMessage().contains("concat, sum, ave, mul"), e.getMessage());
    }

    @Test
    void configRoundTripsThroughTheLayerRegistry() {
        Bidirectional bi = new Bidirectional(new GRU(3).resetAfter(false).returnSequences(true), "mul");
        Map<String, Object> cfg = bi.getConfig();
        assertEquals("mul", cfg.get("merge_mode"));
        Layer back = LayerRegistry.create(ModelConfig.mapper().valueToTree(Map.of("class_name", "Bidirectional", "config", cfg)),
                KerasVersion.KERAS_3);
        Bidirectional b2 = (Bidirectional) back;
        assertEquals("mul", b2.mergeMode());
        assertEquals(bi.forwardLayer().name(), b2.forwardLayer().name());
        assertEquals(bi.backwardLayer().name(), b2.backwardLayer().name());
        assertEquals(false, ((GRU) b2.forwardLayer()).resetAfter());
        assertEquals(true, b2.backwardLayer().goBackwards());
        assertEquals(true, b2.forwardLayer().returnSequences());
    }

    @Test
    void statefulCarriesBothDirectionsStatesBetweenBatches() {
        Rnn4j.setRandomSeed(5);
        Bidirectional stateful = new Bidirectional(new LSTM(2).stateful(true), "concat").batchInputShape(2, 3, 2);
        org.rnn4j.models.Sequential m = new org.rnn4j.models.Sequential(stateful);
        assertTrue(m.isStateful());
        Tensor first = GradientCheck.random(1, 2, 3, 2), second = GradientCheck.random(2, 2, 3, 2);
        stateful.call(first, null, false);
        List<Tensor> carried = stateful.states();
        assertEquals(4, carried.size(), "forward h, c then backward h, c");
        float[] got = stateful.call(second, null, false).output().data();
        // The same as a stateless copy given the carried states as initial_state.
        Bidirectional plain = new Bidirectional(new LSTM(2), "concat");
        plain.build(List.of(new int[] {2, 3, 2}, new int[] {2, 2}, new int[] {2, 2}, new int[] {2, 2}, new int[] {2, 2}));
        plain.setWeights(stateful.getWeights());
        Tensor[] in = {second, carried.get(0), carried.get(1), carried.get(2), carried.get(3)};
        assertArrayEquals(plain.call(in, null, false).output().data(), got, 1e-7f);
        stateful.resetStates();
        assertArrayEquals(new float[4], stateful.states().get(0).data().length == 4 ? stateful.states().get(0).data() : null);
    }
}
