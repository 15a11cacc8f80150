package org.rnn4j.layers.recurrent;

/**
 * A cell's own one-timestep path for the streaming API, with the cell's weights as they were when it was made
 * ({@link RecurrentCell#packStreamStep}): the caller makes a new one when the weights change.
 *
 * <pre>{@code
 * StreamStep s = cell.packStreamStep();   // a built cell's weights as they are now; null where a cell has none
 * float[][] states = {h, c};              // an LSTM cell's two states, each [n * units]
 * s.step(n, x, states, states);           // n streams one timestep on, states updated in place
 * }</pre>
 *
 * <p>Thread safety: implementations are thread-safe: they read their packed weights and write only the given state
 * arrays.
 */
@FunctionalInterface
public interface StreamStep {
    /**
     * Advances {@code n} streams: {@code x [n, input_dim]}, {@code states[s]} state s before ({@code [n * units]});
     * writes the states after into {@code next[s]}, which may be {@code states[s]} (updated in place).
     * Thread-safe: reads its packed weights and thread-local scratch; calls on distinct state arrays are independent.
     */
    void step(int n, float[] x, float[][] states, float[][] next);
}
