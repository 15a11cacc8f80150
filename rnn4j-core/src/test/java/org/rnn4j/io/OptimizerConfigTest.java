package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Weight;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

class OptimizerConfigTest {
    private static JsonNode json(String s) throws Exception { return new ObjectMapper().readTree(s); }

    @Test
    void readsKerasTensorFlowJsAndKeras2Names() throws Exception {
        Optimizer keras = OptimizerConfig.fromJson(json(
                "{\"class_name\": \"SGD\", \"config\": {\"learning_rate\": 0.05, \"momentum\": 0.9, \"nesterov\": true}}"));
        assertEquals(0.05, keras.learningRate());
        assertEquals(0.9, (double) keras.getConfig().get("momentum"));
        assertEquals(true, keras.getConfig().get("nesterov"));
        Optimizer tfjs = OptimizerConfig.fromJson(json(
                "{\"class_name\": \"Adam\", \"config\": {\"learningRate\": 0.02, \"beta1\": 0.8, \"beta2\": 0.99}}"));
        assertEquals(0.02, tfjs.learningRate());
        assertEquals(0.8, (double) tfjs.getConfig().get("beta_1"));
        Optimizer old = OptimizerConfig.fromJson(json("{\"class_name\": \"RMSprop\", \"config\": {\"lr\": 0.003, \"rho\": 0.8, \"decay\": 0.0}}"));
        assertEquals(0.003, old.learningRate());
        assertEquals("Adagrad", OptimizerConfig.fromJson(json("\"adagrad\"")).className());
        assertEquals("keras.optimizers", OptimizerConfig.serialize(keras).get("module"));
    }

    @Test
    void refusesWhatRnn4jDoesNotImplement() throws Exception {
        assertEquals("Optimizer \"Adam\": option \"learning_rate\" must be a number, got {\"class_name\":\"ExponentialDecay\"} "
                        + "(learning-rate schedules are not supported)",
                assertThrows(ModelFormatException.class, () -> OptimizerConfig.fromJson(json(
                        "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": {\"class_name\": \"ExponentialDecay\"}}}")))
                        .getMessage());
        assertTrue(assertThrows(ModelFormatException.class, () -> OptimizerConfig.fromJson(json(
                "{\"class_name\": \"Ftrl\", \"config\": {}}"))).getMessage().startsWith("Optimizer \"Ftrl\" is not supported"));
        assertThrows(ModelFormatException.class, () -> OptimizerConfig.fromJson(json(
                "{\"class_name\": \"SGD\", \"config\": {\"lr\": 0.1, \"decay\": 0.01}}")));
    }

    /** One Adam step on a tiny gradient, where the two epsilon placements differ (hand-computed). */
    @Test
    void tensorFlowJsAdamAddsEpsilonToTheCorrectedMoment() throws Exception {
        JsonNode spec = json("{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.01, \"beta_1\": 0.9, "
                + "\"beta_2\": 0.999, \"epsilon\": 1e-7}}");
        // Keras: lr*sqrt(1-b2)/(1-b1) * m/(sqrt(v)+eps), m = 1e-7, v = 1e-15: 0.0031623 * 1e-7/(3.1623e-8 + 1e-7)
        assertEquals(-0.0024025, step(OptimizerConfig.fromJson(spec), 1e-6f), 1e-7);
        // TensorFlow.js: lr * m_hat/(sqrt(v_hat)+eps), m_hat = 1e-6, v_hat = 1e-12: 0.01 * 1e-6/(1e-6 + 1e-7)
        Optimizer tfjs = OptimizerConfig.fromJson(spec, KerasVersion.parse("tfjs-layers 4.22.0"));
        assertTrue(((Adam) tfjs).epsilonOnCorrectedMoments());
        assertEquals(-0.0090909, step(tfjs, 1e-6f), 1e-7);
        // Large gradients: the same step either way (lr * sign(g)).
        assertEquals(step(OptimizerConfig.fromJson(spec), 0.5f),
                step(OptimizerConfig.fromJson(spec, KerasVersion.parse("tfjs-layers 4.22.0")), 0.5f), 1e-7);
        assertFalse(((Adam) OptimizerConfig.fromJson(spec)).epsilonOnCorrectedMoments());
    }

    private static float step(Optimizer opt, float grad) {
        Weight w = new Weight("w", "w", Tensor.of(new float[] {0f}, 1), true);
        w.grad().data()[0] = grad;
        opt.apply(List.of(w));
        return w.value().data()[0];
    }
}
