package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.normalization.BatchNormalization;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * The contract between training and inference on one model: predictions made while {@code fit} runs on another
 * thread see the weights of one complete optimizer step, never a mix of two; a second thread's training call is
 * refused with a message that says what to do.
 */
class TrainingWhilePredictingTest {
    private static Sequential model() {
        Rnn4j.setRandomSeed(11);
        Sequential m = new Sequential(new LSTM(24).returnSequences(true).inputShape(8, 3), new GRU(12), new Dense(2));
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new Adam(0.05));
        return m;
    }

    /** With BatchNormalization, whose training forward also writes its moving statistics (non-trainable weights). */
    private static Sequential normalizedModel() {
        Rnn4j.setRandomSeed(12);
        Sequential m = new Sequential(new LSTM(16).returnSequences(true).inputShape(8, 3),
                new BatchNormalization().momentum(0.5), new GRU(12), new Dense(2));
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new Adam(0.05));
        return m;
    }

    private static Tensor random(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        return t;
    }

    @Test
    void predictionsDuringFitSeeTheWeightsOfOneWholeStep() throws Exception {
        predictionsSeeWholeSteps(TrainingWhilePredictingTest::model);
    }

    @Test
    void movingStatisticsArePublishedWithTheStepThatMadeThem() throws Exception {
        predictionsSeeWholeSteps(TrainingWhilePredictingTest::normalizedModel);
    }

    private static void predictionsSeeWholeSteps(java.util.function.Supplier<Sequential> make) throws Exception {
        Sequential m = make.get();
        Tensor x = random(1, 64, 8, 3), y = random(2, 64, 2), probe = random(3, 5, 8, 3);
        // Every weight version the optimizer publishes: the initial one, then one after each batch.
        List<List<Tensor>> versions = new CopyOnWriteArrayList<>();
        versions.add(m.getWeights());
        Callback record = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) { versions.add(m.getWeights()); }
        };
        AtomicBoolean training = new AtomicBoolean(true);
        List<float[]> seen = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> predictors = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                predictors.add(pool.submit(() -> {
                    // Bounded in count as well: the loop ends when training does, or after 20,000 predictions.
                    for (int i = 0; i < 20_000 && training.get(); i++) seen.add(m.predict(probe, 5).data());
                    return null;
                }));
            }
            Future<?> fit = pool.submit(() -> {
                try {
                    m.fit(x, y, new FitOptions().epochs(6).batchSize(4).verbose(0).shuffle(false).callbacks(record));
                } finally {
                    training.set(false);
                }
                return null;
            });
            fit.get(5, TimeUnit.MINUTES);
            for (Future<?> f : predictors) f.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1 + 6 * 16, versions.size(), "one published version per optimizer step, plus the initial one");
        // What the probe gives under each whole version, computed alone on a copy of the model.
        Sequential alone = make.get();
        List<float[]> valid = new ArrayList<>();
        for (List<Tensor> v : versions) {
            alone.setWeights(v);
            valid.add(alone.predict(probe, 5).data());
        }
        for (float[] s : seen) {
            boolean whole = false;
            for (float[] v : valid) whole |= Arrays.equals(v, s);
            if (!whole) fail("a prediction made during fit matches none of the " + valid.size() + " published weight versions: "
                    + "it read a partly updated model (" + seen.size() + " predictions checked)");
        }
    }

    @Test
    void aSecondTrainingThreadIsRefusedWhileTheFirstRuns() throws Exception {
        Sequential m = model();
        Tensor x = random(1, 16, 8, 3), y = random(2, 16, 2);
        CountDownLatch inFit = new CountDownLatch(1), release = new CountDownLatch(1);
        Callback hold = new Callback() {
            @Override
            public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
                if (batch != 0) return;
                inFit.countDown();
                try {
                    assertTrue(release.await(5, TimeUnit.MINUTES));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "trainer-1"));
        try {
            Future<?> first = pool.submit(() -> m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(0).callbacks(hold)));
            assertTrue(inFit.await(5, TimeUnit.MINUTES));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.fit(x, y, new FitOptions().epochs(1).batchSize(8).verbose(0)));
            assertTrue(e.getMessage().contains("already training on thread \"trainer-1\""), e.getMessage());
            assertTrue(e.getMessage().contains("one model trains on one thread at a time"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> m.trainOnBatch(x, y));
            assertThrows(IllegalStateException.class,
                    () -> m.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true));
            assertThrows(IllegalStateException.class, m::applyGradients);
            // Inference is not refused meanwhile.
            assertEquals(16 * 2, m.predict(x).size());
            release.countDown();
            first.get(5, TimeUnit.MINUTES);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        // The first fit has ended: this thread may train now.
        assertTrue(m.trainOnBatch(x, y).containsKey("loss"));
    }
}
