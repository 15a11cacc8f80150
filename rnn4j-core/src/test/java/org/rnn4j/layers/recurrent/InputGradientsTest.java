package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * A recurrent pass told that nobody reads its input gradients (it is fed by the model's data) skips them and
 * gives exactly the same weight gradients; told nothing, it returns them.
 */
class InputGradientsTest {
    @Test
    void skippingTheInputGradientLeavesTheWeightGradientsAsTheyAre() {
        for (Layer layer : List.<Layer>of(new LSTM(6), new GRU(5), new SimpleRNN(4))) {
            layer.build(new int[] {-1, 7, 3});
            List<Tensor> w = new ArrayList<>();
            for (int i = 0; i < layer.weights().size(); i++) w.add(GradientCheck.random(10 + i, layer.weights().get(i).shape()));
            layer.setWeights(w);
            Tensor x = GradientCheck.random(1, 4, 7, 3);

            Pass full = layer.call(x, null, true);
            Tensor g = GradientCheck.random(2, full.output().shape());
            zero(layer);
            Tensor dx = full.backward(new Tensor[] {g})[0];
            List<float[]> expected = grads(layer);

            Pass lean = layer.call(x, null, true);
            lean.skipInputGradients();
            zero(layer);
            assertNull(lean.backward(new Tensor[] {g})[0], layer.className());
            assertNotNull(dx, layer.className());
            List<float[]> got = grads(layer);
            for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i), layer.className() + " weight " + i);
        }
    }

    private static void zero(Layer l) {
        for (Weight w : l.weights()) w.zeroGrad();
    }

    private static List<float[]> grads(Layer l) {
        List<float[]> out = new ArrayList<>();
        for (Weight w : l.weights()) out.add(w.grad().data().clone());
        return out;
    }
}
