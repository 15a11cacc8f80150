package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;

/** Without rnn4j-onnx on the classpath (as in the core's own tests), .onnx files are a clear error naming the module. */
class ModelFormatsTest {
    @TempDir Path dir;

    @Test
    void onnxWithoutItsModuleNamesTheModule() throws Exception {
        Path file = Files.write(dir.resolve("m.onnx"), new byte[] {8, 7});
        ModelFormatException load = assertThrows(ModelFormatException.class, () -> Models.load(file));
        assertTrue(load.getMessage().contains("rnn4j-onnx"), load.getMessage());
        Sequential model = new Sequential(new Dense(2).inputShape(3));
        ModelFormatException save = assertThrows(ModelFormatException.class, () -> model.save(dir.resolve("out.onnx")));
        assertTrue(save.getMessage().contains("org.rnn4j:rnn4j-onnx"), save.getMessage());
        assertTrue(Files.notExists(dir.resolve("out.onnx")));
    }
}
