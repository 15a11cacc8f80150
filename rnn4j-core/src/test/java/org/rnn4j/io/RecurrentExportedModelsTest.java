package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * The trained reference models that use GRU and a masked Bidirectional LSTM (functional), loaded from their
 * TensorFlow.js export: predictions match the reference's within the fixtures' predict tolerance.
 */
class RecurrentExportedModelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"gru_three_class", "bilstm_masked_functional"})
    void trainedModelPredictsAsTheReference(String name) throws IOException {
        Path dir = Path.of("../testdata/fixtures/keras-models", name);
        Model m = Tfjs.load(dir.resolve("model.json"));
        JsonNode data = new ObjectMapper().readTree(new File(dir.resolve("test_data.json").toString()));
        Tensor x = tensor(data.get("inputs").get(0)), want = tensor(data.get("expected_outputs").get(0));
        Tensor got = m.predict(x, 32);
        assertArrayEquals(want.shape(), got.shape());
        for (int i = 0; i < want.size(); i++) {
            float w = want.data()[i], g = got.data()[i];
            assertTrue(Math.abs(g - w) <= 2e-5 + 1e-4 * Math.abs(w), name + "[" + i + "]: want " + w + ", got " + g);
        }
    }

    private static Tensor tensor(JsonNode n) {
        JsonNode s = n.get("shape"), d = n.get("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        float[] v = new float[d.size()];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(d.get(i).asText());
        return Tensor.of(v, shape);
    }
}
