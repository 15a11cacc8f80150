package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.attention.AdditiveAttention;
import org.rnn4j.layers.attention.Attention;
import org.rnn4j.layers.attention.MultiHeadAttention;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.convolutional.Conv1DTranspose;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.normalization.BatchNormalization;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.layers.pooling.AveragePooling1D;
import org.rnn4j.layers.pooling.GlobalAveragePooling1D;
import org.rnn4j.layers.pooling.GlobalMaxPooling1D;
import org.rnn4j.layers.pooling.MaxPooling1D;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.reshaping.Cropping1D;
import org.rnn4j.layers.reshaping.UpSampling1D;
import org.rnn4j.layers.reshaping.ZeroPadding1D;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.regularizers.Regularizer;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Every layer of the convolution, pooling, normalization and attention round: its Keras config builds the same layer
 * again (config → layer → config equal), and a model holding it predicts bit for bit the same after a save and load
 * through .keras, .weights.h5 and TensorFlow.js, moving statistics included.
 */
class ToolboxLayersRoundTripTest {
    @TempDir Path dir;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("Conv1D", (Supplier<Layer>) () -> new Conv1D(4, 3).padding("causal").dilationRate(2)
                        .activation("relu").kernelRegularizer(Regularizer.l2(0.01))),
                Arguments.of("Conv1D groups", (Supplier<Layer>) () -> new Conv1D(4, 2).groups(2).strides(2).padding("same").useBias(false)),
                Arguments.of("Conv1DTranspose", (Supplier<Layer>) () -> new Conv1DTranspose(3, 3).strides(2).padding("same")),
                Arguments.of("MaxPooling1D", (Supplier<Layer>) () -> new MaxPooling1D(3, 2).padding("same")),
                Arguments.of("AveragePooling1D", (Supplier<Layer>) () -> new AveragePooling1D(2, 1)),
                Arguments.of("GlobalMaxPooling1D", (Supplier<Layer>) () -> new GlobalMaxPooling1D().keepdims(true)),
                Arguments.of("GlobalAveragePooling1D", (Supplier<Layer>) GlobalAveragePooling1D::new),
                Arguments.of("ZeroPadding1D", (Supplier<Layer>) () -> new ZeroPadding1D(2, 1)),
                Arguments.of("Cropping1D", (Supplier<Layer>) () -> new Cropping1D(1, 2)),
                Arguments.of("UpSampling1D", (Supplier<Layer>) () -> new UpSampling1D(3)),
                Arguments.of("BatchNormalization", (Supplier<Layer>) () -> new BatchNormalization().momentum(0.5).epsilon(0.01)
                        .center(false).gammaRegularizer(Regularizer.l1(0.1))),
                Arguments.of("LayerNormalization", (Supplier<Layer>) () -> new LayerNormalization().scale(false).epsilon(1e-5)),
                Arguments.of("Attention", (Supplier<Layer>) () -> new Attention().useScale(true).scoreMode("concat").dropout(0.1)),
                Arguments.of("AdditiveAttention", (Supplier<Layer>) () -> new AdditiveAttention().useScale(false)),
                Arguments.of("MultiHeadAttention", (Supplier<Layer>) () -> new MultiHeadAttention(2, 3).valueDim(2).dropout(0.1)
                        .kernelRegularizer(Regularizer.l2(0.01))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void configRoundTrips(String label, Supplier<Layer> make) {
        Layer layer = make.get();
        Map<String, Object> config = layer.getConfig();
        JsonNode json = ModelConfig.mapper().valueToTree(config);
        Layer again = LayerRegistry.create(layer.className(), json, KerasVersion.KERAS_3);
        assertEquals(layer.className(), again.className());
        assertEquals(config, again.getConfig(), label);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void savedModelPredictsTheSame(String label, Supplier<Layer> make) {
        Rnn4j.setRandomSeed(label.hashCode());
        Layer layer = make.get();
        Model m;
        if (layer instanceof Attention || layer instanceof AdditiveAttention || layer instanceof MultiHeadAttention) {
            Input q = new Input(3, 4), v = new Input(5, 4);
            m = Model.of(List.of(q, v), List.of(new Dense(2).apply(layer.apply(q, v))));
        } else {
            m = new Sequential(new Dense(4).inputShape(8, 3), layer, new Dense(2));
        }
        m.compile("mse", "adam");
        Tensor[] x = m.inputCount() == 2
                ? new Tensor[] {GradientCheck.random(1, 6, 3, 4), GradientCheck.random(2, 6, 5, 4)}
                : new Tensor[] {GradientCheck.random(1, 6, 8, 3)};
        Tensor y0 = m.predict(x, 32)[0];
        Tensor[] y = {GradientCheck.random(3, y0.shape())};
        m.fit(x, y, new FitOptions().epochs(2).batchSize(3).verbose(0).shuffle(false)); // moves BatchNormalization's statistics
        float[] want = m.predict(x, 32)[0].data();
        Path keras = dir.resolve("m.keras");
        m.save(keras);
        assertArrayEquals(want, Models.load(keras).predict(x, 32)[0].data(), label + " via .keras");
        Path web = dir.resolve("web/model.json");
        Models.save(m, web);
        assertArrayEquals(want, Models.load(web).predict(x, 32)[0].data(), label + " via TensorFlow.js");
        Path weights = dir.resolve("m.weights.h5");
        m.saveWeights(weights);
        Model fresh = Models.load(keras);
        for (org.rnn4j.layers.Weight w : fresh.weights()) java.util.Arrays.fill(w.value().data(), 0f);
        fresh.loadWeights(weights);
        assertArrayEquals(want, fresh.predict(x, 32)[0].data(), label + " via .weights.h5");
    }

    @Test
    void movingStatisticsSurviveSaving() {
        Rnn4j.setRandomSeed(4);
        Sequential m = new Sequential(new Conv1D(3, 2).inputShape(6, 2), new BatchNormalization().momentum(0.5), new Dense(1));
        m.compile("mse", "sgd");
        Tensor x = GradientCheck.random(1, 8, 6, 2);
        m.fit(new Tensor[] {x}, new Tensor[] {GradientCheck.random(2, 8, 5, 1)}, new FitOptions().epochs(1).batchSize(4).verbose(0));
        BatchNormalization bn = (BatchNormalization) m.layers().get(1);
        float[] mean = bn.movingMean().value().data().clone();
        assertTrue(mean[0] != 0f, "fit moved the moving mean");
        Path p = dir.resolve("bn.keras");
        m.save(p);
        BatchNormalization loaded = (BatchNormalization) Models.load(p).layers().get(1);
        assertArrayEquals(mean, loaded.movingMean().value().data());
        assertArrayEquals(bn.movingVariance().value().data(), loaded.movingVariance().value().data());
        assertEquals(false, loaded.movingMean().trainable());
    }

    @Test
    void causalMaskAndMasksSurviveAFunctionalConfig() {
        Rnn4j.setRandomSeed(6);
        Input in = new Input(5, 2);
        KerasTensor h = new LSTM(3).returnSequences(true).apply(new Masking(0f).apply(in));
        KerasTensor att = new Attention().useCausalMask(true).apply(h, h);
        KerasTensor mha = new MultiHeadAttention(2, 2).useCausalMask(true).apply(h, h);
        Model m = Model.of(in, new Dense(1).apply(new GlobalAveragePooling1D().apply(new Concatenate().apply(att, h, mha))));
        Tensor x = GradientCheck.random(1, 4, 5, 2);
        for (int f = 0; f < 2; f++) x.data()[4 * 2 + f] = 0f; // sample 0's last step is padding
        float[] want = m.predict(x).data();
        String json = ModelConfig.toJsonString(m);
        assertTrue(json.contains("\"use_causal_mask\":true") || json.contains("\"use_causal_mask\" : true"), json);
        Model again = ModelConfig.fromJson(json);
        again.setWeights(m.getWeights());
        assertArrayEquals(want, again.predict(x).data());
        Path p = dir.resolve("att.keras");
        m.save(p);
        assertArrayEquals(want, Models.load(p).predict(x).data());
        assertEquals(true, ((Attention) Models.load(p).layers().stream().filter(l -> l instanceof Attention).findFirst().get())
                .useCausalMask());
        assertEquals(true, ((MultiHeadAttention) Models.load(p).layers().stream().filter(l -> l instanceof MultiHeadAttention)
                .findFirst().get()).useCausalMask());
    }

    @Test
    void anActivationAfterBatchNormalizationKeepsTheConvolutionalStack() {
        // Keras's "timeseries classification from scratch" block: Conv1D -> BatchNormalization -> ReLU, counted as Keras.
        Sequential m = new Sequential(new Conv1D(64, 3).padding("same").inputShape(500, 1), new BatchNormalization(),
                new ActivationLayer("relu"), new GlobalAveragePooling1D(), new Dense(2, "softmax"));
        String s = m.summary();
        assertTrue(s.contains("Total params: 642"), s);
        assertTrue(s.contains("Non-trainable params: 128"), s);
    }
}
