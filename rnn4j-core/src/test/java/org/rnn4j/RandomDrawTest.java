package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global generator under concurrent draws: each draw (an initializer's fill, a dropout mask, a shuffle) takes a
 * consecutive block of the seeded stream, whichever thread makes it, so eight threads drawing at once get exactly
 * the blocks one thread drawing alone gets, in some order, and never two interleaved halves.
 */
class RandomDrawTest {
    private static final int THREADS = 8, DRAWS = 200, BLOCK = 64;

    @AfterEach
    void reseed() { Rnn4j.setRandomSeed(System.nanoTime()); }

    private static List<Long> block() {
        return Rnn4j.draw(r -> {
            List<Long> b = new ArrayList<>(BLOCK);
            for (int i = 0; i < BLOCK; i++) b.add(r.nextLong());
            return b;
        });
    }

    @Test
    void concurrentDrawsTakeWholeConsecutiveBlocksOfTheSeededStream() throws Exception {
        Rnn4j.setRandomSeed(5);
        Set<List<Long>> alone = new HashSet<>();
        for (int i = 0; i < THREADS * DRAWS; i++) alone.add(block());

        Rnn4j.setRandomSeed(5);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<List<Long>> shared = new ArrayList<>();
        try {
            List<Future<List<List<Long>>>> parts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                parts.add(pool.submit(() -> {
                    List<List<Long>> mine = new ArrayList<>();
                    for (int i = 0; i < DRAWS; i++) mine.add(block());
                    return mine;
                }));
            }
            for (Future<List<List<Long>>> f : parts) shared.addAll(f.get(1, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(THREADS * DRAWS, shared.size());
        assertEquals(alone, new HashSet<>(shared), "every concurrent draw is one whole block of the stream drawn alone");
    }

    @Test
    void seededInitialWeightsAreReproducible() {
        Rnn4j.setRandomSeed(9);
        float[] a = org.rnn4j.initializers.Initializer.randomNormal(0, 1).create(new int[] {7, 5});
        Rnn4j.setRandomSeed(9);
        float[] b = org.rnn4j.initializers.Initializer.randomNormal(0, 1).create(new int[] {7, 5});
        assertEquals(Arrays.toString(a), Arrays.toString(b));
    }
}
