package org.rnn4j.flink;

import java.io.Serializable;

/**
 * Which events produce an output. Every event is stepped (the state always advances); the policy only filters what
 * is emitted: every event (the default), every k-th step of a key ({@code steps % k == 0}), or only when output
 * {@code index} is at or above a threshold (an anomaly score), or both.
 *
 * <pre>{@code
 * EmitPolicy.everyEvent()
 * EmitPolicy.everyKth(10)                  // steps 10, 20, 30, ... of each key
 * EmitPolicy.atOrAbove(0, 0.9f)            // only scores >= 0.9
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class EmitPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int every;
    private final int index;
    private final float threshold;

    private EmitPolicy(int every, int index, float threshold) {
        if (every < 1) throw new IllegalArgumentException("EmitPolicy: every must be >= 1, got " + every);
        if (index < 0) throw new IllegalArgumentException("EmitPolicy: the output index must be >= 0, got " + index);
        this.every = every;
        this.index = index;
        this.threshold = threshold;
    }

    /** An output for every event. Thread-safe. */
    public static EmitPolicy everyEvent() { return new EmitPolicy(1, 0, Float.NaN); }

    /** An output for steps k, 2k, 3k, ... of each key (counted since the key started or was reset). Thread-safe. */
    public static EmitPolicy everyKth(int k) { return new EmitPolicy(k, 0, Float.NaN); }

    /** An output only when {@code output[index] >= threshold}. Thread-safe. */
    public static EmitPolicy atOrAbove(int index, float threshold) {
        if (Float.isNaN(threshold)) throw new IllegalArgumentException("EmitPolicy.atOrAbove: the threshold is NaN");
        return new EmitPolicy(1, index, threshold);
    }

    /** This policy, further limited to every k-th step. Thread-safe. */
    public EmitPolicy andEveryKth(int k) { return new EmitPolicy(k, index, threshold); }

    /** Whether the output after a key's {@code steps}-th step is emitted. Thread-safe. */
    public boolean emits(long steps, float[] output) {
        if (steps % every != 0) return false;
        if (Float.isNaN(threshold)) return true;
        if (index >= output.length) {
            throw new IllegalArgumentException("EmitPolicy: threshold on output " + index + ", but the model has "
                    + output.length + " output value(s)");
        }
        return output[index] >= threshold;
    }

    @Override
    public String toString() {
        return "EmitPolicy(every " + every + (Float.isNaN(threshold) ? "" : ", output[" + index + "] >= " + threshold) + ")";
    }
}
