package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Average;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Multiply;
import org.rnn4j.layers.merging.Subtract;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.layers.reshaping.Permute;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.layers.reshaping.Reshape;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.Fixture;
import org.rnn4j.testing.GradientCheck;

class FunctionalConfigTest {
    @BeforeEach
    void fresh() {
        Rnn4j.clearSession();
        Rnn4j.setRandomSeed(3);
    }

    @Test
    void referenceConfigBuildsTheReferenceModel() {
        Fixture f = Fixture.load("lstm_return_state");
        Model m = ModelConfig.fromJson(f.json.get("keras_config"));
        Functional model = assertInstanceOf(Functional.class, m);
        assertEquals(List.of("input_1", "lstm", "concatenate", "dense"), model.layers().stream().map(Layer::name).toList());
        model.setWeights(f.weights());
        assertEquals(f.text("summary_keras_style"), model.summary());
        JsonNode p = f.json.get("predict");
        Fixture.assertClose("predict", Fixture.tensor(p.get("outputs").get(0)), model.predict(f.inputs(), 4)[0], 2e-5, 1e-4);
    }

    @Test
    void keras2InitialStateFormReadsAsExtraInboundTensors() {
        String json = """
            {"class_name": "Model", "config": {"name": "seq2seq", "layers": [
              {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 4, 2], "name": "input_1"}, "inbound_nodes": []},
              {"name": "input_2", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3, 2], "name": "input_2"}, "inbound_nodes": []},
              {"name": "lstm", "class_name": "LSTM", "config": {"name": "lstm", "units": 3, "return_state": true, "recurrent_activation": "sigmoid"},
               "inbound_nodes": [[["input_1", 0, 0, {}]]]},
              {"name": "lstm_1", "class_name": "LSTM", "config": {"name": "lstm_1", "units": 3, "return_sequences": true, "recurrent_activation": "sigmoid"},
               "inbound_nodes": [[["input_2", 0, 0, {}], ["lstm", 0, 1, {}], ["lstm", 0, 2, {}]]]}],
              "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]], "output_layers": [["lstm_1", 0, 0]]},
             "keras_version": "2.4.0"}""";
        Functional m = (Functional) ModelConfig.fromJson(json);
        assertEquals("seq2seq", m.name());
        List<KerasTensor> decoderInputs = m.getLayer("lstm_1").inboundNodes().get(0).inputs();
        assertEquals(List.of("input_2[0][0]", "lstm[0][1]", "lstm[0][2]"), decoderInputs.stream().map(KerasTensor::connection).toList());
        assertEquals(List.of(List.of(List.of("input_2", 0, 0, java.util.Map.of()), List.of("lstm", 0, 1, java.util.Map.of()),
                List.of("lstm", 0, 2, java.util.Map.of()))), m.inboundNodesConfig(m.getLayer("lstm_1")));
    }

    @Test
    void keras3RoundTripKeepsGraphWeightsAndOutputs() {
        Input enc = new Input(4, 2).name("encoder_in"), dec = new Input(3, 2).name("decoder_in");
        KerasTensor[] e = new LSTM(3).returnState(true).applyAll(enc);
        LSTM decoder = new LSTM(3).returnSequences(true);
        KerasTensor seq = decoder.apply(dec, List.of(e[1], e[2]));
        KerasTensor a = new TimeDistributed(new Dense(2)).apply(seq);
        KerasTensor b = new Permute(2, 1).apply(new Dense(3).apply(new RepeatVector(3).apply(e[0])));
        KerasTensor mixed = new Average().apply(new Add().apply(a, a), new Subtract().apply(a, a), new Multiply().apply(a, a));
        KerasTensor flat = new Concatenate().apply(new Flatten().apply(mixed), new Reshape(-1).apply(b));
        Functional original = Model.of(List.of(enc, dec), List.of(flat, e[0]));

        String json = ModelConfig.toJsonString(original);
        JsonNode tree = ModelConfig.mapper().valueToTree(ModelConfig.toJson(original));
        assertEquals("Functional", tree.get("class_name").asText());
        JsonNode decoderEntry = null;
        for (JsonNode l : tree.get("config").get("layers")) if (l.get("name").asText().equals(decoder.name())) decoderEntry = l;
        JsonNode states = decoderEntry.get("inbound_nodes").get(0).get("kwargs").get("initial_state");
        assertEquals("[\"lstm\",0,1]", states.get(0).get("config").get("keras_history").toString());

        Rnn4j.clearSession();
        Functional loaded = (Functional) ModelConfig.fromJson(json);
        assertEquals(original.layers().stream().map(l -> l.name() + "/" + l.className()).toList(),
                loaded.layers().stream().map(l -> l.name() + "/" + l.className()).toList());
        loaded.setWeights(original.getWeights());
        Tensor[] x = {GradientCheck.random(1, 5, 4, 2), GradientCheck.random(2, 5, 3, 2)};
        Tensor[] want = original.predict(x, 8), got = loaded.predict(x, 8);
        for (int o = 0; o < want.length; o++) assertArrayEquals(want[o].data(), got[o].data());
        assertEquals(original.summary(), loaded.summary());
        // And writing the loaded model gives the same config again.
        assertEquals(json, ModelConfig.toJsonString(loaded));
    }

    @Test
    void keras3SingleTensorRefsAndUnknownTensorsAreHandled() {
        String json = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "f", "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "x"}, "name": "x", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2}, "name": "d",
               "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "keras_history": ["x", 0, 0]}}], "kwargs": {}}]}],
              "input_layers": ["x", 0, 0], "output_layers": ["d", 0, 0]}}""";
        Functional m = (Functional) ModelConfig.fromJson(json);
        assertArrayEquals(new int[] {-1, 2}, m.outputShapes().get(0));
        ModelFormatException err = assertThrows(ModelFormatException.class,
                () -> ModelConfig.fromJson(json.replace("[\"x\", 0, 0]}}]", "[\"nowhere\", 0, 0]}}]")));
        assertTrue(err.getMessage().contains("\"nowhere\""), err.getMessage());
    }

    @Test
    void kerasArchiveSavesAndLoadsAFunctionalModel(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Input x = new Input(4, 2);
        KerasTensor[] lstm = new LSTM(3).returnSequences(true).returnState(true).applyAll(x);
        Functional model = Model.of(x, new Dense(1).apply(new Concatenate().apply(lstm[1], lstm[2])));
        java.nio.file.Path file = dir.resolve("f.keras");
        KerasArchive.save(model, file);
        Model loaded = KerasArchive.load(file);
        Tensor in = GradientCheck.random(4, 3, 4, 2);
        assertArrayEquals(model.predict(in).data(), loaded.predict(in).data());
        assertEquals(model.summary(), loaded.summary());
    }

    @Test
    void tensorFlowJsExportUsesKeras2NodesAndReadsBack(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Input enc = new Input(4, 2), dec = new Input(3, 2);
        KerasTensor[] e = new LSTM(3).returnState(true).applyAll(enc);
        KerasTensor y = new Dense(1).apply(new LSTM(3).apply(dec, List.of(e[1], e[2])));
        Functional model = Model.of(List.of(enc, dec), List.of(y));
        Tfjs.save(model, dir);
        JsonNode topology = ModelConfig.mapper().readTree(dir.resolve("model.json").toFile()).get("modelTopology");
        assertEquals("Model", topology.get("class_name").asText());
        assertEquals("[[[\"input_2\",0,0,{}],[\"lstm\",0,1,{}],[\"lstm\",0,2,{}]]]",
                topology.get("config").get("layers").get(3).get("inbound_nodes").toString());
        Rnn4j.clearSession();
        Model loaded = Tfjs.load(dir.resolve("model.json"));
        Tensor[] x = {GradientCheck.random(1, 2, 4, 2), GradientCheck.random(2, 2, 3, 2)};
        assertArrayEquals(model.predict(x, 8)[0].data(), loaded.predict(x, 8)[0].data());
    }

    @Test
    void nestedModelsRoundTripThroughConfigsAndArchives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Input x = new Input(4, 2);
        Functional encoder = new Functional(List.of(x), List.of(new LSTM(3).apply(x)), "encoder");
        Input a = new Input(4, 2);
        Functional model = Model.of(a, new Dense(1).apply(encoder.apply(a)));
        Tensor in = GradientCheck.random(1, 3, 4, 2);
        Tensor want = model.predict(in);

        Functional fromConfig = (Functional) ModelConfig.fromJson(ModelConfig.toJsonString(model));
        fromConfig.setWeights(model.getWeights());
        assertArrayEquals(want.data(), fromConfig.predict(in).data());
        assertEquals("Functional", fromConfig.getLayer("encoder").className());

        KerasArchive.save(model, dir.resolve("m.keras"));
        assertArrayEquals(want.data(), KerasArchive.load(dir.resolve("m.keras")).predict(in).data());
        Tfjs.save(model, dir);
        assertArrayEquals(want.data(), Tfjs.load(dir.resolve("model.json")).predict(in).data());
    }
}
