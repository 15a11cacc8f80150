package org.rnn4j.flink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.rnn4j.Rnn4j;
import org.rnn4j.flink.KeyState;
import org.rnn4j.flink.ModelSource;
import org.rnn4j.flink.Prediction;
import org.rnn4j.flink.RecurrentInference;
import org.rnn4j.flink.StateCodec;
import org.rnn4j.flink.StreamEvent;
import org.rnn4j.flink.examples.InferenceJob;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.models.Sequential;

/**
 * The figures for BENCHMARKS.md's Flink section (run by {@code bench/flink-bench.sh}; not a test):
 * <ol>
 *   <li>events/s for LSTM(units) -> Dense(1) with {@code --keys} keys on an embedded MiniCluster at parallelism 2
 *       (heap state, then RocksDB), batched ({@code --batch}, 5 ms) and one event per step: events counted at the
 *       sink over {@code --seconds} after {@code --warmup} seconds (counted from the first prediction), divided by 2
 *       for events/s per core;</li>
 *   <li>state bytes per key: Flink's serialized {@link KeyState}, beside {@code RecurrentState.toBytes()};</li>
 *   <li>checkpoint size and time for {@code --checkpoint-keys} keys on RocksDB (full, not incremental): every key
 *       stepped once, then one checkpoint triggered; its state size and end-to-end duration from Flink's statistics.</li>
 * </ol>
 *
 * <pre>
 * bench/flink-bench.sh                        # LSTM(64), 1e5 keys, 1e6 keys for the checkpoint
 * bench/flink-bench.sh --keys 1000 --checkpoint-keys 10000 --seconds 3 --warmup 2   # a quick look
 * </pre>
 *
 * <p>Not thread-safe: a program.
 */
public final class FlinkScaleBench {
    private static final int FEATURES = 3;
    /** Predictions that reached the sink, in this JVM (the MiniCluster runs here). */
    static final LongAdder SEEN = new LongAdder();

    private FlinkScaleBench() {}

    /** Counts predictions on their way to the discarding sink. */
    static final class Count implements MapFunction<Prediction, Prediction> {
        private static final long serialVersionUID = 1L;

        @Override
        public Prediction map(Prediction p) {
            SEEN.increment();
            return p;
        }
    }

    public static void main(String[] args) throws Exception {
        int keys = 100_000, checkpointKeys = 1_000_000, units = 64, batch = 128;
        double seconds = 20, warmup = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[i + 1]);
                case "--checkpoint-keys" -> checkpointKeys = Integer.parseInt(args[i + 1]);
                case "--units" -> units = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmup = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--keys, --checkpoint-keys, --units, --batch, --seconds, --warmup)");
            }
        }
        Path dir = Files.createTempDirectory("rnn4j-flink-bench");
        Rnn4j.setRandomSeed(1);
        Model model = new Sequential(new LSTM(units).inputShape(1, FEATURES), new Dense(1));
        Path file = dir.resolve("model.keras");
        Models.save(model, file);
        String uri = file.toUri().toString();
        System.out.printf(Locale.ROOT, "rnn4j-flink scale bench: LSTM(%d) -> Dense(1), %d features, %d cores available, java %s%n",
                units, FEATURES, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        stateBytes(model);
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            for (int b : new int[] {batch, 1}) {
                double rate = throughput(dir, uri, backend, keys, b, warmup, seconds);
                System.out.printf(Locale.ROOT, "throughput %-8s keys %d batch %3d: %,.0f events/s at parallelism 2 = %,.0f events/s per core%n",
                        backend, keys, b, rate, rate / 2);
            }
        }
        checkpoint(dir, uri, checkpointKeys, batch);
    }

    private static void stateBytes(Model model) throws Exception {
        StateCodec codec = StateCodec.of(model);
        RecurrentState s = model.newState();
        model.step(s, new float[FEATURES]);
        KeyState ks = new KeyState(s.steps(), 0, codec.signature(), codec.encode(s));
        TypeSerializer<KeyState> serializer = TypeInformation.of(KeyState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(ks, out);
        System.out.printf(Locale.ROOT, "state bytes per key: %d in Flink's state (%d state floats); RecurrentState.toBytes(): %d%n",
                out.length(), codec.size(), s.toBytes().length);
    }

    private static MiniCluster cluster(Configuration conf) throws Exception {
        MiniCluster c = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        c.start();
        return c;
    }

    /** An endless stream over {@code keys} keys (key i % keys, its step i / keys). */
    private static DataStream<StreamEvent> endless(StreamExecutionEnvironment env, int keys) {
        DataGeneratorSource<StreamEvent> source = new DataGeneratorSource<>(
                i -> new StreamEvent("k" + (i % keys), i / keys, InferenceJob.features((int) (i % keys), (int) (i / keys), FEATURES)),
                Long.MAX_VALUE, RateLimiterStrategy.noOp(), TypeInformation.of(StreamEvent.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "endless events").setParallelism(1);
    }

    private static JobID submit(MiniCluster cluster, String dir, String backend, String uri, int keys, int batch, long checkpointMs)
            throws Exception {
        Configuration conf = InferenceJob.localConfiguration(dir, backend);
        conf.setString("state.backend.incremental", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        if (checkpointMs > 0) env.enableCheckpointing(checkpointMs);
        RecurrentInference.with(ModelSource.of(uri)).batch(batch, Duration.ofMillis(5)).apply(endless(env, keys), e -> e.key)
                .map(new Count()).sinkTo(new DiscardingSink<>());
        return cluster.submitJob(env.getStreamGraph()).get().getJobID();
    }

    private static double throughput(Path dir, String uri, String backend, int keys, int batch, double warmup, double seconds)
            throws Exception {
        Configuration conf = new Configuration();
        try (MiniCluster cluster = cluster(conf)) {
            SEEN.reset();
            JobID job = submit(cluster, dir.resolve("chk-" + backend + batch).toUri().toString(), backend, uri, keys, batch, 10_000);
            waitForFirstEvents();
            sleep(warmup);
            long n0 = SEEN.sum(), t0 = System.nanoTime();
            sleep(seconds);
            long n1 = SEEN.sum(), t1 = System.nanoTime();
            cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
            return (n1 - n0) / ((t1 - t0) / 1e9);
        }
    }

    private static void checkpoint(Path dir, String uri, int keys, int batch) throws Exception {
        try (MiniCluster cluster = cluster(new Configuration())) {
            SEEN.reset();
            // Checkpoints only when asked (a very long interval), so the measured one is the only one running.
            JobID job = submit(cluster, dir.resolve("chk-1e6").toUri().toString(), "rocksdb", uri, keys, batch, 3_600_000);
            waitForFirstEvents();
            long start = System.nanoTime();
            while (SEEN.sum() < keys) sleep(0.2);
            double fill = (System.nanoTime() - start) / 1e9;
            long t0 = System.nanoTime();
            long id = cluster.triggerCheckpoint(job, CheckpointType.FULL).get(30, TimeUnit.MINUTES);
            double wall = (System.nanoTime() - t0) / 1e9;
            AbstractCheckpointStats stats = cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot().getHistory().getCheckpointById(id);
            System.out.printf(Locale.ROOT, "checkpoint rocksdb (full) with %,d keys (filled in %.1f s): state %,d bytes (%.0f per key), "
                    + "end-to-end %d ms (%.1f s as seen by the caller)%n",
                    keys, fill, stats.getStateSize(), stats.getStateSize() / (double) keys, stats.getEndToEndDuration(), wall);
            cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
        }
    }

    /** Deploying a job takes seconds: the warm-up starts with the first prediction. */
    private static void waitForFirstEvents() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (SEEN.sum() == 0) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no prediction within 5 minutes of submitting the job");
            sleep(0.1);
        }
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
