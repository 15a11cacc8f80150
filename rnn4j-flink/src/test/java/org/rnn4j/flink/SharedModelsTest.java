package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.RecurrentState;

/** Models read through Flink's file systems in every format, loaded once per JVM; the compact state codec. */
class SharedModelsTest {
    @TempDir Path dir;

    @Test
    void aModelIsLoadedOncePerJvmAndDroppedWithItsLastUser() {
        String uri = TestModels.lstm(dir, "shared", 4, 51);
        StateCodec a = SharedModels.acquire(uri), b = SharedModels.acquire(uri);
        assertSame(a, b, "the second slot gets the model the first loaded");
        assertEquals(2, SharedModels.users(uri));
        SharedModels.release(uri);
        SharedModels.release(uri);
        assertEquals(0, SharedModels.users(uri));
    }

    @Test
    void kerasTensorflowJsAndKerasH5FilesAllLoadThroughFlinksFileSystems() throws Exception {
        String keras = TestModels.lstm(dir, "m", 5, 52);
        Model m = SharedModels.load(keras);
        Path web = Files.createDirectories(dir.resolve("web"));
        Models.save(m, web.resolve("model.json"));
        for (String uri : new String[] {web.resolve("model.json").toUri().toString(), web.toUri().toString()}) {
            Model tfjs = SharedModels.load(uri);
            RecurrentState s = m.newState(), t = tfjs.newState();
            for (int step = 0; step < 4; step++) {
                float[] x = TestModels.features(0, step);
                assertTrue(TestModels.maxDiff(m.step(s, x), tfjs.step(t, x)) <= 1e-6, uri);
            }
        }
        // A Keras 1 .h5 saved by Keras itself (testdata/keras-real): readable and steppable.
        Path h5 = Path.of("../testdata/keras-real/dl4j/simple_lstm_tf_keras_1_model.h5").toAbsolutePath().normalize();
        Model k1 = SharedModels.load(h5.toUri().toString());
        StateCodec codec = StateCodec.of(k1);
        assertTrue(codec.size() > 0);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SharedModels.load(dir.resolve("nope.keras").toUri().toString()));
        assertTrue(missing.getMessage().contains("nope.keras"), missing.getMessage());
    }

    @Test
    void theCompactStateContinuesExactlyAndMovesOnlyBetweenCompatibleModels() {
        Model m = SharedModels.load(TestModels.lstm(dir, "a", 6, 53));
        Model retrained = SharedModels.load(TestModels.lstm(dir, "b", 6, 54));
        Model other = SharedModels.load(TestModels.lstm(dir, "c", 7, 55));
        StateCodec codec = StateCodec.of(m);
        assertEquals(2 * 6, codec.size(), "LSTM(6): h and c");
        RecurrentState s = m.newState();
        for (int t = 0; t < 3; t++) m.step(s, TestModels.features(1, t));
        RecurrentState back = codec.decode(codec.encode(s), s.steps());
        assertEquals(3, back.steps());
        float[] x = TestModels.features(1, 3);
        assertEquals(0.0, TestModels.maxDiff(m.step(s, x), m.step(back, x)), "a decoded state continues bit for bit");
        assertEquals(codec.signature(), StateCodec.of(retrained).signature(), "same architecture, other weights");
        assertTrue(codec.signature() != StateCodec.of(other).signature(), "LSTM(7) has another state layout");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(new float[5], 1));
        assertTrue(e.getMessage().contains("12") && e.getMessage().contains("5"), e.getMessage());
    }
}
