package org.rnn4j.flink;

import java.util.Arrays;

/**
 * One timestep of one stream: the key (a sensor, a user, a device), a sequence number the sink can deduplicate on,
 * the timestep's features, and a reset flag that starts the key afresh (its state zeroed) before this timestep is
 * stepped. An event with {@code reset} and no features only clears the key's state and emits nothing.
 *
 * <p>A Flink POJO (public fields, no-argument constructor). Not thread-safe: a plain value.
 *
 * <pre>{@code
 * new StreamEvent("sensor-17", 42, new float[] {0.3f, 1.2f});
 * StreamEvent.reset("sensor-17", 43);
 * }</pre>
 */
public class StreamEvent {
    public String key;
    public long seq;
    public float[] features;
    public boolean reset;

    public StreamEvent() {}

    public StreamEvent(String key, long seq, float[] features) {
        this(key, seq, features, false);
    }

    public StreamEvent(String key, long seq, float[] features, boolean reset) {
        this.key = key;
        this.seq = seq;
        this.features = features;
        this.reset = reset;
    }

    /** An event that only clears the key's state. */
    public static StreamEvent reset(String key, long seq) { return new StreamEvent(key, seq, null, true); }

    @Override
    public String toString() {
        return "StreamEvent(" + key + ", " + seq + ", " + Arrays.toString(features) + (reset ? ", reset" : "") + ")";
    }
}
