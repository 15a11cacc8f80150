package org.rnn4j.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.rnn4j.models.RecurrentState;

/**
 * The keyed operator behind {@link RecurrentInference}: each key's {@link RecurrentState} lives in Flink's keyed
 * state (as a {@link KeyState}, through {@link StateCodec}), so it is checkpointed, restored after a failure and
 * redistributed on rescaling like any Flink state, on the heap or the RocksDB backend.
 *
 * <p><b>Batching.</b> Events are buffered until {@code maxBatch} are waiting or {@code maxDelay} has passed since
 * the first, then stepped together: the buffer is cut into rounds (round r holds each key's r-th buffered event),
 * and each round is one batched {@code model.step(states, xs)} call, so each key's events are stepped and emitted
 * in their arrival order. The buffer is emptied before every checkpoint barrier, watermark, model swap and at the
 * end of input, so a checkpoint never holds half-processed events and outputs never fall behind a watermark.
 *
 * <p><b>Lifecycle.</b> Optional state TTL (Flink's processing-time {@link StateTtlConfig}: an idle key's state is
 * dropped, and the key starts afresh if it comes back); an event with {@link StreamEvent#reset} starts its key
 * afresh; a {@link ModelUpdate} on the second (broadcast) input swaps the model, and each key's old state is
 * reset or kept by the {@link SwapRule} the next time the key has an event. The running model's URI and version
 * are in operator state, so a restart resumes on the model of the checkpoint.
 *
 * <p>Decoded states are cached per operator instance (up to {@code cacheSize} keys, least recently used out;
 * {@link KeyedStates}): restoring a state costs a pass over the model's weights, stepping one costs much less.
 *
 * <p>Not thread-safe: Flink calls it from one task thread. Several instances in one JVM share the model
 * ({@link SharedModels}).
 */
public final class RecurrentInferenceOperator extends AbstractStreamOperator<Prediction>
        implements OneInputStreamOperator<StreamEvent, Prediction>, TwoInputStreamOperator<StreamEvent, ModelUpdate, Prediction>,
        BoundedOneInput, BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final int maxBatch;
    private final long maxDelayMillis;
    private final Duration stateTtl;
    private final SwapRule swapRule;
    private final EmitPolicy emitPolicy;
    private final int cacheSize;

    private transient String modelUri;
    private transient long modelVersion;
    private transient KeyedStates states;
    private transient ListState<ModelUpdate> modelState;
    private transient List<Pending> buffer;
    private transient boolean timerPending;

    /** One buffered event, with its key and timestamp. */
    private record Pending(Object key, StreamEvent event, long timestamp, boolean hasTimestamp) {}

    /**
     * Usually built by {@link RecurrentInference}. {@code maxBatch} 1 steps every event on its own; {@code stateTtl}
     * null keeps states forever. Not thread-safe: one instance per parallel task, made by Flink.
     */
    public RecurrentInferenceOperator(ModelSource source, int maxBatch, Duration maxDelay, Duration stateTtl, SwapRule swapRule,
            EmitPolicy emitPolicy, int cacheSize) {
        if (source == null) throw new IllegalArgumentException("RecurrentInferenceOperator: model source is null");
        if (maxBatch < 1) throw new IllegalArgumentException("RecurrentInferenceOperator: maxBatch must be >= 1, got " + maxBatch);
        if (maxDelay == null || maxDelay.isNegative()) {
            throw new IllegalArgumentException("RecurrentInferenceOperator: maxDelay must be >= 0, got " + maxDelay);
        }
        if (stateTtl != null && (stateTtl.isNegative() || stateTtl.isZero())) {
            throw new IllegalArgumentException("RecurrentInferenceOperator: stateTtl must be positive, got " + stateTtl);
        }
        if (cacheSize < 0) throw new IllegalArgumentException("RecurrentInferenceOperator: cacheSize must be >= 0, got " + cacheSize);
        this.source = source;
        this.maxBatch = maxBatch;
        this.maxDelayMillis = maxDelay.toMillis();
        this.stateTtl = stateTtl;
        this.swapRule = swapRule == null ? SwapRule.RESET : swapRule;
        this.emitPolicy = emitPolicy == null ? EmitPolicy.everyEvent() : emitPolicy;
        this.cacheSize = cacheSize;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("rnn4j-model", TypeInformation.of(ModelUpdate.class)));
        modelUri = source.uri();
        modelVersion = source.version();
        if (context.isRestored()) {
            for (ModelUpdate m : modelState.get()) {
                if (m.version > modelVersion) {
                    modelUri = m.uri;
                    modelVersion = m.version;
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueState<KeyState> keyState = getPartitionedState(KeyedStates.descriptor(stateTtl));
        states = new KeyedStates(keyState, SharedModels.acquire(modelUri), modelVersion, swapRule, cacheSize, getMetricGroup());
        buffer = new ArrayList<>();
    }

    // ---------------------------------------------------------------- input

    @Override
    public void processElement(StreamRecord<StreamEvent> record) throws Exception {
        StreamEvent e = record.getValue();
        if (e == null || e.key == null) throw new IllegalArgumentException("rnn4j inference: an event without a key: " + e);
        buffer.add(new Pending(getCurrentKey(), e, record.getTimestamp(), record.hasTimestamp()));
        if (buffer.size() >= maxBatch || maxDelayMillis == 0) {
            flush();
        } else if (!timerPending) {
            timerPending = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + maxDelayMillis, t -> {
                timerPending = false;
                flush();
            });
        }
    }

    @Override
    public void processElement1(StreamRecord<StreamEvent> record) throws Exception { processElement(record); }

    @Override
    public void processElement2(StreamRecord<ModelUpdate> record) throws Exception {
        ModelUpdate u = record.getValue();
        if (u == null || u.uri == null || u.version <= modelVersion) return; // old or replayed: the running model stays
        flush(); // events that came before the update are stepped on the model they came to
        StateCodec next = SharedModels.acquire(u.uri);
        SharedModels.release(modelUri);
        modelUri = u.uri;
        modelVersion = u.version;
        states.swap(next, u.version);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        modelState.update(List.of(new ModelUpdate(modelUri, modelVersion)));
    }

    @Override
    public void endInput() throws Exception { flush(); }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (states != null) {
            SharedModels.release(modelUri);
            states = null;
        }
        super.close();
    }

    // ---------------------------------------------------------------- stepping

    /** Steps every buffered event: round r holds each key's r-th buffered event, one batched step per round. */
    private void flush() throws Exception {
        if (buffer.isEmpty()) return;
        List<Pending> pending = buffer;
        buffer = new ArrayList<>();
        Map<Object, Integer> seen = new HashMap<>();
        List<List<Pending>> rounds = new ArrayList<>();
        for (Pending p : pending) {
            int r = seen.merge(p.key(), 1, Integer::sum) - 1;
            if (r == rounds.size()) rounds.add(new ArrayList<>());
            rounds.get(r).add(p);
        }
        for (List<Pending> round : rounds) step(round);
    }

    private void step(List<Pending> round) throws Exception {
        List<Pending> stepping = new ArrayList<>(round.size());
        List<RecurrentState> batch = new ArrayList<>(round.size());
        List<float[]> xs = new ArrayList<>(round.size());
        for (Pending p : round) {
            setCurrentKey(p.key());
            StreamEvent e = p.event();
            if (e.features == null) {
                if (!e.reset) {
                    throw new IllegalArgumentException("rnn4j inference: event " + e.seq + " of key \"" + e.key
                            + "\" has no features (only a reset event may have none)");
                }
                states.fresh();
                states.clear(p.key()); // a reset alone: nothing to step
                continue;
            }
            stepping.add(p);
            batch.add(e.reset ? states.fresh() : states.load(p.key()));
            xs.add(e.features);
        }
        if (stepping.isEmpty()) return;
        StateCodec codec = states.codec();
        InferenceMetrics metrics = states.metrics();
        float[][] ys;
        long t0 = System.nanoTime();
        try {
            ys = codec.model().step(batch, xs.toArray(new float[0][]));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("rnn4j inference: stepping keys " + describe(stepping) + " on model "
                    + modelUri + " (version " + modelVersion + "): " + ex.getMessage(), ex);
        }
        metrics.stepLatencyMicros.update((System.nanoTime() - t0) / 1000);
        metrics.batchSize.update(stepping.size());
        metrics.events.inc(stepping.size());
        for (int i = 0; i < stepping.size(); i++) {
            Pending p = stepping.get(i);
            RecurrentState s = batch.get(i);
            setCurrentKey(p.key());
            states.store(p.key(), s);
            if (emitPolicy.emits(s.steps(), ys[i])) {
                Prediction out = new Prediction(p.event().key, p.event().seq, s.steps(), modelVersion, ys[i]);
                output.collect(p.hasTimestamp() ? new StreamRecord<>(out, p.timestamp()) : new StreamRecord<>(out));
            }
        }
    }

    private static String describe(List<Pending> ps) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(3, ps.size()); i++) {
            b.append(i == 0 ? "" : ", ").append('"').append(ps.get(i).event().key).append("\" (event ").append(ps.get(i).event().seq).append(')');
        }
        if (ps.size() > 3) b.append(" and ").append(ps.size() - 3).append(" more");
        return b.toString();
    }
}
