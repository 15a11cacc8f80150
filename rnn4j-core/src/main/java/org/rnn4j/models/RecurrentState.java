package org.rnn4j.models;

import java.util.Arrays;

/**
 * The recurrent state of one stream (a sensor, a user, a session) for a model's streaming API: the states of
 * every recurrent layer, independent of any batch position. Streams are advanced by {@link Model#step}; a state
 * can be saved with {@link #toBytes()} and brought back, in this process or another, with
 * {@link Model#restoreState(byte[])}.
 *
 * <p>A state is not itself synchronised: step one state from one thread at a time. Different states may be
 * stepped concurrently on one shared model.
 *
 * <pre>{@code
 * RecurrentState s = model.newState();
 * for (float[] x : readings) {
 *     float[] y = model.step(s, x);     // the output after this timestep
 * }
 * byte[] saved = s.toBytes();           // persist; later: model.restoreState(saved)
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: one state is stepped by one thread at a time; distinct states of one model may
 * be stepped concurrently.
 */
public final class RecurrentState {
    final StreamingPlan plan;
    /** {@code values[layer][state]}: state {@code state} of the plan's recurrent layer {@code layer}, {@code [units]}. */
    final float[][][] values;
    long steps;

    RecurrentState(StreamingPlan plan, float[][][] values, long steps) {
        this.plan = plan;
        this.values = values;
        this.steps = steps;
    }

    /** Timesteps taken since the state was created or reset. Not thread-safe: read while no thread steps this state. */
    public long steps() { return steps; }

    /**
     * Zeroes every state, as for a new stream (Keras's {@code reset_states()} for this stream alone).
     * Not thread-safe: confine a state to one thread at a time (distinct states are independent).
     */
    public void reset() {
        for (float[][] layer : values) for (float[] s : layer) Arrays.fill(s, 0f);
        steps = 0;
    }

    /**
     * An independent copy: both continue from here (a fork of the stream).
     * Not thread-safe for this state: do not step it meanwhile; the copy is independent.
     */
    public RecurrentState copy() {
        float[][][] v = new float[values.length][][];
        for (int l = 0; l < v.length; l++) {
            v[l] = new float[values[l].length][];
            for (int s = 0; s < v[l].length; s++) v[l][s] = values[l][s].clone();
        }
        return new RecurrentState(plan, v, steps);
    }

    /**
     * A copy of state {@code stateIndex} of the {@code recurrentLayer}-th recurrent layer of the model (0-based,
     * in layer order); for LSTM state 0 is {@code h} and 1 is {@code c}.
     * Not thread-safe: a copy of the values; do not step this state meanwhile.
     */
    public float[] get(int recurrentLayer, int stateIndex) {
        if (recurrentLayer < 0 || recurrentLayer >= values.length) {
            throw new IllegalArgumentException("The model has " + values.length + " recurrent layer(s), got index " + recurrentLayer);
        }
        if (stateIndex < 0 || stateIndex >= values[recurrentLayer].length) {
            throw new IllegalArgumentException("Recurrent layer " + recurrentLayer + " has " + values[recurrentLayer].length
                    + " state(s), got index " + stateIndex);
        }
        return values[recurrentLayer][stateIndex].clone();
    }

    /**
     * The state as bytes, tagged with a fingerprint of the model (its architecture and weight values), so that
     * {@link Model#restoreState(byte[])} refuses it on any other model. Costs one pass over the weights.
     * Not thread-safe for this state: do not step it meanwhile.
     */
    public byte[] toBytes() { return plan.toBytes(this); }

    /** Not thread-safe: read while no thread steps this state. */
    @Override
    public String toString() {
        return "RecurrentState(model \"" + plan.model.name() + "\", " + values.length + " recurrent layer(s), " + steps + " steps)";
    }
}
