package org.rnn4j.flink;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Stateful recurrent inference on a Flink {@code DataStream}: one {@link org.rnn4j.models.RecurrentState} per key,
 * kept in Flink's keyed state and checkpointed with it (exactly once), the model loaded once per task manager JVM,
 * and the model's output emitted for each event.
 *
 * <pre>{@code
 * DataStream<StreamEvent> events = ...;                     // key, sequence number, features (, reset)
 * DataStream<Prediction> out = RecurrentInference.apply(events, e -> e.key, ModelSource.of("s3://models/lstm.keras"));
 *
 * DataStream<Prediction> tuned = RecurrentInference.with(ModelSource.of("hdfs:///models/v1/lstm.keras", 1))
 *         .batch(256, Duration.ofMillis(5))                 // up to 256 events or 5 ms per batched step
 *         .stateTtl(Duration.ofDays(7))                     // idle keys expire
 *         .modelUpdates(updates, SwapRule.KEEP_IF_COMPATIBLE) // hot swap from a stream of ModelUpdate
 *         .emit(EmitPolicy.atOrAbove(0, 0.9f))              // anomaly alerts only
 *         .apply(events, e -> e.key);
 * }</pre>
 *
 * <p>Not thread-safe: build a pipeline from one thread (as any Flink job graph).
 */
public final class RecurrentInference implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Events per batched step and the longest wait for a batch to fill, unless set. */
    public static final int DEFAULT_MAX_BATCH = 128;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(5);
    /** Decoded states kept in memory per parallel instance, unless set. */
    public static final int DEFAULT_CACHE_SIZE = 100_000;

    private final ModelSource source;
    private int maxBatch = DEFAULT_MAX_BATCH;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private Duration stateTtl;
    private transient DataStream<ModelUpdate> updates;
    private SwapRule swapRule = SwapRule.RESET;
    private EmitPolicy emitPolicy = EmitPolicy.everyEvent();
    private int cacheSize = DEFAULT_CACHE_SIZE;
    private String uid = "rnn4j-inference";

    private RecurrentInference(ModelSource source) {
        if (source == null) throw new IllegalArgumentException("RecurrentInference: model source is null");
        this.source = source;
    }

    /** Inference with the defaults: batches of up to 128 events or 5 ms, no TTL, every event emitted. Not thread-safe. */
    public static <K> SingleOutputStreamOperator<Prediction> apply(DataStream<StreamEvent> events, KeySelector<StreamEvent, K> keys,
            ModelSource model) {
        return with(model).apply(events, keys);
    }

    /** A builder for inference with this model. Not thread-safe. */
    public static RecurrentInference with(ModelSource model) { return new RecurrentInference(model); }

    /**
     * Events for different keys that arrive within {@code maxDelay} of each other, up to {@code maxBatch}, are
     * stepped in one batched call; {@code batch(1, Duration.ZERO)} steps each event alone. Not thread-safe.
     */
    public RecurrentInference batch(int maxBatch, Duration maxDelay) {
        if (maxBatch < 1) throw new IllegalArgumentException("batch: maxBatch must be >= 1, got " + maxBatch);
        if (maxDelay == null || maxDelay.isNegative()) throw new IllegalArgumentException("batch: maxDelay must be >= 0, got " + maxDelay);
        this.maxBatch = maxBatch;
        this.maxDelay = maxDelay;
        return this;
    }

    /** A key's state is dropped after {@code ttl} without events (processing time); it then starts afresh. Not thread-safe. */
    public RecurrentInference stateTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("stateTtl: must be positive, got " + ttl);
        this.stateTtl = ttl;
        return this;
    }

    /** New model versions, broadcast to every parallel instance; {@code rule} decides what happens to old states. Not thread-safe. */
    public RecurrentInference modelUpdates(DataStream<ModelUpdate> updates, SwapRule rule) {
        if (updates == null) throw new IllegalArgumentException("modelUpdates: the stream is null");
        this.updates = updates;
        return swapRule(rule);
    }

    /** What a model swap does to the old states ({@link SwapRule#RESET} unless set). Not thread-safe. */
    public RecurrentInference swapRule(SwapRule rule) {
        this.swapRule = rule == null ? SwapRule.RESET : rule;
        return this;
    }

    /** Which events produce an output (every event unless set). Not thread-safe. */
    public RecurrentInference emit(EmitPolicy policy) {
        if (policy == null) throw new IllegalArgumentException("emit: policy is null");
        this.emitPolicy = policy;
        return this;
    }

    /** Decoded states held in memory per parallel instance (0: restore every state from Flink's state). Not thread-safe. */
    public RecurrentInference cacheSize(int keys) {
        if (keys < 0) throw new IllegalArgumentException("cacheSize: must be >= 0, got " + keys);
        this.cacheSize = keys;
        return this;
    }

    /** The operator's uid, which savepoints use to find its state ("rnn4j-inference" unless set). Not thread-safe. */
    public RecurrentInference uid(String uid) {
        if (uid == null || uid.isBlank()) throw new IllegalArgumentException("uid: is empty");
        this.uid = uid;
        return this;
    }

    /** The operator with this builder's settings. Not thread-safe. */
    public RecurrentInferenceOperator operator() {
        return new RecurrentInferenceOperator(source, maxBatch, maxDelay, stateTtl, swapRule, emitPolicy, cacheSize);
    }

    /** Keys the events by {@code keys} and adds the inference operator: one {@link Prediction} per emitted event. Not thread-safe. */
    public <K> SingleOutputStreamOperator<Prediction> apply(DataStream<StreamEvent> events, KeySelector<StreamEvent, K> keys) {
        if (events == null || keys == null) throw new IllegalArgumentException("apply: the events and the key selector are needed");
        KeyedStream<StreamEvent, K> keyed = events.keyBy(keys);
        TypeInformation<Prediction> type = TypeInformation.of(Prediction.class);
        SingleOutputStreamOperator<Prediction> out = updates == null
                ? keyed.transform("rnn4j inference", type, (org.apache.flink.streaming.api.operators.OneInputStreamOperator<StreamEvent, Prediction>) operator())
                : keyed.connect(updates.broadcast()).transform("rnn4j inference", type,
                        (org.apache.flink.streaming.api.operators.TwoInputStreamOperator<StreamEvent, ModelUpdate, Prediction>) operator());
        return out.uid(uid);
    }
}
