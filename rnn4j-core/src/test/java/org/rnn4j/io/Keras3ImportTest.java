package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.tensor.Tensor;

/**
 * A {@code .keras} archive not written by rnn4j: keras3/make_keras3_archive.py lays it out as Keras 3.14 does, with
 * h5py (the HDF5 library Keras writes with: superblock 0, symbol-table groups, variable-length string attributes),
 * and computes the expected outputs with a float64 NumPy forward pass. Its LSTM uses Keras 3's hard_sigmoid,
 * clip(x/6 + 0.5, 0, 1), which the file's keras_version selects.
 */
class Keras3ImportTest {
    static final Path DIR = Path.of("src/test/resources/keras3");
    @TempDir Path tmp;

    @Test
    void loadsAndReproducesTheNumpyForwardPass() {
        Model model = Models.load(DIR.resolve("keras3_lstm.keras"));
        assertEquals("hard_sigmoid_keras3", ((LSTM) model.layers().get(0)).recurrentActivation().name());
        Tensor x = Npy.read(DIR.resolve("keras3_lstm_input.npy"));
        float[] want = Npy.read(DIR.resolve("keras3_lstm_expected.npy")).data();
        KerasRealTest.assertClose(want, model.predict(x).data(), "keras3_lstm");

        // Compile settings and optimizer state: Adam at iteration 3, its moments as written.
        assertEquals("Adam", model.optimizer().className());
        assertEquals(3, model.optimizer().iterations());
        assertEquals(0.0010000000474974513, model.optimizer().learningRate());
        Weight kernel = model.trainableWeights().get(0);
        assertEquals(0.01f, model.optimizer().slots(kernel)[0][0]);
        assertEquals(0.02f, model.optimizer().slots(kernel)[1][0]);

        // Saved again by rnn4j, it is the same model.
        Path again = tmp.resolve("again.keras");
        model.save(again);
        Model back = Models.load(again);
        assertArrayEquals(model.predict(x).data(), back.predict(x).data());
        assertTrue(back.summary().contains("lstm (LSTM)"), back.summary());
    }
}
