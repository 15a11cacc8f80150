package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/** {@code inputShape(NONE, features)} on a Sequential: builds, trains on batches of any length, predicts, saves, loads. */
class VariableLengthTest {
    @TempDir Path dir;

    private static Tensor[] batch(int n, int steps, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] x = new float[n * steps * 2], y = new float[n * steps];
        for (int b = 0; b < n; b++) {
            float sum = 0;
            for (int t = 0; t < steps; t++) {
                int i = (b * steps + t) * 2;
                x[i] = (float) r.nextGaussian();
                x[i + 1] = (float) r.nextGaussian();
                sum += x[i];
                y[b * steps + t] = 0.3f * sum; // a running sum: needs the recurrence, any length
            }
        }
        return new Tensor[] {Tensor.of(x, n, steps, 2), Tensor.of(y, n, steps, 1)};
    }

    private static Sequential model() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential();
        m.add(new LSTM(8).returnSequences(true).inputShape(Shapes.NONE, 2));
        m.add(new GRU(4).returnSequences(true));
        m.add(new TimeDistributed(new Dense(1)));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new Adam(0.02));
        return m;
    }

    @Test
    void buildsTrainsOnDifferentLengthsPredictsAnyLengthSavesAndLoads() {
        Sequential m = model();
        assertTrue(m.isBuilt());
        assertTrue(m.summary().contains("(None, None, 8)"), m.summary());
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 30; epoch++) {
            for (int steps : new int[] {3, 7, 12}) { // batches of three lengths, in turn
                Tensor[] d = batch(16, steps, epoch * 31L + steps);
                double loss = m.trainOnBatch(d[0], d[1]).get("loss");
                if (epoch == 0 && steps == 3) first = loss;
                if (epoch == 29 && steps == 3) last = loss;
            }
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        Tensor[] longer = batch(4, 20, 99);
        Tensor y20 = m.predict(longer[0]);
        assertArrayEquals(new int[] {4, 20, 1}, y20.shape());
        assertArrayEquals(new int[] {4, 1, 1}, m.predict(batch(4, 1, 98)[0]).shape());
        Map<String, Double> eval = m.evaluate(new Tensor[] {longer[0]}, new Tensor[] {longer[1]}, 4, 0);
        assertTrue(Double.isFinite(eval.get("loss")));

        Path f = dir.resolve("variable.keras");
        m.save(f);
        Model back = Models.load(f);
        assertArrayEquals(y20.data(), back.predict(longer[0]).data());
        assertArrayEquals(new int[] {4, 6, 1}, back.predict(batch(4, 6, 97)[0]).shape());
        String config = ModelConfig.toJson(back).toString();
        assertTrue(config.contains("[null,null,2]"), config);
        assertEquals(m.summary(), back.summary());
        // The features stay fixed: a wrong feature count names the layer and both shapes.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> back.predict(Tensor.zeros(2, 5, 3)));
        assertTrue(e.getMessage().contains("(None, None, 2)") && e.getMessage().contains("(2, 5, 3)"), e.getMessage());
    }

    @Test
    void weightsFilesAndTensorFlowJsExportKeepTheFreeAxis() {
        Sequential m = model();
        Path f = dir.resolve("web/model.json");
        Models.save(m, f);
        Model back = Models.load(f);
        Tensor x = batch(2, 9, 3)[0];
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
    }
}
