package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/** {@code --model SPEC.json}: a Keras Sequential config whose input shape fits the windows is used as it is. */
class ModelSpecsTest {
    @TempDir
    Path dir;

    private Path spec(int window) throws IOException {
        return Files.writeString(dir.resolve("spec" + window + ".json"),
                ModelConfig.toJsonString(new Sequential(new LSTM(4).inputShape(window, 1), new Dense(1))));
    }

    @Test
    void sequentialJsonWithTheWindowsInputShape() throws IOException {
        Model m = ModelSpecs.build(spec(12).toString(), 12, 1, 1);
        assertArrayEquals(new int[] {-1, 1}, m.outputShapes().get(0));
    }

    @Test
    void sequentialJsonWithAnotherWindowNamesBothShapes() throws IOException {
        Path p = spec(10);
        UserInputException e = assertThrows(UserInputException.class, () -> ModelSpecs.build(p.toString(), 12, 1, 1));
        assertEquals("--model " + p + ": the model takes inputs of shape (None, 10, 1) but --window 12 with 1 column(s) gives "
                + "(None, 12, 1)", e.getMessage());
    }
}
