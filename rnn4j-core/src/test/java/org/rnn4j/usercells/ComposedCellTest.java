package org.rnn4j.usercells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/** A cell composed outside the library: the fused LSTM's numbers and gradients, masks, save and load by name. */
class ComposedCellTest {
    @TempDir Path dir;

    private static Tensor input(boolean maskedTail) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        int batch = 3, steps = 5, dim = 2;
        float[] x = new float[batch * steps * dim];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        if (maskedTail) for (int i = (steps + 3) * dim; i < 2 * steps * dim; i++) x[i] = 0f; // row 1: last 2 steps
        return Tensor.of(x, batch, steps, dim);
    }

    private static Sequential model(boolean masked, org.rnn4j.layers.Layer rnn) {
        Sequential m = new Sequential();
        if (masked) m.add(new Masking(0f).inputShape(5, 2));
        else rnn.inputShape(5, 2);
        m.add(rnn);
        m.add(new Dense(1));
        m.compile(org.rnn4j.losses.Loss.get("mse"), new SGD(0.1));
        return m;
    }

    @Test
    void composedLstmHasTheFusedLstmsOutputsAndGradients() {
        for (boolean masked : new boolean[] {false, true}) {
            for (boolean backwards : new boolean[] {false, true}) {
                Rnn4j.setRandomSeed(11);
                Sequential fused = model(masked, new LSTM(4).goBackwards(backwards));
                Sequential composed = model(masked, RNN.of(new ComposedLstmCell(4)).goBackwards(backwards));
                composed.setWeights(fused.getWeights());
                Tensor x = input(masked), y = Tensor.of(new float[] {0.5f, -1f, 2f}, 3, 1);
                float[] a = fused.predict(x).data(), b = composed.predict(x).data();
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5, "output " + i);
                fused.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true);
                composed.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true);
                for (int w = 0; w < fused.trainableWeights().size(); w++) {
                    float[] ga = fused.trainableWeights().get(w).grad().data(), gb = composed.trainableWeights().get(w).grad().data();
                    for (int i = 0; i < ga.length; i++) {
                        assertEquals(ga[i], gb[i], 1e-5 + 1e-4 * Math.abs(ga[i]), "masked " + masked + " backwards " + backwards
                                + " weight " + w + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void returnStateAndInitialStateGradients() {
        Rnn4j.setRandomSeed(12);
        org.rnn4j.layers.recurrent.ComposedRNN rnn = RNN.of(new ComposedLstmCell(3)).returnState(true).returnSequences(true);
        Tensor x = input(false);
        Tensor h0 = Tensor.zeros(3, 3), c0 = Tensor.zeros(3, 3);
        org.rnn4j.layers.Pass p = rnn.call(new Tensor[] {x, h0, c0}, null, true);
        assertEquals(3, p.outputs.length);
        assertArrayEquals(new int[] {3, 5, 3}, p.outputs[0].shape());
        // The last step of the sequence output is the returned h.
        for (int b = 0; b < 3; b++) for (int j = 0; j < 3; j++) assertEquals(p.outputs[0].data()[(b * 5 + 4) * 3 + j], p.outputs[1].data()[b * 3 + j]);
        Tensor[] d = p.backward(new Tensor[] {null, null, Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 3, 3)});
        assertEquals(3, d.length);
        assertTrue(Math.abs(d[2].data()[0]) > 0, "dL/dc0 flows back through every step"); // c_T depends on c_0 via f
    }

    @Test
    void savedByNameAndLoadedThroughTheRegistry() throws Exception {
        Rnn4j.setRandomSeed(13);
        Sequential m = model(false, RNN.of(new ComposedLstmCell(3)).returnSequences(false));
        Path f = dir.resolve("user.keras");
        m.save(f);
        // Without a registered factory the file is refused, naming the class (no code is ever loaded from it).
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(f));
        assertTrue(e.getMessage().contains("ComposedLstmCell"), e.getMessage());
        LayerRegistry.registerCell("ComposedLstmCell", c -> new ComposedLstmCell(c.getInt("units", -1)));
        Model back = Models.load(f);
        Tensor x = input(false);
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
        assertEquals(m.summary(), back.summary());
    }
}
