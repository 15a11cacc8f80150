package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.tensor.Tensor;

/**
 * The exported models of the reference fixtures (testdata/fixtures/keras-models) load from their TensorFlow.js
 * files — the binary shard decoded exactly as test_data.json lists the weights — and reproduce
 * {@code expected_outputs} within the predict tolerances (2e-5 absolute + 1e-4 relative).
 */
class TfjsFixturesTest {
    static final Path MODELS = Path.of("../testdata/fixtures/keras-models");

    @ParameterizedTest
    @ValueSource(strings = {"lstm_sine_next", "lstm_cumsum_td", "gru_three_class", "bilstm_masked_functional"})
    void loadsAndReproducesExpectedOutputs(String name) throws Exception {
        Path dir = MODELS.resolve(name);
        JsonNode data = ModelConfig.mapper().readTree(dir.resolve("test_data.json").toFile());
        Model model = Models.load(dir.resolve("model.json"));

        JsonNode weights = data.get("weights");
        List<Tensor> got = model.getWeights();
        assertEquals(weights.size(), got.size(), name);
        for (int i = 0; i < got.size(); i++) {
            Tensor want = tensor(weights.get(i));
            assertArrayEquals(want.shape(), got.get(i).shape(), name + " weight " + i);
            assertArrayEquals(want.data(), got.get(i).data(), name + " weight " + i);
        }

        JsonNode inputs = data.get("inputs"), expected = data.get("expected_outputs");
        Tensor[] x = new Tensor[inputs.size()];
        for (int i = 0; i < x.length; i++) x[i] = tensor(inputs.get(i));
        Tensor[] y = model.predict(x, 32);
        assertEquals(expected.size(), y.length);
        for (int o = 0; o < y.length; o++) {
            Tensor want = tensor(expected.get(o));
            assertArrayEquals(want.shape(), y[o].shape(), name);
            for (int i = 0; i < want.size(); i++) {
                double err = Math.abs(y[o].data()[i] - want.data()[i]);
                assertTrue(err <= 2e-5 + 1e-4 * Math.abs(want.data()[i]),
                        name + " output " + o + " element " + i + ": want " + want.data()[i] + " got " + y[o].data()[i]);
            }
        }
    }

    static Tensor tensor(JsonNode n) {
        JsonNode shape = n.get("shape"), data = n.get("data");
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asInt();
        float[] d = new float[data.size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) data.get(i).asDouble();
        return Tensor.of(d, s);
    }
}
