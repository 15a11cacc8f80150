package org.rnn4j.flink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.MetricGroup;
import org.rnn4j.models.RecurrentState;

/**
 * The keys' recurrent states in Flink's keyed state, for the key Flink has set as current: loaded (from a small
 * per-instance cache of decoded states, or restored from the {@link KeyState} bytes, or carried over a model swap,
 * or new) and stored back after each step. Shared by {@link RecurrentInferenceOperator} and
 * {@link RecurrentInferenceFunction}.
 *
 * <p>The cache only saves work: an entry is used only while its step count matches what Flink's state holds, and it
 * is emptied on every model swap; Flink's state stays the one source of truth (checkpoints, restores, TTL).
 *
 * <p>Not thread-safe: confine to the task thread that owns the keyed state.
 */
final class KeyedStates {
    private final ValueState<KeyState> state;
    private final SwapRule swapRule;
    private final int cacheSize;
    private final LinkedHashMap<Object, RecurrentState> cache;
    private final InferenceMetrics metrics;
    private StateCodec codec;
    private long modelVersion;

    KeyedStates(ValueState<KeyState> state, StateCodec codec, long modelVersion, SwapRule swapRule, int cacheSize,
            MetricGroup group) {
        this.state = state;
        this.codec = codec;
        this.modelVersion = modelVersion;
        this.swapRule = swapRule;
        this.cacheSize = cacheSize;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, RecurrentState> eldest) { return size() > KeyedStates.this.cacheSize; }
        };
        this.metrics = new InferenceMetrics(group, cache::size, () -> this.modelVersion);
    }

    /** The descriptor of the keyed state, with processing-time TTL when {@code ttl} is given. */
    static ValueStateDescriptor<KeyState> descriptor(Duration ttl) {
        ValueStateDescriptor<KeyState> d = new ValueStateDescriptor<>("rnn4j-state", TypeInformation.of(KeyState.class));
        if (ttl != null) d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).updateTtlOnCreateAndWrite().neverReturnExpired().build());
        return d;
    }

    InferenceMetrics metrics() { return metrics; }

    StateCodec codec() { return codec; }

    long modelVersion() { return modelVersion; }

    /** Runs on a new model from now on; each key's old state meets the swap rule at its next {@link #load}. */
    void swap(StateCodec next, long version) {
        codec = next;
        modelVersion = version;
        cache.clear();
    }

    /** A fresh state for the current key (an explicit reset). */
    RecurrentState fresh() {
        metrics.keysReset.inc();
        return codec.model().newState();
    }

    /** Drops the current key's state. */
    void clear(Object key) {
        state.clear();
        cache.remove(key);
    }

    /** The current key's state on the running model: cached, restored, carried over a swap, or new. */
    RecurrentState load(Object key) throws Exception {
        KeyState ks = state.value();
        if (ks == null) { // never seen, or expired
            cache.remove(key);
            metrics.keysCreated.inc();
            return codec.model().newState();
        }
        if (ks.modelVersion != modelVersion) {
            if (swapRule == SwapRule.KEEP_IF_COMPATIBLE && ks.signature == codec.signature() && ks.values.length == codec.size()) {
                return codec.decode(ks.values, ks.steps);
            }
            metrics.keysCreated.inc();
            return codec.model().newState();
        }
        RecurrentState cached = cache.get(key);
        if (cached != null && cached.steps() == ks.steps) return cached;
        return codec.decode(ks.values, ks.steps);
    }

    /** Stores the current key's state after a step. */
    void store(Object key, RecurrentState s) throws Exception {
        state.update(new KeyState(s.steps(), modelVersion, codec.signature(), codec.encode(s)));
        if (cacheSize > 0) cache.put(key, s);
    }
}
