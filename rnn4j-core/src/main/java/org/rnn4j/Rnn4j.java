package org.rnn4j;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Process-wide settings, like {@code keras.utils.set_random_seed} and {@code keras.backend.clear_session}.
 *
 * <pre>{@code
 * Rnn4j.setRandomSeed(42);   // weight initialisation, dropout and shuffling become reproducible bit for bit
 * Rnn4j.clearSession();      // layer names start again at "lstm", "dense", ...
 * }</pre>
 *
 * <p>Thread safety: every method is synchronised (thread-safe); the seed and the name counters are shared by all
 * threads. Draws from the global generator go through {@link #draw}, which holds the generator for the whole draw, so
 * two threads initialising or training different models never share it mid-draw.
 */
public final class Rnn4j {
    private static SplittableRandom random = new SplittableRandom();
    private static final Map<String, Integer> NAME_COUNTS = new HashMap<>();

    private Rnn4j() {}

    /**
     * Seeds the global generator used by initializers, dropout and shuffling.
     * Thread-safe: synchronised; the seed is shared by all threads.
     */
    public static synchronized void setRandomSeed(long seed) {
        random = new SplittableRandom(seed);
    }

    /**
     * Runs {@code use} on the global generator and returns what it returns; the draws of one call are consecutive
     * in the global stream (initializers, dropout masks and shuffling draw this way, reproducibly under
     * {@link #setRandomSeed} when one thread draws). Do not keep the generator beyond the call.
     * Thread-safe: synchronised; concurrent draws are serialised whole, never interleaved.
     */
    public static synchronized <T> T draw(java.util.function.Function<SplittableRandom, T> use) {
        return use.apply(random);
    }

    /**
     * A new generator drawn from the global one: reproducible under {@link #setRandomSeed}.
     * Thread-safe: synchronised; each call returns a new generator.
     */
    public static synchronized SplittableRandom newRandom() {
        return random.split();
    }

    /**
     * A process-unique layer or model name from a prefix, as Keras names them: {@code lstm}, {@code lstm_1}, ...
     * Thread-safe: synchronised; names are unique across threads.
     */
    public static synchronized String uniqueName(String prefix) {
        int n = NAME_COUNTS.merge(prefix, 1, Integer::sum) - 1;
        return n == 0 ? prefix : prefix + "_" + n;
    }

    /**
     * A process-unique name counted from one, as Keras 2 names its inputs: {@code input_1}, {@code input_2}, ...
     * Shares its counter with {@link #uniqueName}.
     * Thread-safe: synchronised; names are unique across threads.
     */
    public static synchronized String uniqueNameFromOne(String prefix) {
        return prefix + "_" + NAME_COUNTS.merge(prefix, 1, Integer::sum);
    }

    /** Forgets the names handed out so far (Keras's {@code clear_session}). Thread-safe: synchronised. */
    public static synchronized void clearSession() {
        NAME_COUNTS.clear();
    }
}
