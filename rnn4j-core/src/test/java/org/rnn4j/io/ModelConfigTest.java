package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("../testdata/fixtures/keras");

    private static JsonNode read(Path p) throws IOException { return JSON.readTree(Files.readString(p)); }

    @ParameterizedTest
    @ValueSource(strings = {"nb_lstm1_in1", "nb_lstm2_dense1", "nb_lstm10_seq_td", "stacked_lstm", "lstm_go_backwards",
            "masking_lstm_post", "dropout_activation", "dense_activations", "stateful_lstm", "lstm_hard_sigmoid"})
    void readsTensorFlowJsConfigsOfTheFixtures(String name) throws IOException {
        JsonNode fx = read(FIXTURES.resolve(name + ".json"));
        Rnn4j.clearSession();
        Model m = ModelConfig.fromJson(fx.get("keras_config"));
        assertEquals(fx.get("total_params").asInt(), m.countParams(), name);
        List<Layer> layers = m.layers();
        assertEquals(fx.get("layers").size(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            JsonNode want = fx.get("layers").get(i);
            assertEquals(want.get("name").asText(), layers.get(i).name());
            assertEquals(want.get("class_name").asText(), layers.get(i).className());
            assertEquals(want.get("params").asInt(), layers.get(i).countParams(), want.get("name").asText());
        }
    }

    /**
     * Every fixture model survives Keras 3 JSON both ways: the config written from the read model reads back to a
     * model that writes the same config and predicts bit for bit the same (so every layer's config is complete).
     */
    @ParameterizedTest
    @ValueSource(strings = {"nb_lstm10_seq_td", "stacked_lstm", "lstm_go_backwards", "masking_lstm_post", "dropout_activation",
            "dense_activations", "stateful_lstm", "lstm_hard_sigmoid", "lstm_return_state", "gru_softmax_cce",
            "gru_return_sequences", "simple_rnn_sigmoid_bce", "bidir_lstm_concat_seq", "bidir_lstm_mul"})
    void fixtureModelsRoundTripThroughKeras3Json(String name) throws IOException {
        JsonNode fx = read(FIXTURES.resolve(name + ".json"));
        Rnn4j.clearSession();
        Model m = ModelConfig.fromJson(fx.get("keras_config"));
        List<Tensor> weights = new java.util.ArrayList<>();
        for (JsonNode w : fx.get("weights")) weights.add(tensor(w));
        m.setWeights(weights);
        JsonNode written = ModelConfig.toJson(m);
        Model back = ModelConfig.fromJson(written);
        assertEquals(written, ModelConfig.toJson(back), name);
        back.setWeights(weights);
        Tensor x = tensor(fx.get("inputs").get(0));
        int batch = fx.get("predict").get("batch_size").asInt();
        m.resetStates();
        assertArrayEquals(m.predict(new Tensor[] {x}, batch)[0].data(), back.predict(new Tensor[] {x}, batch)[0].data(), name);
    }

    private static Tensor tensor(JsonNode t) {
        int[] shape = new int[t.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asInt();
        float[] v = new float[t.get("data").size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) t.get("data").get(i).asDouble();
        return Tensor.of(v, shape);
    }

    @Test
    void readsKeras2ListFormWithHardSigmoid() throws IOException {
        Model m = ModelConfig.fromJson(read(Path.of("../testdata/keras-real/dl4j/stacked_lstm/lstm_th_keras_2_config.json")));
        assertEquals(List.of("lstm_1", "lstm_2", "dense_1"), m.layers().stream().map(Layer::name).toList());
        // 4*(96*(12+96)+96) + 4*(96*(96+96)+96) + 97
        assertEquals(41856 + 74112 + 97, m.countParams());
        LSTM first = (LSTM) m.layers().get(0);
        assertEquals("hard_sigmoid", first.recurrentActivation().name());
        assertTrue(first.returnSequences());
        assertEquals("sigmoid", ((Dense) m.layers().get(2)).activation().name());
    }

    @Test
    void readsKeras1Names() {
        String json = """
            {"class_name": "Sequential", "keras_version": "1.2.2", "config": [
              {"class_name": "LSTM", "config": {"name": "lstm_1", "output_dim": 5, "batch_input_shape": [null, 3, 2],
                "activation": "tanh", "inner_activation": "hard_sigmoid", "init": "glorot_uniform",
                "inner_init": "orthogonal", "forget_bias_init": "one", "dropout_W": 0.2, "dropout_U": 0.0,
                "W_regularizer": null, "return_sequences": true, "consume_less": "cpu", "trainable": true}},
              {"class_name": "TimeDistributedDense", "config": {"name": "tdd", "output_dim": 2, "init": "zero",
                "activation": "linear", "bias": true}}]}""";
        Model m = ModelConfig.fromJson(json);
        LSTM lstm = (LSTM) m.layers().get(0);
        assertEquals(5, lstm.units());
        assertEquals(0.2f, lstm.dropout());
        assertEquals("hard_sigmoid", lstm.recurrentActivation().name());
        assertTrue(m.layers().get(1) instanceof TimeDistributed);
        assertArrayEquals(new int[] {-1, 3, 2}, m.outputShapes().get(0));
        assertEquals(4 * (5 * (2 + 5) + 5) + 12, m.countParams());
    }

    @Test
    void readsKeras3WithInputLayerAndHardSigmoidOfKeras3() {
        String json = """
            {"module": "keras", "class_name": "Sequential", "config": {"name": "seq", "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4, 1], "dtype": "float32",
                "sparse": false, "name": "input_layer"}, "registered_name": null},
              {"module": "keras.layers", "class_name": "LSTM", "config": {"name": "lstm", "trainable": true,
                "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
                "units": 3, "activation": "tanh", "recurrent_activation": "hard_sigmoid", "use_bias": true,
                "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null},
                "recurrent_initializer": {"module": "keras.initializers", "class_name": "Orthogonal", "config": {"gain": 1.0, "seed": null}, "registered_name": null},
                "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null},
                "unit_forget_bias": true, "kernel_regularizer": null, "dropout": 0.0, "recurrent_dropout": 0.0, "seed": null,
                "return_sequences": false, "return_state": false, "go_backwards": false, "stateful": false, "unroll": false,
                "zero_output_for_mask": false}, "registered_name": null, "build_config": {"input_shape": [null, 4, 1]}}]},
             "registered_name": null, "build_config": {"input_shape": [null, 4, 1]}}""";
        Model m = ModelConfig.fromJson(json);
        assertEquals("seq", m.name());
        assertEquals("hard_sigmoid_keras3", ((LSTM) m.layers().get(0)).recurrentActivation().name());
        assertEquals(4 * (3 * (1 + 3) + 3), m.countParams());
    }

    @Test
    void writesKeras3AndReadsItBackToTheSameModel() {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential();
        m.add(new LSTM(4).returnSequences(true).recurrentActivation("hard_sigmoid").goBackwards(true).inputShape(5, 2));
        m.add(new TimeDistributed(new Dense(3, "softmax").kernelInitializer("he_normal")));
        JsonNode json = ModelConfig.toJson(m);
        assertEquals("keras", json.get("module").asText());
        JsonNode layers = json.get("config").get("layers");
        assertEquals("InputLayer", layers.get(0).get("class_name").asText());
        assertEquals("[null,5,2]", layers.get(0).get("config").get("batch_shape").toString());
        JsonNode lstm = layers.get(1).get("config");
        assertEquals("hard_sigmoid_keras2", lstm.get("recurrent_activation").asText());
        assertEquals("GlorotUniform", lstm.get("kernel_initializer").get("class_name").asText());
        assertFalse(lstm.has("batch_input_shape"));
        assertEquals("HeNormal", layers.get(2).get("config").get("layer").get("config").get("kernel_initializer")
                .get("class_name").asText());

        Model back = ModelConfig.fromJson(json);
        assertEquals(json, ModelConfig.toJson(back));
        back.setWeights(m.getWeights());
        Tensor x = Tensor.of(new float[] {.1f, .2f, .3f, .4f, .5f, .6f, .7f, .8f, .9f, 1f}, 1, 5, 2);
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
    }

    @Test
    void initializerArgumentsSurviveTheRoundTrip() {
        String json = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "d", "units": 2, "batch_input_shape": [null, 3],
                "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}},
                "bias_initializer": {"class_name": "Constant", "config": {"value": 0.25}}}}]}}""";
        JsonNode out = ModelConfig.toJson(ModelConfig.fromJson(json)).get("config").get("layers").get(1).get("config");
        assertEquals("{\"scale\":2.0,\"mode\":\"fan_in\",\"distribution\":\"uniform\",\"seed\":null}",
                out.get("kernel_initializer").get("config").toString());
        assertEquals(0.25, out.get("bias_initializer").get("config").get("value").asDouble());
    }

    @Test
    void regularizersAndConstraintsAreReadAndWrittenBack() {
        String json = """
            {"class_name": "Sequential", "keras_version": "2.15.0", "config": {"name": "s", "layers": [
              {"class_name": "LSTM", "config": {"name": "l", "units": 2, "batch_input_shape": [null, 3, 1],
                "recurrent_activation": "sigmoid",
                "kernel_regularizer": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}},
                "recurrent_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2.0, "axis": 0}},
                "activity_regularizer": {"class_name": "L1", "config": {"l1": 0.5}}}},
              {"class_name": "Dense", "config": {"name": "d", "units": 1, "bias_regularizer": {"class_name": "L2", "config": {"l2": 0.25}}}}]}}""";
        Model m = ModelConfig.fromJson(json);
        Layer lstm = m.layers().get(0), dense = m.layers().get(1);
        assertEquals("L1L2", lstm.weightRegularizer("kernel").className());
        assertEquals("MaxNorm", lstm.weightConstraint("recurrent_kernel").className());
        assertEquals("L1", lstm.activityRegularizer().className());
        assertEquals(null, lstm.weightRegularizer("bias"));
        assertEquals("L2", dense.weightRegularizer("bias").className());
        JsonNode written = ModelConfig.toJson(m).get("config").get("layers");
        assertEquals(0.01, written.get(1).get("config").get("kernel_regularizer").get("config").get("l2").asDouble());
        assertEquals("MaxNorm", written.get(1).get("config").get("recurrent_constraint").get("class_name").asText());
        assertEquals(0.25, written.get(2).get("config").get("bias_regularizer").get("config").get("l2").asDouble());
        assertEquals(ModelConfig.toJson(m), ModelConfig.toJson(ModelConfig.fromJson(ModelConfig.toJson(m))));
    }

    @Test
    void refusesLambdaAndUnknownClassesNamingTheLayer() {
        String lambda = """
            {"class_name": "Sequential", "config": {"layers": [
              {"class_name": "Lambda", "config": {"name": "my_lambda", "function": ["4wEAAAAAAAAA", null, null]}}]}}""";
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson(lambda));
        assertTrue(e.getMessage().startsWith("Layer \"my_lambda\" (Lambda): holds Python code"), e.getMessage());

        String custom = """
            {"class_name": "Sequential", "config": {"layers": [{"class_name": "MyAttention", "config": {"name": "att"}}]}}""";
        e = assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson(custom));
        assertTrue(e.getMessage().contains("\"att\" (MyAttention): unknown layer class"), e.getMessage());
    }

    @Test
    void badOptionsSayWhichLayerAndOption() {
        String noUnits = """
            {"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTM", "config": {"name": "l"}}]}}""";
        assertEquals("Layer \"l\" (LSTM): missing required option \"units\"",
                assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson(noUnits)).getMessage());
        String regularized = """
            {"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1,
              "kernel_regularizer": {"class_name": "Elastic", "config": {"l2": 0.01}}}}]}}""";
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson(regularized)).getMessage()
                .startsWith("Layer \"d\" (Dense): option \"kernel_regularizer\": Unknown regularizer class \"Elastic\""));
        assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson("{not json"));
        assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson("{\"class_name\": \"Functional2\"}"));
    }
}
