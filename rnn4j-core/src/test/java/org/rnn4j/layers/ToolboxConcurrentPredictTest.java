package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.attention.AdditiveAttention;
import org.rnn4j.layers.attention.Attention;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.convolutional.Conv1DTranspose;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.normalization.BatchNormalization;
import org.rnn4j.layers.normalization.LayerNormalization;
import org.rnn4j.layers.pooling.AveragePooling1D;
import org.rnn4j.layers.pooling.GlobalAveragePooling1D;
import org.rnn4j.layers.pooling.MaxPooling1D;
import org.rnn4j.layers.reshaping.UpSampling1D;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * One model made of the convolution, pooling, normalization and attention layers (no recurrent layer: their
 * inference is made thread-safe separately), shared by four threads that each
 * predict different batches many times: every result equals the single-threaded one bit for bit (no layer keeps
 * per-call state in a field), and inference leaves BatchNormalization's moving statistics alone.
 */
class ToolboxConcurrentPredictTest {
    @Test
    void sharedModelGivesExactResultsFromManyThreads() throws Exception {
        Rnn4j.setRandomSeed(8);
        Input x = new Input(12, 3);
        KerasTensor c = new Conv1D(6, 3).padding("causal").activation("relu").apply(x);
        c = new BatchNormalization().apply(c);
        c = new MaxPooling1D(2).apply(c);
        c = new Conv1DTranspose(6, 3).strides(2).padding("same").apply(c);
        c = new AveragePooling1D(3, 1).padding("same").apply(new UpSampling1D(1).apply(c));
        KerasTensor h = new Dense(6, "tanh").apply(new LayerNormalization().apply(c));
        KerasTensor a = new Attention().useScale(true).useCausalMask(true).apply(h, c);
        KerasTensor b = new AdditiveAttention().apply(h, h);
        KerasTensor mh = new org.rnn4j.layers.attention.MultiHeadAttention(2, 3).useCausalMask(true).apply(h, c);
        Model m = Model.of(x, new Dense(2).apply(new GlobalAveragePooling1D().apply(new Concatenate().apply(a, b, mh))));
        m.compile("mse", "adam");
        Tensor train = GradientCheck.random(1, 16, 12, 3);
        m.fit(train, GradientCheck.random(2, 16, 2), new FitOptions().epochs(1).batchSize(8).verbose(0));
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> want = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            inputs.add(GradientCheck.random(100 + i, 3 + i, 12, 3));
            want.add(m.predict(inputs.get(i)).data());
        }
        List<Tensor> before = m.getWeights();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                jobs.add(pool.submit(() -> {
                    for (int r = 0; r < 25; r++) {
                        int i = (offset + r) % inputs.size();
                        assertArrayEquals(want.get(i), m.predict(inputs.get(i)).data(), "input " + i + " round " + r);
                    }
                }));
            }
            for (Future<?> f : jobs) f.get();
        } finally {
            pool.shutdown();
        }
        List<Tensor> after = m.getWeights();
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i).data(), after.get(i).data());
    }
}
