package org.rnn4j.flink.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rnn4j.Rnn4j;
import org.rnn4j.flink.ModelSource;
import org.rnn4j.flink.Prediction;
import org.rnn4j.flink.RecurrentInference;
import org.rnn4j.flink.StreamEvent;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;

/**
 * {@code ./rnn4j flink-demo}: stateful inference for 10,000 keys x 50 timesteps on an embedded Flink cluster
 * (parallelism 2, a checkpoint every 500 ms), with a task failure injected mid-stream. Flink restarts the job from
 * its last checkpoint; the transactional file sink commits each prediction exactly once. The demo then steps every
 * key alone in this process and compares. Its last line:
 * {@code keys: 10000, events: 500000, mismatches: 0, restarts: 1}.
 *
 * <p>Options: {@code --keys K} (10000), {@code --steps T} (50), {@code --units U} (32), {@code --backend hashmap|rocksdb}
 * (hashmap), {@code --dir DIR} (a new temporary directory). Exit status 0 when nothing mismatched and the job
 * restarted at least once, 1 otherwise, 2 on bad options.
 */
public final class FlinkDemo {
    private static final int FEATURES = 3;

    private FlinkDemo() {}

    public static void main(String[] args) throws Exception {
        int keys = 10_000, steps = 50, units = 32;
        String backend = "hashmap";
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    System.out.println("Usage: rnn4j flink-demo [--keys K] [--steps T] [--units U] [--backend hashmap|rocksdb] [--dir DIR]");
                    System.out.println("Stateful LSTM inference for K keys x T timesteps on an embedded Flink cluster, a failure injected");
                    System.out.println("mid-stream, recovery from the last checkpoint, and a check against stepping every key alone.");
                    return;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--keys" -> keys = positive(a, v);
                    case "--steps" -> steps = positive(a, v);
                    case "--units" -> units = positive(a, v);
                    case "--backend" -> {
                        if (!v.equals("hashmap") && !v.equals("rocksdb")) throw new IllegalArgumentException("--backend: hashmap or rocksdb, got " + v);
                        backend = v;
                    }
                    case "--dir" -> dir = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("rnn4j flink-demo: " + e.getMessage());
            System.exit(2);
        }
        if (dir == null) dir = Files.createTempDirectory("rnn4j-flink-demo");
        Files.createDirectories(dir);
        long events = (long) keys * steps;

        Rnn4j.setRandomSeed(42);
        Model model = new Sequential(new LSTM(units).inputShape(steps, FEATURES), new Dense(1));
        Path modelFile = dir.resolve("model.keras");
        Models.save(model, modelFile);
        System.out.printf(Locale.ROOT, "rnn4j flink-demo: LSTM(%d) -> Dense(1) on %d keys x %d timesteps = %d events%n", units, keys, steps, events);
        System.out.printf(Locale.ROOT, "embedded Flink cluster: parallelism 2, %s state backend, a checkpoint every 500 ms, a task failure injected mid-stream%n",
                backend);
        System.out.println("work directory: " + dir);

        FailureInjector.clear();
        Configuration conf = InferenceJob.localConfiguration(dir.resolve("checkpoints").toUri().toString(), backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        env.enableCheckpointing(500);
        // At most 1/8 of the events per checkpoint: the stream spans at least eight checkpoints, so the failure
        // (after a quarter of a subtask's share and a completed checkpoint) falls mid-stream on any machine.
        DataStream<StreamEvent> source = InferenceJob.generator(env, keys, steps, FEATURES, (int) Math.max(1, events / 8));
        DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(modelFile.toUri().toString()))
                .batch(256, Duration.ofMillis(5))
                .apply(source, e -> e.key)
                .map(new FailureInjector<Prediction>(Math.max(1, events / 8))).returns(Prediction.class).name("failure injector");
        Path outDir = dir.resolve("predictions");
        InferenceJob.fileSink(out, outDir.toString());
        long t0 = System.nanoTime();
        env.execute("rnn4j flink-demo");
        double seconds = (System.nanoTime() - t0) / 1e9;
        int restarts = FailureInjector.highestAttempt();
        System.out.printf(Locale.ROOT, "job finished in %.1f s (%d restart(s)); predictions committed under %s%n", seconds, restarts, outDir);

        System.out.println("checking every key against stepping it alone in this process...");
        ExactlyOnceCheck.Result r = ExactlyOnceCheck.check(ExactlyOnceCheck.readCommitted(outDir), Models.load(modelFile), keys, steps,
                FEATURES, 1e-6);
        System.out.printf(Locale.ROOT, "missing: %d, duplicated: %d, beyond 1e-6: %d, unexpected: %d, largest difference: %.3g%n",
                r.missing(), r.duplicated(), r.wrong(), r.unexpected(), r.maxError());
        System.out.printf(Locale.ROOT, "keys: %d, events: %d, mismatches: %d, restarts: %d%n", keys, r.events(), r.mismatches(), restarts);
        System.exit(r.mismatches() == 0 && restarts >= 1 ? 0 : 1);
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) throw new IllegalArgumentException(option + " must be >= 1, got " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got " + v);
        }
    }
}
