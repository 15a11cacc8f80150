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
 * Every reference case in {@code testdata/fixtures/keras-round2} (Conv1D, pooling, padding, normalization, attention,
 * generic RNN, the remaining losses, optimizers and initializers): the cases whose pieces are on main pass every
 * phase within the README's tolerances; the others fail with a reason, never skip.
 */
class KerasRound2FixturesTest {
    static final Path FIXTURES = Path.of("../testdata/fixtures/keras-round2");

    /** Cases whose layers, losses, optimizers and initializers are implemented; extend as they land. */
    static final Set<String> EXPECTED_TO_PASS = Set.of(
            "conv1d_valid_relu_lstm", "conv1d_same_stride2_gru_seq", "conv1d_causal_dilated_lstm_seq",
            "conv1d_groups2_simple_rnn", "conv1d_maxpool_lstm", "avgpool_same_stride1_then_valid_gru",
            "lstm_seq_global_max_pool", "masking_lstm_global_avg_pool_post", "zeropad_conv_crop_upsample_maxpool_lstm",
            "conv1d_batchnorm_relu_lstm", "batchnorm_center_false_stacked_lstm", "gru_batchnorm_scale_false_dense",
            "layernorm_between_stacked_gru", "conv1d_layernorm_center_false_lstm",
            "attention_dot_encoder_decoder", "attention_scaled_value_mask_keys", "attention_concat_causal_self",
            "additive_attention_query_value_masks",
            "categorical_hinge_onehot", "cosine_similarity_loss_metric_adamw", "hinge_binary_labels_adadelta",
            "init_identity_truncated_normal_simple_rnn", "kl_divergence_onehot_targets", "log_cosh_loss_nadam",
            "poisson_loss_lion", "squared_hinge_sign_labels_adamax",
            "adamw_conv1d_lstm_decay", "msle_loss_conv_gru", "init_he_normal_conv_identity_lstm",
            "rnn_grucell_reset_after_backwards", "rnn_lstmcell_seq_td", "rnn_stacked_lstm_gru_cells_masked",
            "rnn_simplernncell_return_state");

    static Stream<Path> cases() { return FixtureFiles.find(List.of(FIXTURES)).stream(); }

    @Test
    void findsEveryCaseOfTheIndex() {
        JsonNode index = FixtureFiles.read(FIXTURES.resolve("index.json"));
        List<Path> found = FixtureFiles.find(List.of(FIXTURES));
        assertEquals(index.get("cases").size(), found.size());
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
            assertFalse(Double.isNaN(r.maxGradientError()), name + " checked no gradients");
            assertFalse(Double.isNaN(r.maxWeightError()), name + " checked no trained weights");
        } else if (!r.passed()) {
            assertFalse(r.failures().get(0).isBlank());
            assertTrue(r.line().contains("FAIL: "), r.line());
        }
    }

    @Test
    void movingStatisticsAreComparedAfterFit() {
        // A wrong moving variance after training fails the fit phase: non-trainable weights are part of weights_after.
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("conv1d_batchnorm_relu_lstm.json"));
        for (JsonNode w : fx.get("fit").get("weights_after")) {
            if (w.get("name").asText().endsWith("moving_variance")) {
                ArrayNode data = (ArrayNode) w.get("data");
                data.set(0, fx.numberNode(data.get(0).asDouble() + 1e-2));
            }
        }
        CaseResult r = CaseRunner.run(fx);
        assertFalse(r.passed());
        assertTrue(r.failures().get(0).startsWith("weights_after batch_normalization/moving_variance"), r.failures().get(0));
    }

    @Test
    void lossWeightsScaleTheLossAndGradients() {
        // The same case with loss_weights [2]: evaluate's loss and every gradient double, so the recorded ones fail,
        // and pass again once doubled.
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("conv1d_valid_relu_lstm.json"));
        ((ObjectNode) fx.get("compile")).set("loss_weights", fx.arrayNode().add(2.0));
        fx.remove("fit");
        fx.remove("predict");
        CaseResult before = CaseRunner.run(fx);
        assertTrue(before.failures().get(0).startsWith("evaluate loss: got "), before.failures().get(0));
        ObjectNode eval = (ObjectNode) fx.get("evaluate");
        eval.put("loss", 2 * eval.get("loss").asDouble());
        ObjectNode grads = (ObjectNode) fx.get("gradients");
        grads.put("loss", 2 * grads.get("loss").asDouble());
        for (JsonNode g : grads.get("grads")) {
            ArrayNode data = (ArrayNode) g.get("data");
            for (int i = 0; i < data.size(); i++) data.set(i, fx.numberNode(2 * data.get(i).asDouble()));
        }
        CaseResult after = CaseRunner.run(fx);
        assertTrue(after.passed(), () -> String.join("\n", after.failures()));
    }

    @Test
    void lossByOutputNameAndLossWeightsByName() {
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("attention_dot_encoder_decoder.json"));
        ObjectNode compile = (ObjectNode) fx.get("compile");
        String output = fx.get("keras_config").get("config").get("output_layers").get(0).get(0).asText();
        compile.set("loss", fx.objectNode().set(output, compile.get("loss")));
        compile.set("loss_weights", fx.objectNode().put(output, 1.0));
        CaseResult r = CaseRunner.run(fx);
        assertTrue(r.passed(), () -> String.join("\n", r.failures()));
        compile.set("loss_weights", fx.objectNode().put("no_such_output", 1.0));
        CaseResult bad = CaseRunner.run(fx);
        assertTrue(bad.failures().get(0).contains("compile.loss_weights has no entry for output \"" + output + "\""),
                bad.failures().get(0));
    }

    @Test
    void initializerDrawsFollowTheDeclaredDistribution() {
        // The Conv1D he_normal and LSTM VarianceScaling draws of a case, without its Identity entry (and with an
        // orthogonal recurrent initializer): rnn4j's draws match Keras's truncated and untruncated normals.
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("init_he_normal_conv_identity_lstm.json"));
        ArrayNode inits = (ArrayNode) fx.get("initializers");
        inits.remove(2);
        ObjectNode lstm = (ObjectNode) fx.get("keras_config").get("config").get("layers").get(1).get("config");
        lstm.set("recurrent_initializer", fx.objectNode().put("class_name", "Orthogonal"));
        CaseResult r = CaseRunner.run(fx);
        assertTrue(r.failures().stream().noneMatch(f -> f.startsWith("initializers")), () -> String.join("\n", r.failures()));
        // A wrong declared deviation fails the phase.
        ((ObjectNode) inits.get(1)).put("stddev", 0.3);
        CaseResult bad = CaseRunner.run(fx);
        assertTrue(bad.failures().get(0).startsWith("initializers: lstm/kernel (normal) draws mean"), bad.failures().get(0));
    }

    /** The initializers phase: a drawn weight outside its distribution's bounds, or a wrong Identity, fails. */
    @Test
    void initializerDrawsAreChecked() {
        ObjectNode fx = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("init_identity_truncated_normal_simple_rnn.json"));
        ObjectNode identity = (ObjectNode) fx.get("keras_config").get("config").get("layers").get(0).get("config")
                .get("recurrent_initializer").get("config");
        identity.put("gain", 0.25);
        CaseResult r = CaseRunner.run(fx);
        assertFalse(r.passed());
        assertTrue(r.failures().get(0).startsWith("initializers: simple_rnn/recurrent_kernel"), r.failures().get(0));
        ObjectNode fx2 = (ObjectNode) FixtureFiles.read(FIXTURES.resolve("init_identity_truncated_normal_simple_rnn.json"));
        ObjectNode tn = (ObjectNode) fx2.get("keras_config").get("config").get("layers").get(0).get("config")
                .get("kernel_initializer").get("config");
        tn.put("stddev", 2.0);
        CaseResult r2 = CaseRunner.run(fx2);
        assertFalse(r2.passed());
        assertTrue(r2.failures().get(0).startsWith("initializers: simple_rnn/kernel"), r2.failures().get(0));
    }
}
