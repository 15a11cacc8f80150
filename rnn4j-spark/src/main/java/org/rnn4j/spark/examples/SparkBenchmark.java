package org.rnn4j.spark.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.spark.ModelFactory;
import org.rnn4j.spark.Sample;
import org.rnn4j.spark.SparkTrainer;
import org.rnn4j.tensor.Tensor;

/**
 * Distributed training throughput in local mode beside single-machine {@code fit} on the same workload (the "small"
 * LSTM workload: LSTM(64) on (50, 8) then Dense(1)), the bytes moved per step, and a projection for 4, 16 and 64
 * executors from the measured compute and communication times. Prints JSON lines.
 *
 * <p>Run: {@code bench/spark-bench.sh} (builds the classpath with Maven).
 *
 * <pre>{@code
 * // bench/spark-bench.sh [samples] [batch] [epochs], defaults 4096 512 2; or from code:
 * SparkBenchmark.main(new String[] {"4096", "512", "2"});
 * }</pre>
 */
public final class SparkBenchmark {
    private SparkBenchmark() {}

    static final int T = 50, D = 8, H = 64;

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        ModelFactory factory = () -> {
            Rnn4j.setRandomSeed(1);
            Sequential m = new Sequential(new LSTM(H).inputShape(T, D), new Dense(1));
            m.compile(Loss.get("mse"), new Adam(0.001));
            return m;
        };
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        float[] xd = new float[n * T * D], yd = new float[n];
        for (int i = 0; i < xd.length; i++) xd[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) yd[i] = (float) r.nextGaussian();
        Tensor x = Tensor.of(xd, n, T, D), y = Tensor.of(yd, n, 1);

        // Single machine: one warm-up epoch, then timed epochs.
        Model single = factory.create();
        FitOptions fo = new FitOptions().epochs(1).batchSize(batch).shuffle(false).verbose(0);
        single.fit(x, y, fo);
        long t0 = System.nanoTime();
        single.fit(x, y, new FitOptions().epochs(epochs).batchSize(batch).shuffle(false).verbose(0));
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        double singleRate = (double) n * epochs / singleSeconds;
        int steps = (n + batch - 1) / batch;
        double computePerStep = singleSeconds / (epochs * steps);

        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("rnn4j-spark-bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            List<Sample> list = new ArrayList<>();
            for (int i = 0; i < n; i++) list.add(new Sample(x.slice(i, i + 1).data(), new int[] {T, D}, new float[] {yd[i]}, new int[] {1}));
            JavaRDD<Sample> rdd = sc.parallelize(list, 2).cache();
            rdd.count();
            SparkTrainer warm = new SparkTrainer(sc, factory).epochs(1).batchSize(batch);
            warm.fit(rdd);
            SparkTrainer trainer = new SparkTrainer(sc, factory).epochs(epochs).batchSize(batch);
            long t1 = System.nanoTime();
            trainer.fit(rdd);
            double sparkSeconds = (System.nanoTime() - t1) / 1e9;
            double sparkRate = (double) n * epochs / sparkSeconds;
            long bytes = trainer.lastStepBytes();
            double[] timing = trainer.stepTimings();
            double stepSeconds = timing[0], computeTotal = timing[1], overhead = Math.max(0, timing[0] - timing[2]);
            int params = single.countParams();
            System.out.println(String.format(Locale.ROOT,
                    "{\"workload\": \"spark-small\", \"samples\": %d, \"batch\": %d, \"params\": %d, \"single_samples_per_s\": %.1f, "
                            + "\"spark_local2_samples_per_s\": %.1f, \"step_seconds\": %.4f, \"compute_seconds_per_step_single\": %.4f, "
                            + "\"task_compute_seconds_per_step\": %.4f, \"overhead_seconds_per_step\": %.4f, \"bytes_per_step_2_partitions\": %d}",
                    n, batch, params, singleRate, sparkRate, stepSeconds, computePerStep, computeTotal, overhead, bytes));
            // Projection: the summed task compute splits over E executors of 2 cores each (like this machine); the
            // per-step overhead (wall minus slowest task) is taken as measured; communication is the
            // broadcast of the weights (4 bytes/param) to E executors plus E gradient sums (8 bytes/param) over a
            // 10 Gbit/s network through a tree of depth 2, plus the measured per-step scheduling overhead.
            double bandwidth = 1.25e9;
            for (int e : new int[] {4, 16, 64}) {
                double comm = (4.0 * params * e + 8.0 * params * e) / bandwidth;
                double step = computeTotal / (2.0 * e) + overhead + comm;
                System.out.println(String.format(Locale.ROOT,
                        "{\"projection\": \"spark-small\", \"executors\": %d, \"step_seconds\": %.4f, \"compute\": %.4f, "
                                + "\"communication\": %.5f, \"overhead\": %.4f, \"samples_per_s\": %.0f, \"speedup_vs_single\": %.2f}",
                        e, step, computeTotal / (2.0 * e), comm, overhead, batch / step, (batch / step) / singleRate));
            }
        }
    }
}
