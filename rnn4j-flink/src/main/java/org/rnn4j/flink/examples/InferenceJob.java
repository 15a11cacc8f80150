package org.rnn4j.flink.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rnn4j.flink.ModelSource;
import org.rnn4j.flink.Prediction;
import org.rnn4j.flink.RecurrentInference;
import org.rnn4j.flink.StreamEvent;

/**
 * The example job: events from a source (a generator, a text file, or a Kafka topic), stateful inference keyed by
 * the event's key, predictions to a sink (text files or a Kafka topic), both sinks exactly once (files are committed,
 * Kafka transactions closed, when a checkpoint completes).
 *
 * <pre>
 * flink run -c org.rnn4j.flink.examples.InferenceJob rnn4j-flink-0.1.0-SNAPSHOT-all.jar \
 *     --model s3://models/lstm.keras --source kafka:broker:9092/events --sink kafka:broker:9092/predictions
 * </pre>
 *
 * Options: {@code --model URI} (required), {@code --source generator:KEYS:STEPS | file:PATH | kafka:HOST:PORT/TOPIC},
 * {@code --sink file:DIR | kafka:HOST:PORT/TOPIC}, {@code --batch N} (128), {@code --batch-delay-ms T} (5),
 * {@code --checkpoint-ms MS} (1000).
 *
 * <p>Thread-safe: the static builders may be called from any thread (each builds its own pipeline piece).
 */
public final class InferenceJob {
    private InferenceJob() {}

    public static void main(String[] args) throws Exception {
        String model = null, source = "generator:1000:50", sink = null;
        int batch = RecurrentInference.DEFAULT_MAX_BATCH;
        long delay = RecurrentInference.DEFAULT_MAX_DELAY.toMillis(), checkpointMs = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
            String v = args[++i];
            switch (a) {
                case "--model" -> model = v;
                case "--source" -> source = v;
                case "--sink" -> sink = v;
                case "--batch" -> batch = Integer.parseInt(v);
                case "--batch-delay-ms" -> delay = Long.parseLong(v);
                case "--checkpoint-ms" -> checkpointMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (expected --model, --source, --sink, --batch, --batch-delay-ms, --checkpoint-ms)");
            }
        }
        if (model == null || sink == null) throw new IllegalArgumentException("--model URI and --sink file:DIR|kafka:HOST:PORT/TOPIC are required");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(checkpointMs);
        DataStream<StreamEvent> events = source(env, source);
        DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(model))
                .batch(batch, Duration.ofMillis(delay))
                .apply(events, e -> e.key);
        sink(out, sink);
        env.execute("rnn4j stateful inference");
    }

    /** A source from its description: {@code generator:KEYS:STEPS}, {@code file:PATH} or {@code kafka:HOST:PORT/TOPIC}. */
    public static DataStream<StreamEvent> source(StreamExecutionEnvironment env, String spec) {
        if (spec.startsWith("generator:")) {
            String[] p = spec.split(":");
            if (p.length != 3) throw new IllegalArgumentException("source " + spec + ": expected generator:KEYS:STEPS");
            return generator(env, Integer.parseInt(p[1]), Integer.parseInt(p[2]), 3, 0);
        }
        if (spec.startsWith("file:")) return file(env, spec.substring(5));
        if (spec.startsWith("kafka:")) {
            String[] p = kafka(spec);
            return kafka(env, p[0], p[1], false);
        }
        throw new IllegalArgumentException("source " + spec + ": expected generator:KEYS:STEPS, file:PATH or kafka:HOST:PORT/TOPIC");
    }

    /** Adds a sink from its description: {@code file:DIR} or {@code kafka:HOST:PORT/TOPIC}. */
    public static void sink(DataStream<Prediction> out, String spec) {
        if (spec.startsWith("file:")) {
            fileSink(out, spec.substring(5));
        } else if (spec.startsWith("kafka:")) {
            String[] p = kafka(spec);
            kafkaSink(out, p[0], p[1]);
        } else {
            throw new IllegalArgumentException("sink " + spec + ": expected file:DIR or kafka:HOST:PORT/TOPIC");
        }
    }

    private static String[] kafka(String spec) {
        String rest = spec.substring("kafka:".length());
        int slash = rest.lastIndexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) throw new IllegalArgumentException(spec + ": expected kafka:HOST:PORT/TOPIC");
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    /**
     * {@code keys x steps} events, interleaved (step 0 of every key, then step 1, ...), from one source task so each
     * key's events stay in order; features from {@link #features}. {@code perCheckpoint > 0} lets at most that many
     * events through per completed checkpoint (so a stream of N events spans at least N / perCheckpoint checkpoints,
     * however fast or slow the machine). The generator is checkpointed: after a restart it resumes where the
     * checkpoint was.
     */
    public static DataStream<StreamEvent> generator(StreamExecutionEnvironment env, int keys, int steps, int featureCount, int perCheckpoint) {
        long count = (long) keys * steps;
        DataGeneratorSource<StreamEvent> source = new DataGeneratorSource<>(
                i -> new StreamEvent("k" + (i % keys), i / keys, features((int) (i % keys), (int) (i / keys), featureCount)),
                count, perCheckpoint > 0 ? RateLimiterStrategy.perCheckpoint(perCheckpoint) : RateLimiterStrategy.noOp(),
                TypeInformation.of(StreamEvent.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "generated events").setParallelism(1);
    }

    /** The generator's features for step {@code t} of key {@code k}: seeded, so any process recomputes them. */
    public static float[] features(int k, int t, int featureCount) {
        SplittableRandom r = new SplittableRandom(k * 1_000_003L + t);
        float[] x = new float[featureCount];
        for (int i = 0; i < featureCount; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    /** The generator's events, in its order. */
    public static List<StreamEvent> generated(int keys, int steps, int featureCount) {
        List<StreamEvent> out = new ArrayList<>(keys * steps);
        for (int t = 0; t < steps; t++) for (int k = 0; k < keys; k++) out.add(new StreamEvent("k" + k, t, features(k, t, featureCount)));
        return out;
    }

    /** Event lines ({@link EventCsv}) from a file or directory on any Flink file system, read by one task (in order). */
    public static DataStream<StreamEvent> file(StreamExecutionEnvironment env, String path) {
        FileSource<String> source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(path)).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "event file").setParallelism(1)
                .filter(line -> !line.isBlank()).setParallelism(1)
                .map(EventCsv::parse).setParallelism(1).returns(StreamEvent.class);
    }

    /**
     * Event lines from a Kafka topic (producers key records by the event key, so each key's events stay in one
     * partition, in order). {@code bounded}: stop at the offsets that are latest when the job starts.
     */
    public static DataStream<StreamEvent> kafka(StreamExecutionEnvironment env, String bootstrap, String topic, boolean bounded) {
        var b = KafkaSource.<String>builder().setBootstrapServers(bootstrap).setTopics(topic).setGroupId("rnn4j-inference")
                .setStartingOffsets(OffsetsInitializer.earliest()).setValueOnlyDeserializer(new SimpleStringSchema())
                .setProperty("isolation.level", "read_committed");
        if (bounded) b.setBounded(OffsetsInitializer.latest());
        return env.fromSource(b.build(), WatermarkStrategy.noWatermarks(), "kafka " + topic)
                .map(EventCsv::parse).returns(StreamEvent.class);
    }

    /** Prediction lines into part files under {@code dir}, committed exactly once when checkpoints complete. */
    public static void fileSink(DataStream<Prediction> out, String dir) {
        out.map(EventCsv::format).returns(String.class)
                .sinkTo(FileSink.forRowFormat(new Path(dir), new SimpleStringEncoder<String>("UTF-8")).build())
                .name("prediction files");
    }

    /** Prediction lines into a Kafka topic, keyed by the event key, in transactions committed with each checkpoint. */
    public static void kafkaSink(DataStream<Prediction> out, String bootstrap, String topic) {
        KafkaSink<Prediction> sink = KafkaSink.<Prediction>builder()
                .setBootstrapServers(bootstrap)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("rnn4j-" + topic)
                .setProperty("transaction.timeout.ms", "600000")
                .setRecordSerializer(KafkaRecordSerializationSchema.<Prediction>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new PredictionKey())
                        .setValueSerializationSchema(new PredictionLine())
                        .build())
                .build();
        out.sinkTo(sink).name("kafka " + topic);
    }

    /** A prediction's Kafka key: its event key (so a key's predictions share a partition, in order). Thread-safe. */
    public static final class PredictionKey implements SerializationSchema<Prediction> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(Prediction p) { return p.key.getBytes(StandardCharsets.UTF_8); }
    }

    /** A prediction's Kafka value: its {@link EventCsv} line. Thread-safe. */
    public static final class PredictionLine implements SerializationSchema<Prediction> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(Prediction p) { return EventCsv.format(p).getBytes(StandardCharsets.UTF_8); }
    }

    /** A configuration for an embedded run: checkpoints under {@code checkpointDir}, the given state backend. */
    public static Configuration localConfiguration(String checkpointDir, String stateBackend) {
        Configuration c = new Configuration();
        c.setString("state.backend.type", stateBackend);
        c.setString("execution.checkpointing.dir", checkpointDir);
        c.setString("restart-strategy.type", "fixed-delay");
        c.setString("restart-strategy.fixed-delay.attempts", "3");
        c.setString("restart-strategy.fixed-delay.delay", "100 ms");
        c.setString("taskmanager.memory.managed.size", "256m");
        return c;
    }
}
