package org.rnn4j.flink;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.rnn4j.models.RecurrentState;

/**
 * Stateful recurrent inference as a plain {@link KeyedProcessFunction}, for pipelines built from functions: each
 * event of a key is stepped on its own (no batching, no model hot swap; {@link RecurrentInference} builds the
 * operator that has both). The key's state lives in Flink's keyed state exactly as the operator keeps it, with the
 * optional TTL, reset events and emit policy.
 *
 * <pre>{@code
 * events.keyBy(e -> e.key)
 *       .process(new RecurrentInferenceFunction<>(ModelSource.of("hdfs:///models/lstm.keras")))
 * }</pre>
 *
 * <p>Not thread-safe: Flink calls each instance from one task thread; instances in one JVM share the model.
 */
public final class RecurrentInferenceFunction<K> extends KeyedProcessFunction<K, StreamEvent, Prediction> {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final Duration stateTtl;
    private final EmitPolicy emitPolicy;
    private final int cacheSize;
    private transient KeyedStates states;

    /** Every event emitted, no TTL. Not thread-safe. */
    public RecurrentInferenceFunction(ModelSource source) {
        this(source, null, EmitPolicy.everyEvent(), RecurrentInference.DEFAULT_CACHE_SIZE);
    }

    /** {@code stateTtl} null keeps states forever; {@code cacheSize} decoded states kept in memory. Not thread-safe. */
    public RecurrentInferenceFunction(ModelSource source, Duration stateTtl, EmitPolicy emitPolicy, int cacheSize) {
        if (source == null) throw new IllegalArgumentException("RecurrentInferenceFunction: model source is null");
        if (stateTtl != null && (stateTtl.isNegative() || stateTtl.isZero())) {
            throw new IllegalArgumentException("RecurrentInferenceFunction: stateTtl must be positive, got " + stateTtl);
        }
        if (cacheSize < 0) throw new IllegalArgumentException("RecurrentInferenceFunction: cacheSize must be >= 0, got " + cacheSize);
        this.source = source;
        this.stateTtl = stateTtl;
        this.emitPolicy = emitPolicy == null ? EmitPolicy.everyEvent() : emitPolicy;
        this.cacheSize = cacheSize;
    }

    @Override
    public void open(OpenContext context) {
        states = new KeyedStates(getRuntimeContext().getState(KeyedStates.descriptor(stateTtl)), SharedModels.acquire(source.uri()),
                source.version(), SwapRule.RESET, cacheSize, getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(StreamEvent e, Context ctx, Collector<Prediction> out) throws Exception {
        Object key = ctx.getCurrentKey();
        if (e.features == null) {
            if (!e.reset) {
                throw new IllegalArgumentException("rnn4j inference: event " + e.seq + " of key \"" + e.key
                        + "\" has no features (only a reset event may have none)");
            }
            states.fresh();
            states.clear(key);
            return;
        }
        RecurrentState s = e.reset ? states.fresh() : states.load(key);
        long t0 = System.nanoTime();
        float[] y;
        try {
            y = states.codec().model().step(s, e.features);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("rnn4j inference: stepping key \"" + e.key + "\" (event " + e.seq + ") on model "
                    + source + ": " + ex.getMessage(), ex);
        }
        states.metrics().stepLatencyMicros.update((System.nanoTime() - t0) / 1000);
        states.metrics().batchSize.update(1);
        states.metrics().events.inc();
        states.store(key, s);
        if (emitPolicy.emits(s.steps(), y)) out.collect(new Prediction(e.key, e.seq, s.steps(), states.modelVersion(), y));
    }

    @Override
    public void close() {
        if (states != null) {
            SharedModels.release(source.uri());
            states = null;
        }
    }
}
