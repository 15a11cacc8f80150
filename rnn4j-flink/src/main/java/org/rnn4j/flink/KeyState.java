package org.rnn4j.flink;

/**
 * What Flink's keyed state holds for one key: the {@linkplain StateCodec compact} recurrent state, its step count,
 * and the version and {@linkplain StateCodec#signature() signature} of the model that made it (for the hot-swap
 * rule). About {@code 4 * stateValues + 32} bytes per key in a checkpoint.
 *
 * <p>A Flink POJO, replaced (never modified) on every update, as the heap backend's copy-on-write snapshots need.
 * Not thread-safe: a plain value.
 */
public class KeyState {
    public long steps;
    public long modelVersion;
    public long signature;
    public float[] values;

    public KeyState() {}

    public KeyState(long steps, long modelVersion, long signature, float[] values) {
        this.steps = steps;
        this.modelVersion = modelVersion;
        this.signature = signature;
        this.values = values;
    }
}
