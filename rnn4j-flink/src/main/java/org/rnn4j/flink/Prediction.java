package org.rnn4j.flink;

import java.util.Arrays;

/**
 * The model's output for one event: the event's key and sequence number, the key's step count after it (1 for the
 * first event after a start or a reset), the version of the model that computed it, and the output values.
 *
 * <p>A Flink POJO (public fields, no-argument constructor). Not thread-safe: a plain value.
 */
public class Prediction {
    public String key;
    public long seq;
    public long steps;
    public long modelVersion;
    public float[] output;

    public Prediction() {}

    public Prediction(String key, long seq, long steps, long modelVersion, float[] output) {
        this.key = key;
        this.seq = seq;
        this.steps = steps;
        this.modelVersion = modelVersion;
        this.output = output;
    }

    @Override
    public String toString() {
        return "Prediction(" + key + ", " + seq + ", steps " + steps + ", model " + modelVersion + ", "
                + Arrays.toString(output) + ")";
    }
}
