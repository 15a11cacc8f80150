package org.rnn4j.spark.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.History;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.spark.ModelFactory;
import org.rnn4j.spark.Sample;
import org.rnn4j.spark.Samples;
import org.rnn4j.spark.SparkTrainer;

/**
 * Distributed training end to end: read a CSV of sequences with Spark, train an LSTM with synchronous data-parallel
 * SGD, report the loss. Each CSV row holds {@code T} input values then the target (the next value).
 *
 * <pre>
 * spark-submit --class org.rnn4j.spark.examples.SparkTrainingExample rnn4j-spark-0.1.0-SNAPSHOT-all.jar \
 *     sequences.csv 10 128
 * </pre>
 * With no arguments it writes a sine-wave CSV to a temp folder and runs in local mode.
 */
public final class SparkTrainingExample {
    private SparkTrainingExample() {}

    public static void main(String[] args) throws IOException {
        int timesteps = 20;
        String csv = args.length > 0 ? args[0] : writeSineCsv(timesteps, 2000).toString();
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 64;

        SparkSession.Builder b = SparkSession.builder().appName("rnn4j-spark-example");
        if (args.length == 0) b.master("local[2]").config("spark.ui.enabled", "false");
        SparkSession spark = b.getOrCreate();
        try {
            Dataset<Row> df = spark.read().option("inferSchema", "true").csv(csv);
            JavaRDD<Sample> samples = Samples.fromFlatColumns(df, new int[] {timesteps, 1}, new int[] {1});
            final int t = timesteps;
            ModelFactory factory = () -> {
                Rnn4j.setRandomSeed(1);
                Sequential m = new Sequential(new LSTM(32).inputShape(t, 1), new Dense(1));
                m.compile(Loss.get("mse"), new Adam(0.005));
                return m;
            };
            SparkTrainer trainer = new SparkTrainer(
                    org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), factory)
                    .epochs(epochs).batchSize(batch).verbose(2);
            History h = trainer.fit(samples);
            System.out.println(String.format(Locale.ROOT, "final loss %.5f after %d epochs on %d partitions",
                    h.last("loss"), epochs, samples.getNumPartitions()));
            System.out.println(trainer.model().summary());
        } finally {
            spark.stop();
        }
    }

    /** Rows of a noisy sine wave: T consecutive values then the next one. */
    static Path writeSineCsv(int timesteps, int rows) throws IOException {
        Path dir = Files.createTempDirectory("rnn4j-spark");
        Path f = dir.resolve("sine.csv");
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < rows; i++) {
            double phase = r.nextDouble() * 2 * Math.PI;
            for (int t = 0; t <= timesteps; t++) {
                if (t > 0) sb.append(',');
                sb.append(String.format(Locale.ROOT, "%.5f", Math.sin(phase + 0.3 * t)));
            }
            sb.append('\n');
        }
        Files.writeString(f, sb.toString());
        return f;
    }
}
