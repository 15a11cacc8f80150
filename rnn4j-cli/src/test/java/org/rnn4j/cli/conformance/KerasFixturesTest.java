package org.rnn4j.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every reference case in {@code testdata/fixtures/keras}: the cases whose layers and options are on main pass
 * every phase within the README's tolerances; the others fail with a reason (a feature not built yet), never skip.
 */
class KerasFixturesTest {
    static final Path FIXTURES = Path.of("../testdata/fixtures/keras");

    /** Cases whose features are implemented; extend as layers land (GRU, SimpleRNN, Bidirectional, functional). */
    static final Set<String> EXPECTED_TO_PASS = Set.of(
            "nb_lstm1_in1", "nb_lstm1_in2", "nb_lstm2_dense1", "nb_lstm5_dense1_t1", "nb_lstm5_dense5",
            "nb_lstm10_seq_td", "stacked_lstm", "lstm_go_backwards", "masking_lstm_post", "masking_lstm_pre",
            "dropout_activation", "dense_activations", "huber_loss", "stateful_lstm", "lstm_hard_sigmoid", "lstm_return_state",
            "gru_softmax_cce", "gru_return_sequences", "simple_rnn_sigmoid_bce",
            "bidir_lstm_concat_seq", "bidir_lstm_sum", "bidir_lstm_ave", "bidir_lstm_mul");

    static Stream<Path> cases() { return FixtureFiles.find(List.of(FIXTURES)).stream(); }

    @Test
    void findsEveryCaseOfTheIndexAndNotTheIndexItself() {
        JsonNode index = FixtureFiles.read(FIXTURES.resolve("index.json"));
        List<Path> found = FixtureFiles.find(List.of(FIXTURES));
        assertEquals(index.get("cases").size(), found.size());
        assertTrue(found.stream().noneMatch(p -> p.getFileName().toString().equals("index.json")));
        for (String name : EXPECTED_TO_PASS) assertTrue(found.contains(FIXTURES.resolve(name + ".json")), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseMatchesTheReferenceOrFailsWithAReason(Path file) {
        JsonNode fx = FixtureFiles.read(file);
        CaseResult r = CaseRunner.run(fx);
        String name = fx.get("name").asText();
        if (EXPECTED_TO_PASS.contains(name)) {
            assertTrue(r.passed(), () -> name + " failed: " + String.join("\n", r.failures()));
            assertTrue(r.maxOutputError() <= 2e-5, name + " outputs error " + r.maxOutputError());
            assertFalse(Double.isNaN(r.maxGradientError()), name + " checked no gradients");
        } else if (!r.passed()) {
            assertFalse(r.failures().get(0).isBlank());
            assertTrue(r.line().contains("FAIL: "), r.line());
        }
    }

    @Test
    void aMissingLayerIsAFailNamingIt() {
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("nb_lstm2_dense1.json"));
        ObjectNode layer = (ObjectNode) fx.get("keras_config").get("config").get("layers").get(1);
        layer.put("class_name", "QuantumDense");
        CaseResult r = CaseRunner.run(fx);
        assertFalse(r.passed());
        assertEquals("build: QuantumDense not implemented", r.failures().get(0));
        assertTrue(r.line().endsWith("FAIL: build: QuantumDense not implemented"), r.line());
    }

    @Test
    void aWrongPredictionBeyondTheToleranceFailsThePredictPhase() {
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("nb_lstm2_dense1.json"));
        ArrayNode data = (ArrayNode) fx.get("predict").get("outputs").get(0).get("data");
        double want = data.get(0).asDouble();
        // 2e-5 + 1e-4|want| is allowed; 1e-3 is not.
        data.set(0, fx.numberNode(want + 1e-3));
        CaseResult r = CaseRunner.run(fx);
        assertFalse(r.passed());
        assertTrue(r.failures().get(0).startsWith("predict[0]: got "), r.failures().get(0));
        assertEquals(1e-3, r.maxOutputError(), 1e-6);
    }

    @Test
    void aWrongSummaryLineFails() {
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("nb_lstm1_in1.json"));
        ((ArrayNode) fx.get("summary_keras_style")).set(0, fx.textNode("Model: \"other\""));
        CaseResult r = CaseRunner.run(fx);
        assertEquals("summary: line 1 is \"Model: \"sequential\"\", want \"Model: \"other\"\"", r.failures().get(0));
    }
}
