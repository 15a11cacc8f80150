package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool of {@link Parallel} at several thread counts (more than this machine's cores among them): every part of
 * a task runs exactly once, exceptions reach the caller, nested tasks run, and many callers at once all complete
 * with the right results; how a product is cut depends on the thread count only, never on who is free. A hang (a part
 * never run, a caller waiting for nothing) fails at the timeout instead of stalling the build.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelTest {
    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void everyPartRunsExactlyOnce(int threads) {
        Parallel.setThreads(threads);
        assertEquals(threads, Parallel.threads());
        for (int parts : new int[] {1, 2, 3, 7, 8, 64, 1000}) {
            for (int rep = 0; rep < 50; rep++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                Parallel.run(parts, p -> runs.incrementAndGet(p));
                for (int p = 0; p < parts; p++) assertEquals(1, runs.get(p), "part " + p + " of " + parts);
            }
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void theFirstExceptionReachesTheCallerAfterEveryPartRan(int threads) {
        Parallel.setThreads(threads);
        AtomicIntegerArray runs = new AtomicIntegerArray(9);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(9, p -> {
            runs.incrementAndGet(p);
            if (p == 4) throw new IllegalStateException("part 4 failed");
        }));
        assertEquals("part 4 failed", e.getMessage());
        for (int p = 0; p < 9; p++) assertEquals(1, runs.get(p), "part " + p);
        AssertionError err = assertThrows(AssertionError.class, () -> Parallel.run(3, p -> {
            if (p == 2) throw new AssertionError("an Error too");
        }));
        assertEquals("an Error too", err.getMessage());
        // The pool is still usable afterwards.
        AtomicIntegerArray again = new AtomicIntegerArray(5);
        Parallel.run(5, again::incrementAndGet);
        for (int p = 0; p < 5; p++) assertEquals(1, again.get(p));
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void aNestedTaskRunsItsPartsOnItsOwnThreadAndIsNotCutAgain(int threads) {
        Parallel.setThreads(threads);
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
        AtomicIntegerArray nestedParts = new AtomicIntegerArray(4);
        Parallel.run(4, p -> {
            assertTrue(Parallel.inPart());
            nestedParts.set(p, Parallel.parts(1L << 40, 1, 100));
            Thread mine = Thread.currentThread();
            Parallel.run(5, q -> {
                assertSame(mine, Thread.currentThread());
                runs.incrementAndGet(p * 5 + q);
            });
        });
        for (int i = 0; i < 20; i++) assertEquals(1, runs.get(i));
        for (int p = 0; p < 4; p++) assertEquals(1, nestedParts.get(p), "inside a part, tasks are not cut");
        assertTrue(!Parallel.inPart());
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void partsDependOnTheThreadSettingAndTheWorkOnly(int threads) {
        Parallel.setThreads(threads);
        int n = Parallel.deterministic() ? Parallel.DETERMINISTIC_PARTS : threads;
        assertEquals(1, Parallel.parts(10, 100, 64), "too little work");
        assertEquals(Math.min(n, 3), Parallel.parts(350, 100, 64));
        assertEquals(Math.min(n, 2), Parallel.parts(1 << 30, 1, 2), "no more parts than pieces");
        assertEquals(n, Parallel.parts(1 << 30, 1, 1000));
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void sixteenCallersAtOnceAllCompleteWithTheirOwnResults(int threads) throws Exception {
        Parallel.setThreads(threads);
        int callers = 16, rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CyclicBarrier start = new CyclicBarrier(callers);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        int r = round, parts = 1 + (caller + r) % 11;
                        long[] out = new long[parts];
                        Parallel.run(parts, p -> out[p] = (long) caller * 1_000_000 + r * 100 + p);
                        for (int p = 0; p < parts; p++) {
                            assertEquals((long) caller * 1_000_000 + r * 100 + p, out[p], "caller " + caller + " round " + r);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(2, TimeUnit.MINUTES); // a hang fails here instead of stalling the build
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2, 3, 8})
    void concurrentProductsEqualTheSameProductAlone(int threads) throws Exception {
        // Large enough to be cut into parts; from 8 threads at once, each product must give the bits it gives alone.
        Parallel.setThreads(threads);
        int m = 43, n = 300, k = 70; // 43 rows: five 8-row tiles and three single rows
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        float[] alone = new float[m * n];
        MatMul.gemm(false, false, m, n, k, a, 0, k, b, 0, n, alone, 0, n, false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                done.add(pool.submit(() -> {
                    float[] out = new float[m * n];
                    for (int rep = 0; rep < 50; rep++) {
                        MatMul.gemm(false, false, m, n, k, a, 0, k, b, 0, n, out, 0, n, false);
                        assertArrayEquals(alone, out);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {0, -1})
    void aThreadCountBelowOneIsRefused(int threads) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(threads));
        assertTrue(e.getMessage().contains(">= 1") && e.getMessage().contains(String.valueOf(threads)), e.getMessage());
    }
}
