package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

class SparkTrainerTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        // local[2, 3]: two worker threads, a task may fail up to 3 times before the job fails.
        SparkConf conf = new SparkConf().setMaster("local[2,3]").setAppName("rnn4j-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.sql.shuffle.partitions", "2");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.stop();
    }

    static final int N = 48, T = 6, D = 3;

    static ModelFactory lstmFactory() {
        return () -> {
            Rnn4j.setRandomSeed(5);
            Sequential m = new Sequential(new LSTM(8).inputShape(T, D), new Dense(2));
            m.compile(Loss.get("mse"), new Adam(0.01));
            return m;
        };
    }

    static Tensor x() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        float[] d = new float[N * T * D];
        for (int i = 0; i < d.length; i++) d[i] = (float) (2 * r.nextDouble() - 1);
        return Tensor.of(d, N, T, D);
    }

    static Tensor y(Tensor x) {
        // A learnable target: the sum and the last value of the first feature.
        float[] d = new float[N * 2];
        for (int i = 0; i < N; i++) {
            float s = 0;
            for (int t = 0; t < T; t++) s += x.data()[(i * T + t) * D];
            d[2 * i] = s / T;
            d[2 * i + 1] = x.data()[(i * T + T - 1) * D];
        }
        return Tensor.of(d, N, 2);
    }

    static List<Sample> samples(Tensor x, Tensor y) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            out.add(new Sample(x.slice(i, i + 1).data(), new int[] {T, D}, y.slice(i, i + 1).data(), new int[] {2}));
        }
        return out;
    }

    static float maxDiff(Model a, Model b) {
        float max = 0;
        List<Weight> wa = a.weights(), wb = b.weights();
        for (int i = 0; i < wa.size(); i++) {
            float[] p = wa.get(i).value().data(), q = wb.get(i).value().data();
            for (int j = 0; j < p.length; j++) max = Math.max(max, Math.abs(p[j] - q[j]));
        }
        return max;
    }

    static ModelFactory gruFactory() {
        return () -> {
            Rnn4j.setRandomSeed(6);
            Sequential m = new Sequential(new GRU(6).inputShape(T, D), new Dense(2));
            m.compile(Loss.get("mse"), new Adam(0.01));
            return m;
        };
    }

    @Test
    void gradientAveragingGivesTheSingleMachineWeights() {
        assertSameAsSingleMachine(lstmFactory());
    }

    @Test
    void gradientAveragingGivesTheSingleMachineWeightsForAGru() {
        assertSameAsSingleMachine(gruFactory());
    }

    private void assertSameAsSingleMachine(ModelFactory factory) {
        Tensor x = x(), y = y(x);
        Model single = factory.create();
        History h1 = single.fit(x, y, new FitOptions().epochs(3).batchSize(16).shuffle(false).verbose(0));

        SparkTrainer trainer = new SparkTrainer(sc, factory).epochs(3).batchSize(16);
        History h2 = trainer.fit(sc.parallelize(samples(x, y), 2));

        float diff = maxDiff(single, trainer.model());
        assertTrue(diff <= 1e-5f, "weights differ from single-machine training by " + diff);
        assertTrue(trainer.model().countParams() > 0);
        for (int e = 0; e < 3; e++) assertEquals(h1.get("loss").get(e), h2.get("loss").get(e), 1e-5);
        assertTrue(h2.last("loss") < h2.get("loss").get(0), "the loss went down");
    }

    static final AtomicInteger FAILURES = new AtomicInteger();

    @Test
    void aTaskFailingOnItsFirstAttemptIsRetriedWithTheSameResult() {
        Tensor x = x(), y = y(x);
        SparkTrainer clean = new SparkTrainer(sc, lstmFactory()).epochs(1).batchSize(16);
        clean.fit(sc.parallelize(samples(x, y), 2));

        FAILURES.set(0);
        SparkTrainer flaky = new SparkTrainer(sc, lstmFactory()).epochs(1).batchSize(16)
                .taskHook((epoch, step, partition) -> {
                    if (step == 1 && partition == 0 && org.apache.spark.TaskContext.get().attemptNumber() == 0) {
                        FAILURES.incrementAndGet();
                        throw new IllegalStateException("injected failure");
                    }
                });
        flaky.fit(sc.parallelize(samples(x, y), 2));

        assertEquals(1, FAILURES.get(), "the injected failure happened once");
        assertEquals(0f, maxDiff(clean.model(), flaky.model()), "weights after a retried task");
    }

    @Test
    void checkpointsToAHadoopPathAndValidates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Tensor x = x(), y = y(x);
        String target = dir.toUri() + "epoch-{epoch}.keras";
        SparkTrainer trainer = new SparkTrainer(sc, lstmFactory()).epochs(2).batchSize(16)
                .validationData(x.slice(0, 8), y.slice(0, 8))
                .callbacks(new HadoopModelCheckpoint(target, sc.hadoopConfiguration()));
        History h = trainer.fit(sc.parallelize(samples(x, y), 2));
        assertEquals(2, h.get("val_loss").size());
        Model loaded = org.rnn4j.models.Models.load(dir.resolve("epoch-2.keras"));
        assertEquals(0f, maxDiff(trainer.model(), loaded), "checkpoint holds the trained weights");
    }

    @Test
    void parameterAveragingTrains() {
        Tensor x = x(), y = y(x);
        SparkTrainer trainer = new SparkTrainer(sc, lstmFactory()).epochs(4).batchSize(8).parameterAveraging(2);
        History h = trainer.fit(sc.parallelize(samples(x, y), 2));
        assertTrue(h.last("loss") < h.get("loss").get(0), "loss " + h.get("loss"));
        assertTrue(trainer.lastStepBytes() > 0);
    }
}
