package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The process-wide settings, as Keras's {@code set_random_seed} and {@code clear_session}: a seed makes the global
 * stream (and generators split from it) repeat; names count per prefix, Keras's way, until the session is cleared.
 */
class Rnn4jTest {
    @AfterEach
    void reseed() { Rnn4j.setRandomSeed(System.nanoTime()); }

    @Test
    void aSeedFixesTheGlobalStreamAndWhatIsSplitFromIt() {
        Rnn4j.setRandomSeed(42);
        long first = Rnn4j.draw(SplittableRandom::nextLong), second = Rnn4j.draw(SplittableRandom::nextLong);
        long split = Rnn4j.newRandom().nextLong();
        SplittableRandom expected = new SplittableRandom(42);
        assertEquals(expected.nextLong(), first, "first draw after setRandomSeed(42)");
        assertEquals(expected.nextLong(), second, "second draw: consecutive in the same stream");
        assertEquals(expected.split().nextLong(), split, "newRandom is split from the global stream");

        Rnn4j.setRandomSeed(42);
        assertEquals(first, (long) Rnn4j.draw(SplittableRandom::nextLong), "the same seed again");
        Rnn4j.setRandomSeed(43);
        assertNotEquals(first, (long) Rnn4j.draw(SplittableRandom::nextLong), "another seed");
    }

    @Test
    void namesCountPerPrefixUntilTheSessionIsCleared() {
        Rnn4j.clearSession();
        assertEquals("probe", Rnn4j.uniqueName("probe"));
        assertEquals("probe_1", Rnn4j.uniqueName("probe"));
        assertEquals("other", Rnn4j.uniqueName("other"), "each prefix has its own count");
        assertEquals("probe_2", Rnn4j.uniqueName("probe"));
        // Counted from one (Keras 2's input_1, input_2, ...), sharing the prefix's counter.
        assertEquals("input_1", Rnn4j.uniqueNameFromOne("input"));
        assertEquals("input_2", Rnn4j.uniqueNameFromOne("input"));
        assertEquals("input_2", Rnn4j.uniqueName("input"));
        Rnn4j.clearSession();
        assertEquals("probe", Rnn4j.uniqueName("probe"), "after clearSession");
        assertEquals("input_1", Rnn4j.uniqueNameFromOne("input"), "after clearSession");
    }
}
