package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.initializers.Identity;
import org.rnn4j.initializers.VarianceScaling;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adadelta;
import org.rnn4j.optimizers.AdamW;
import org.rnn4j.optimizers.Adamax;
import org.rnn4j.optimizers.Lion;
import org.rnn4j.optimizers.Nadam;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/**
 * The new losses, optimizers and initializers in saved files: every one by name in the compile config and the layer
 * configs of a {@code .keras} archive, and training resumed from the file equal to training straight through.
 */
class KerasToolboxRoundTripTest {
    @TempDir Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("msle", (Supplier<Optimizer>) () -> new Adamax(0.02)),
                Arguments.of("log_cosh", (Supplier<Optimizer>) () -> new Nadam(0.01)),
                Arguments.of("poisson", (Supplier<Optimizer>) () -> new Lion(0.01)),
                Arguments.of("kl_divergence", (Supplier<Optimizer>) () -> new Adadelta(1.0, 0.9, 1e-6)),
                Arguments.of("cosine_similarity", (Supplier<Optimizer>) () -> new AdamW(0.01, 0.05)),
                Arguments.of("hinge", (Supplier<Optimizer>) () -> new SGD(0.1).weightDecay(0.01)),
                Arguments.of("squared_hinge", (Supplier<Optimizer>) () -> new Adamax(0.01)),
                Arguments.of("categorical_hinge", (Supplier<Optimizer>) () -> new Nadam(0.01)));
    }

    private static Sequential model(String loss, Optimizer opt) {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential();
        m.add(new SimpleRNN(4).kernelInitializer(new VarianceScaling(1.5, "fan_avg", "uniform"))
                .recurrentInitializer(new Identity(0.5)).inputShape(3, 2));
        m.add(new Dense(3, "softplus").kernelInitializer(new VarianceScaling(2.0, "fan_out", "untruncated_normal")));
        m.compile(Loss.get(loss), opt, "cosine_similarity");
        return m;
    }

    private static Tensor[] data() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        int n = 12;
        float[] x = new float[n * 3 * 2], y = new float[n * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i * 3 + r.nextInt(3)] = 1f; // one-hot: fits every loss here
        return new Tensor[] {Tensor.of(x, n, 3, 2), Tensor.of(y, n, 3)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savedConfigsNameThemAndTrainingResumesExactly(String loss, Supplier<Optimizer> opt) throws Exception {
        Tensor[] d = data();
        Sequential straight = model(loss, opt.get());
        straight.fit(d[0], d[1], new FitOptions().epochs(4).batchSize(4).shuffle(false).verbose(0));

        Sequential first = model(loss, opt.get());
        first.fit(d[0], d[1], new FitOptions().epochs(2).batchSize(4).shuffle(false).verbose(0));
        Path f = dir.resolve(loss + ".keras");
        first.save(f);
        Model resumed = Models.load(f);
        assertEquals(Loss.get(loss).name(), resumed.loss().name());
        assertEquals(first.optimizer().className(), resumed.optimizer().className());
        assertEquals(first.optimizer().getConfig(), resumed.optimizer().getConfig());
        JsonNode layers = ModelConfig.toJson(resumed).path("config").path("layers");
        JsonNode rnn = layers.get(layers.size() - 2).path("config");
        assertEquals("Identity", rnn.path("recurrent_initializer").path("class_name").asText());
        assertEquals(0.5, rnn.path("recurrent_initializer").path("config").path("gain").asDouble());
        assertEquals("fan_avg", rnn.path("kernel_initializer").path("config").path("mode").asText());
        assertEquals("untruncated_normal", layers.get(layers.size() - 1).path("config").path("kernel_initializer")
                .path("config").path("distribution").asText());

        resumed.fit(new Tensor[] {d[0]}, new Tensor[] {d[1]},
                new FitOptions().epochs(4).initialEpoch(2).batchSize(4).shuffle(false).verbose(0));
        List<Tensor> a = straight.getWeights(), b = resumed.getWeights();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), loss + " weight " + i);
    }

    @Test
    void kerasConfigsOfTheNewOptimizersRead() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Optimizer w = OptimizerConfig.fromJson(json.readTree("{\"class_name\": \"AdamW\", \"config\": {\"learning_rate\": 0.02,"
                + " \"weight_decay\": 0.2, \"beta_2\": 0.99, \"epsilon\": 0.001}}"), KerasVersion.parse("tfjs-layers 4.22.0"));
        assertEquals(0.2, w.weightDecay());
        assertEquals(false, ((AdamW) w).epsilonOnCorrectedMoments()); // AdamW keeps Keras's rule, also from TF.js configs
        Optimizer d = OptimizerConfig.fromJson(json.readTree("{\"class_name\": \"Adam\", \"config\": {\"weight_decay\": 0.1}}"));
        assertEquals(0.1, d.weightDecay());
        assertEquals("Lion", OptimizerConfig.fromJson(json.readTree("\"lion\"")).className());
    }
}
