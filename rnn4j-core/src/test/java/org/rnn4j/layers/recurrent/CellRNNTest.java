package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Masking;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/** {@code RNN(cell)} and {@code RNN([cells])}: the numbers of the equivalent layers, Keras's configs, save and load. */
class CellRNNTest {
    @TempDir Path dir;

    private static Tensor input(int batch, int steps, int features, boolean withMaskedTail) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] x = new float[batch * steps * features];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        // Row 1's last two steps all zeros: masked by Masking(0).
        if (withMaskedTail) for (int i = (steps + steps - 2) * features; i < 2 * steps * features; i++) x[i] = 0f;
        return Tensor.of(x, batch, steps, features);
    }

    private static Sequential model(org.rnn4j.layers.Layer... layers) {
        Sequential m = new Sequential();
        for (org.rnn4j.layers.Layer l : layers) m.add(l);
        m.compile(org.rnn4j.losses.Loss.get("mse"), new Adam(0.01));
        return m;
    }

    /** Same weights in both models; predictions and every weight gradient equal bit for bit. */
    private static void assertSameNumbers(Sequential a, Sequential b, Tensor x, int outDim) {
        b.setWeights(a.getWeights());
        assertArrayEquals(a.predict(x).data(), b.predict(x).data());
        Tensor y = Tensor.zeros(x.shape(0), outDim);
        a.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true);
        b.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true);
        for (int i = 0; i < a.trainableWeights().size(); i++) {
            assertArrayEquals(a.trainableWeights().get(i).grad().data(), b.trainableWeights().get(i).grad().data(), "grad " + i);
        }
    }

    @Test
    void oneCellGivesTheEquivalentLayersNumbers() {
        Tensor x = input(3, 5, 2, false);
        Rnn4j.setRandomSeed(1);
        assertSameNumbers(model(new LSTM(4).recurrentActivation("hard_sigmoid").inputShape(5, 2), new Dense(1)),
                model(RNN.of(new LSTMCell(4).recurrentActivation("hard_sigmoid")).inputShape(5, 2), new Dense(1)), x, 1);
        assertSameNumbers(model(new GRU(3).goBackwards(true).inputShape(5, 2), new Dense(1)),
                model(RNN.of(new GRUCell(3)).goBackwards(true).inputShape(5, 2), new Dense(1)), x, 1);
        assertSameNumbers(model(new SimpleRNN(3).activation("relu").inputShape(5, 2), new Dense(1)),
                model(RNN.of(new SimpleRNNCell(3).activation("relu")).inputShape(5, 2), new Dense(1)), x, 1);
    }

    @Test
    void stackedCellsEqualTheStackOfLayersUnderAMask() {
        Tensor x = input(3, 5, 2, true);
        Rnn4j.setRandomSeed(2);
        Sequential layers = model(new Masking(0f).inputShape(5, 2), new LSTM(3).returnSequences(true),
                new GRU(2).resetAfter(false), new Dense(1));
        Sequential stacked = model(new Masking(0f).inputShape(5, 2),
                RNN.of(List.of(new LSTMCell(3), new GRUCell(2).resetAfter(false))), new Dense(1));
        assertEquals(layers.countParams(), stacked.countParams());
        assertSameNumbers(layers, stacked, x, 1);
    }

    @Test
    void stackedReturnStateGivesEveryCellsStates() {
        Rnn4j.setRandomSeed(3);
        StackedRNN rnn = RNN.of(new StackedRNNCells(List.of(new LSTMCell(3), new SimpleRNNCell(2)))).returnState(true);
        org.rnn4j.layers.Pass p = rnn.call(input(2, 4, 2, false), null, false);
        assertEquals(4, p.outputs.length); // output, then h, c of the LSTM cell, then h of the SimpleRNN cell
        assertArrayEquals(new int[] {2, 2}, p.outputs[0].shape());
        assertArrayEquals(new int[] {2, 3}, p.outputs[1].shape());
        assertArrayEquals(new int[] {2, 3}, p.outputs[2].shape());
        assertArrayEquals(p.outputs[0].data(), p.outputs[3].data()); // the last cell's output is its state
    }

    @Test
    void configsRoundTripAndFilesLoad() throws Exception {
        Rnn4j.setRandomSeed(4);
        Sequential m = model(RNN.of(new GRUCell(3)).returnSequences(true).inputShape(5, 2),
                RNN.of(List.of(new LSTMCell(3), new SimpleRNNCell(2))).goBackwards(true), new Dense(1));
        JsonNode config = ModelConfig.toJson(m);
        JsonNode cell = config.path("config").path("layers").get(1).path("config").path("cell");
        assertEquals("GRUCell", cell.path("class_name").asText());
        assertEquals(3, cell.path("config").path("units").asInt());
        assertEquals(true, cell.path("config").path("reset_after").asBoolean());
        JsonNode stacked = config.path("config").path("layers").get(2).path("config").path("cell");
        assertEquals("StackedRNNCells", stacked.path("class_name").asText());
        assertEquals("SimpleRNNCell", stacked.path("config").path("cells").get(1).path("class_name").asText());
        // config -> model -> config is the same config
        assertEquals(config.toString(), ModelConfig.toJson(ModelConfig.fromJson(config.toString())).toString());
        Path f = dir.resolve("rnn.keras");
        m.save(f);
        Model back = Models.load(f);
        Tensor x = input(3, 5, 2, false);
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
        assertEquals("RNN", back.layers().get(1).className());
        assertEquals(m.summary(), back.summary());
    }
}
