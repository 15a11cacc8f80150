package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class SampleWeightsTest {
    private static Sequential model(int in, int out, String activation) {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new Dense(out, activation).inputShape(in));
        m.compile(Loss.get(out == 1 ? "mse" : "categorical_crossentropy"), new SGD(0.1), "accuracy");
        return m;
    }

    @Test
    void sampleWeightsScaleEachRowsLossOverTheBatchSize() {
        // Keras: sum(loss_i * w_i) / batch (sum_over_batch_size), not a weighted mean.
        Sequential m = model(3, 1, "linear");
        Tensor x = GradientCheck.random(1, 4, 3), y = GradientCheck.random(2, 4, 1);
        double[] rows = Loss.get("mse").perRow(y, m.predict(x));
        float[] w = {1f, 0f, 2f, 0.5f};
        double expected = (rows[0] * 1 + rows[1] * 0 + rows[2] * 2 + rows[3] * 0.5) / 4;
        Map<String, Double> logs = m.evaluate(x, y, Tensor.of(w, 4), 4);
        assertEquals(expected, logs.get("loss"), 1e-6);
        // Metrics compiled with metrics= are not weighted, as in Keras.
        assertEquals(m.evaluate(x, y, 4).get("accuracy"), logs.get("accuracy"));
        // Over two batches the batch losses average by batch size.
        double b1 = (rows[0] + 0) / 2, b2 = (rows[2] * 2 + rows[3] * 0.5) / 2;
        assertEquals((b1 * 2 + b2 * 2) / 4, m.evaluate(x, y, Tensor.of(w, 4), 2).get("loss"), 1e-6);
        assertEquals(expected, m.testOnBatch(new Tensor[] {x}, new Tensor[] {y}, new Tensor[] {Tensor.of(w, 4)}).get("loss"), 1e-6);
    }

    @Test
    void sampleWeightsWeightTheGradientToo() {
        // Doubling every weight doubles the loss and therefore the SGD step.
        Tensor x = GradientCheck.random(3, 4, 3), y = GradientCheck.random(4, 4, 1);
        Sequential a = model(3, 1, "linear"), b = model(3, 1, "linear");
        float[] w0 = a.weights().get(0).value().data().clone();
        a.fit(x, y, new FitOptions().epochs(1).batchSize(4).verbose(0).sampleWeight(Tensor.of(new float[] {1, 1, 1, 1}, 4)));
        b.fit(x, y, new FitOptions().epochs(1).batchSize(4).verbose(0).sampleWeight(Tensor.of(new float[] {2, 2, 2, 2}, 4)));
        float[] wa = a.weights().get(0).value().data(), wb = b.weights().get(0).value().data();
        for (int i = 0; i < w0.length; i++) assertEquals(2 * (wa[i] - w0[i]), wb[i] - w0[i], 1e-6f);
    }

    @Test
    void classWeightsMapTargetClassesToSampleWeights() {
        Sequential m = model(3, 3, "softmax");
        Tensor x = GradientCheck.random(7, 4, 3);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}, 4, 3); // classes 0, 1, 2, 1
        double[] rows = Loss.get("categorical_crossentropy").perRow(y, m.predict(x));
        Map<Integer, Double> cw = Map.of(0, 1.0, 1, 3.0); // class 2 unlisted: weight 1
        double expected = (rows[0] * 1 + rows[1] * 3 + rows[2] * 1 + rows[3] * 3) / 4;
        History h = m.fit(x, y, new FitOptions().epochs(1).batchSize(4).verbose(0).shuffle(false).classWeight(cw));
        assertEquals(expected, h.last("loss"), 1e-6, "the logged loss is that of the first (only) batch, before the update");
        assertEquals(List.of(1f, 3f, 1f, 3f), floats(SampleWeights.fromClassWeight(y, cw)));
        // Sparse targets: the rounded value is the class.
        assertEquals(List.of(3f, 1f, 1f), floats(SampleWeights.fromClassWeight(Tensor.of(new float[] {1, 0, 2}, 3, 1), cw)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, new FitOptions().verbose(0)
                .classWeight(cw).sampleWeight(Tensor.of(new float[] {1, 1, 1, 1}, 4))));
        assertTrue(e.getMessage().contains("`class_weight` and `sample_weight`"), e.getMessage());
    }

    @Test
    void temporalSampleWeightsCombineWithTheMask() {
        // Sequence output [2, 3, 1]; per-sample weights broadcast over timesteps, per-timestep weights as given.
        Rnn4j.setRandomSeed(9);
        Sequential m = new Sequential(new TimeDistributed(new Dense(1)).inputShape(3, 2));
        m.compile("mse", "sgd");
        Tensor x = GradientCheck.random(1, 2, 3, 2), y = GradientCheck.random(2, 2, 3, 1);
        double[] rows = Loss.get("mse").perRow(y, m.predict(x));
        double perSample = 0, temporal = 0;
        float[] t = {1, 2, 0, 0.5f, 1, 1};
        for (int r = 0; r < 6; r++) {
            perSample += rows[r] * (r < 3 ? 2 : 0);
            temporal += rows[r] * t[r];
        }
        assertEquals(perSample / 6, m.evaluate(x, y, Tensor.of(new float[] {2, 0}, 2), 2).get("loss"), 1e-6);
        assertEquals(temporal / 6, m.evaluate(x, y, Tensor.of(t, 2, 3), 2).get("loss"), 1e-6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.evaluate(x, y, Tensor.of(new float[] {1, 1, 1, 1}, 2, 2), 2));
        assertTrue(e.getMessage().contains("sample_weight for output 0 has shape (2, 2)"), e.getMessage());
    }

    private static List<Float> floats(Tensor t) {
        java.util.ArrayList<Float> l = new java.util.ArrayList<>();
        for (float v : t.data()) l.add(v);
        return l;
    }
}
