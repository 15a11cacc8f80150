package org.rnn4j.layers.recurrent;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * The idle working arrays of one recurrent layer, so calls from any number of threads each get arrays of their own
 * and a steady stream of calls allocates none. A call takes a {@link Sequence} of its shape out of the pool (or
 * makes one when none is idle) and gives it back when done; while taken, no other call can see it.
 *
 * <p>Lock-free and allocation-free: a fixed row of slots, taken and filled with compare-and-set. When every slot is
 * full, a returned sequence is dropped for the garbage collector (more shapes or concurrent calls than slots).
 *
 * <p>Thread-safe: {@link #take} and {@link #give} may be called from any number of threads at once.
 */
final class SequencePool {
    /** Slots: enough for every core's worth of concurrent calls and a few batch shapes each. */
    private static final int SLOTS = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());

    private final AtomicReferenceArray<Sequence> slots = new AtomicReferenceArray<>(SLOTS);

    /** An idle sequence that {@code fits}, now owned by the caller; null when there is none. Thread-safe. */
    Sequence take(Predicate<Sequence> fits) {
        for (int i = 0; i < SLOTS; i++) {
            Sequence s = slots.get(i);
            if (s != null && fits.test(s) && slots.compareAndSet(i, s, null)) return s;
        }
        return null;
    }

    /** Returns a sequence the caller no longer uses; the caller must not touch it afterwards. Thread-safe. */
    void give(Sequence s) {
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, s)) return;
        }
    }
}
