package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.layers.Weight;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/**
 * The reference fixture cases built on GRU, SimpleRNN and Bidirectional: the model from its Keras config through
 * the layer registry, weights from the file, then {@code predict} and the loss gradients at the initial weights
 * against the reference, with the fixtures' recommended tolerances.
 */
class RecurrentFixturesTest {
    private static final String DIR = "../testdata/fixtures/keras/";

    @ParameterizedTest
    @ValueSource(strings = {"gru_softmax_cce", "gru_return_sequences", "simple_rnn_sigmoid_bce", "bidir_lstm_concat_seq",
            "bidir_lstm_sum", "bidir_lstm_ave", "bidir_lstm_mul"})
    void predictAndGradientsMatchTheReference(String name) throws IOException {
        JsonNode c = new ObjectMapper().readTree(new File(DIR + name + ".json"));
        Model m = ModelConfig.fromJson(c.get("keras_config"));
        List<Tensor> weights = new ArrayList<>();
        for (JsonNode w : c.get("weights")) weights.add(tensor(w));
        m.setWeights(weights);
        Tensor x = tensor(c.get("inputs").get(0)), y = tensor(c.get("targets").get(0));

        Tensor want = tensor(c.get("predict").get("outputs").get(0));
        Tensor got = m.predict(x, c.get("predict").get("batch_size").asInt());
        assertArrayEquals(want.shape(), got.shape(), name + " predict shape");
        close(want.data(), got.data(), 2e-5, 1e-4, name + " predict");

        JsonNode g = c.get("gradients");
        int from = g.get("input_rows").get(0).asInt(), to = g.get("input_rows").get(1).asInt();
        m.compile(Loss.get(c.get("compile").get("loss").get("name").asText()), new SGD(0.01));
        double loss = m.computeGradients(new Tensor[] {x.slice(from, to)}, new Tensor[] {y.slice(from, to)},
                g.get("training").asBoolean());
        assertEquals(g.get("loss").asDouble(), loss, 1e-6 + 1e-5 * Math.abs(g.get("loss").asDouble()), name + " loss");
        List<Weight> ws = m.trainableWeights();
        assertEquals(g.get("grads").size(), ws.size(), name + " gradient count");
        for (int i = 0; i < ws.size(); i++) {
            close(tensor(g.get("grads").get(i)).data(), ws.get(i).grad().data(), 1e-5, 1e-3, name + " grad of " + ws.get(i).path());
        }
    }

    private static void close(float[] want, float[] got, double atol, double rtol, String what) {
        assertEquals(want.length, got.length, what + ": size");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            assertTrue(err <= atol + rtol * Math.abs(want[i]), what + "[" + i + "]: want " + want[i] + ", got " + got[i]);
        }
    }

    private static Tensor tensor(JsonNode n) {
        JsonNode s = n.get("shape"), d = n.get("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        float[] data = new float[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = Float.parseFloat(d.get(i).asText());
        return Tensor.of(data, shape);
    }
}
