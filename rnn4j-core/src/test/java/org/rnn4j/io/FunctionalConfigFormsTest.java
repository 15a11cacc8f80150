package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Functional;
import org.rnn4j.tensor.Tensor;

/** Functional configs in the forms other Keras versions write: tf.keras initial_state kwargs, Keras 2 round trips. */
class FunctionalConfigFormsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void encoderDecoderRoundTripsThroughKeras3AndKeras2Forms() {
        Rnn4j.setRandomSeed(5);
        Rnn4j.clearSession();
        Input enc = new Input(4, 2), dec = new Input(3, 2);
        KerasTensor[] e = new LSTM(3).returnState(true).applyAll(enc);
        LSTM decoder = new LSTM(3).returnSequences(true);
        KerasTensor seq = decoder.apply(dec, List.of(e[1], e[2]));
        KerasTensor y = new TimeDistributed(new Dense(2)).apply(new Add().apply(seq, seq));
        Functional m = new Functional(List.of(enc, dec), List.of(y), "seq2seq");

        JsonNode json = ModelConfig.toJson(m);
        assertEquals("Functional", json.get("class_name").asText());
        JsonNode decoderSpec = json.get("config").get("layers").get(3);
        assertEquals("lstm_1", decoderSpec.get("name").asText());
        JsonNode node = decoderSpec.get("inbound_nodes").get(0);
        assertEquals("[\"input_2\",0,0]", node.get("args").get(0).get("config").get("keras_history").toString());
        assertEquals("[\"lstm\",0,2]", node.get("kwargs").get("initial_state").get(1).get("config").get("keras_history").toString());

        Tensor[] x = {Tensor.of(new float[24], 3, 4, 2), Tensor.of(new float[18], 3, 3, 2)};
        for (int i = 0; i < 24; i++) x[0].data()[i] = (i % 7) / 7f - 0.4f;
        for (int i = 0; i < 18; i++) x[1].data()[i] = (i % 5) / 5f - 0.3f;
        Tensor want = m.predict(x, 8)[0];
        for (JsonNode form : List.of(json, FunctionalConfig.toKeras2Json(m))) {
            Functional back = (Functional) ModelConfig.fromJson(form);
            assertEquals("seq2seq", back.name());
            back.setWeights(m.getWeights());
            assertArrayEquals(want.data(), back.predict(x, 8)[0].data());
        }
        assertEquals(json, ModelConfig.toJson((Functional) ModelConfig.fromJson(json)));
    }

    @Test
    void readsTfKerasInitialStateKwargsAndKeras3UnnestedRefs() {
        String json = """
            {"class_name": "Functional", "config": {"name": "m", "layers": [
              {"class_name": "InputLayer", "name": "a", "config": {"batch_input_shape": [null, 2, 1], "name": "a"}, "inbound_nodes": []},
              {"class_name": "InputLayer", "name": "h", "config": {"batch_input_shape": [null, 3], "name": "h"}, "inbound_nodes": []},
              {"class_name": "InputLayer", "name": "c", "config": {"batch_input_shape": [null, 3], "name": "c"}, "inbound_nodes": []},
              {"class_name": "LSTM", "name": "l", "config": {"name": "l", "units": 3, "recurrent_activation": "sigmoid"},
               "inbound_nodes": [[["a", 0, 0, {"initial_state": [["h", 0, 0], ["c", 0, 0]]}]]]}],
             "input_layers": [["a", 0, 0], ["h", 0, 0], ["c", 0, 0]], "output_layers": ["l", 0, 0]}}""";
        Functional m = (Functional) ModelConfig.fromJson(json);
        assertEquals(3, m.inputCount());
        assertEquals(1, m.outputCount());
        // Non-zero initial states change the output: they are wired in.
        Tensor x = Tensor.of(new float[] {0.5f, -0.5f}, 1, 2, 1);
        Tensor zero = Tensor.of(new float[3], 1, 3), one = Tensor.of(new float[] {1, 1, 1}, 1, 3);
        float a = m.predict(new Tensor[] {x, zero, zero}, 1)[0].data()[0];
        float b = m.predict(new Tensor[] {x, one, one}, 1)[0].data()[0];
        assertTrue(Math.abs(a - b) > 1e-4);
    }
}
