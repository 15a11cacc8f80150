package org.rnn4j.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a task cut into parts on the calling thread and the long-lived daemon workers of a pool of {@link #threads()}
 * threads (the caller counts as one), with a hand-off cheap enough for the per-sequence and per-product splits of a
 * recurrent layer (microseconds, not the tens of microseconds of an executor's futures). No thread is created per
 * call; workers spin briefly after each task so back-to-back calls find them awake, then park.
 *
 * <p><b>Claiming, not assigning.</b> Parts are claimed from an atomic counter by the caller and by whichever idle
 * workers it recruited; the caller claims whatever is left and then waits only for parts already started. So a
 * call never waits for a thread that is not running: on a loaded machine (or with more threads than cores) it
 * runs its parts itself. Calls arriving from several threads at once share the pool: a call recruits at most its
 * share of the workers ({@code (threads - 1) / calls in flight}, rounded up) and only idle ones; when none is idle
 * it runs every part itself. No call ever runs, or waits for, another call's parts.
 *
 * <p><b>Determinism.</b> How a task is cut ({@link #parts}) depends only on the thread setting and the shapes, never
 * on how many workers happen to be free, and every part computes the same arithmetic whichever thread runs it. So
 * for a given thread count a call returns the same bits whatever the contention. Between thread counts, the results
 * differ only where a sum is split into blocks whose partial sums are then added (the weight gradients of row blocks;
 * the grouping of a matrix multiply's rows into register tiles): float32 summation in another order. For a sum of
 * {@code n} terms {@code t_i}, each order's result is within {@code (n - 1) * eps * sum|t_i|} of the exact sum
 * ({@code eps = 2^-24}), so two thread counts differ by at most {@code 2 * (n - 1) * eps * sum|t_i|} per sum (and in
 * practice by a few ulps). With {@code -Drnn4j.deterministic=true} tasks are cut as if {@link #DETERMINISTIC_PARTS}
 * threads ran them whatever the thread count, so results are bit-for-bit identical at every thread count (at the
 * cost of cutting small tasks finer than one thread needs).
 *
 * <p>Threads: the system property {@code rnn4j.threads} (any {@code N >= 1}; 1 runs everything on the caller), by
 * default {@code Runtime.availableProcessors()}; {@link #setThreads} changes it at run time.
 *
 * <pre>{@code
 * int parts = Parallel.parts(work, 64 * 1024, rows / 8);   // 1 when it does not pay
 * Parallel.run(parts, part -> work(part));                 // returns when every part has run exactly once
 * }</pre>
 *
 * <p>Thread-safe: every method may be called from any number of threads at once.
 *
 * <p>Thread safety: thread-safe, as said above.
 */
public final class Parallel {
    /** One part of a split task: {@code part} is in {@code [0, parts)}. */
    @FunctionalInterface
    public interface Task {
        void run(int part);
    }

    /** The number of parts tasks are cut into at most in deterministic mode, whatever the thread count. */
    public static final int DETERMINISTIC_PARTS = 8;
    private static volatile boolean deterministic = Boolean.getBoolean("rnn4j.deterministic");
    /** Parts per task at most (the claim counter holds 15 bits). */
    private static final int MAX_PARTS = 1 << 14;
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static volatile Pool pool = new Pool(initialThreads());
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    private Parallel() {}

    private static int initialThreads() {
        String v = System.getProperty("rnn4j.threads");
        if (v == null) return CORES;
        try {
            return checkThreads(Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("System property rnn4j.threads must be a whole number >= 1, got \"" + v + "\"");
        }
    }

    private static int checkThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("rnn4j.threads must be >= 1, got " + n);
        return n;
    }

    /** The number of threads (the caller and its workers) a task is spread over. Thread-safe. */
    public static int threads() { return pool.threads; }

    /** True when {@code -Drnn4j.deterministic=true}: tasks are cut the same way at every thread count. Thread-safe. */
    public static boolean deterministic() { return deterministic; }

    /**
     * Turns deterministic mode on or off (see the class comment), as {@code -Drnn4j.deterministic} does at start-up;
     * meant for start-up and tests. Thread-safe; calls already running keep the cut they chose.
     */
    public static void setDeterministic(boolean on) { deterministic = on; }

    /**
     * Sets the number of threads (any {@code n >= 1}), replacing the worker pool; meant for configuration at start-up
     * and for tests that compare thread counts in one JVM. Thread-safe, but calls in flight finish on the old pool
     * and may have cut their work for the old count: set it while no model is running when results must be
     * reproducible.
     */
    public static synchronized void setThreads(int n) {
        checkThreads(n);
        Pool old = pool;
        if (old.threads == n) return;
        pool = new Pool(n);
        old.shutdown();
    }

    /**
     * How many parts to cut a task into: {@code min(threads, maxParts, work / minWorkPerPart)}, at least 1. Inside a
     * part of another task the answer is 1 (that part already has its thread), as it is on one thread. Depends only
     * on the thread setting (or {@link #DETERMINISTIC_PARTS} in deterministic mode) and the arguments, so a call is
     * cut the same way whatever the load. Thread-safe.
     *
     * @param work           the task's size in any unit (multiply-adds, say)
     * @param minWorkPerPart the least work that pays for a part of its own, in the same unit
     * @param maxParts       the most parts the task can be cut into (rows, panels, chunks)
     */
    public static int parts(long work, long minWorkPerPart, int maxParts) {
        int n = deterministic ? DETERMINISTIC_PARTS : pool.threads;
        if (n == 1 || maxParts <= 1 || inPart()) return 1;
        long byWork = work / Math.max(1, minWorkPerPart);
        return (int) Math.max(1, Math.min(Math.min(n, maxParts), Math.min(byWork, MAX_PARTS)));
    }

    /** True on a thread that is running a part of a split task. Thread-safe. */
    public static boolean inPart() {
        Thread t = Thread.currentThread();
        return t instanceof Worker || CALLS.get().depth > 0;
    }

    /**
     * Runs {@code task.run(p)} once for every {@code p} in {@code [0, parts)}, spread over this thread and idle
     * workers, and returns when all have run. The first exception a part throws is rethrown (after every part has
     * run). Called from inside a part, or with one thread, it runs the parts in order on this thread. Thread-safe:
     * calls from different threads proceed independently.
     */
    public static void run(int parts, Task task) {
        if (parts <= 1) {
            if (parts == 1) task.run(0);
            return;
        }
        if (parts > MAX_PARTS) throw new IllegalArgumentException("at most " + MAX_PARTS + " parts, got " + parts);
        if (Thread.currentThread() instanceof Worker) {
            inline(parts, task);
            return;
        }
        Call c = CALLS.get();
        Pool pl = pool;
        c.depth++;
        try {
            if (c.depth > 1 || pl.threads == 1) {
                inline(parts, task);
                return;
            }
            c.run(pl, parts, task);
        } finally {
            c.depth--;
        }
    }

    /** Every part in order on this thread; the first exception is rethrown after the last part. */
    private static void inline(int parts, Task task) {
        Throwable first = null;
        for (int p = 0; p < parts; p++) {
            try {
                task.run(p);
            } catch (Throwable e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw rethrow(first);
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException) return (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        return new RuntimeException(e);
    }

    /** A pool of {@code threads - 1} workers. */
    private static final class Pool {
        final int threads;
        final Worker[] workers;
        /** Calls in flight on this pool, for the fair share. */
        final AtomicInteger calls = new AtomicInteger();
        /** How long an idle worker spins before parking: briefly when there are more threads than cores. */
        final long spinNanos;
        volatile boolean shut;

        Pool(int threads) {
            this.threads = threads;
            this.spinNanos = threads <= CORES ? 100_000 : 2_000;
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) workers[i] = new Worker(this, i);
        }

        void shutdown() {
            shut = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    /**
     * One calling thread's task in flight, reused by all of that thread's calls (nothing is allocated per call). A
     * worker may still look at it after the call that recruited it has returned: every claim checks the call's
     * generation, so a late worker claims nothing of a later call it was not recruited for.
     */
    private static final class Call {
        /** Nesting depth of {@link Parallel#run} on this thread. */
        int depth;
        private final Thread owner = Thread.currentThread();
        /** {@code generation << 32 | parts << 16 | next part}: claims are CASes on this one word. */
        private final AtomicLong claims = new AtomicLong();
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private volatile Task task;
        private volatile boolean waiting;
        private int generation;

        void run(Pool pl, int parts, Task t) {
            int gen = ++generation;
            task = t;
            error.set(null);
            finished.set(0);
            claims.set((long) gen << 32 | (long) parts << 16);
            int inFlight = pl.calls.incrementAndGet();
            try {
                recruit(pl, gen, parts, inFlight);
                for (int p; (p = claim(gen)) >= 0; ) runPart(p, parts);
                awaitAll(parts, pl);
            } finally {
                pl.calls.decrementAndGet();
                task = null;
            }
            Throwable e = error.getAndSet(null);
            if (e != null) throw rethrow(e);
        }

        /** Posts this call to up to its share of the idle workers. */
        private void recruit(Pool pl, int gen, int parts, int inFlight) {
            Worker[] ws = pl.workers;
            int n = ws.length;
            int want = Math.min(parts - 1, (n + inFlight - 1) / inFlight);
            int start = (int) (owner.getId() % n);
            for (int i = 0; i < n && want > 0; i++) {
                Worker w = ws[(start + i) % n];
                if (w.offer(this, gen)) want--;
            }
        }

        /** The next unclaimed part of generation {@code gen}, or -1 when none is left (or the call has moved on). */
        int claim(int gen) {
            while (true) {
                long s = claims.get();
                if ((int) (s >>> 32) != gen) return -1;
                int parts = (int) (s >>> 16) & 0x7FFF, next = (int) s & 0xFFFF;
                if (next >= parts) return -1;
                if (claims.compareAndSet(s, s + 1)) return next;
            }
        }

        /** Runs a claimed part (the call cannot finish before it, so its task is this generation's). */
        void runPart(int p, int parts) {
            try {
                task.run(p);
            } catch (Throwable e) {
                error.compareAndSet(null, e);
            }
            if (finished.incrementAndGet() == parts && waiting) LockSupport.unpark(owner);
        }

        /** Waits for the parts workers started: every part is claimed, so each is running on some thread. */
        private void awaitAll(int parts, Pool pl) {
            int spins = pl.threads <= CORES ? 20_000 : 200;
            for (int i = 0; finished.get() < parts; i++) {
                if (i < spins) {
                    Thread.onSpinWait();
                } else {
                    waiting = true;
                    if (finished.get() < parts) LockSupport.parkNanos(this, 50_000);
                    waiting = false;
                }
            }
        }
    }

    private static final class Worker extends Thread {
        private static final int IDLE = 0, RESERVED = 1, POSTED = 2, GONE = 3;
        private final Pool pool;
        private final AtomicInteger status = new AtomicInteger(IDLE);
        /** The call this worker was posted to, and its generation: written before {@code status = POSTED}. */
        private Call call;
        private int generation;
        private volatile boolean parked;

        Worker(Pool pool, int index) {
            super("rnn4j-worker-" + index);
            this.pool = pool;
            setDaemon(true);
            start();
        }

        /** Posts {@code c} to this worker if it is idle. */
        boolean offer(Call c, int gen) {
            if (!status.compareAndSet(IDLE, RESERVED)) return false;
            call = c;
            generation = gen;
            status.set(POSTED);
            if (parked) LockSupport.unpark(this);
            return true;
        }

        /** Thread-confined: the worker thread's own loop. */
        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                if (status.get() != POSTED) {
                    if (pool.shut && status.compareAndSet(IDLE, GONE)) return;
                    if (System.nanoTime() - idleSince < pool.spinNanos) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (status.get() != POSTED && !pool.shut) LockSupport.park(this);
                    parked = false;
                    continue;
                }
                Call c = call;
                int gen = generation;
                call = null;
                // Claims nothing if the caller has already claimed every part (or returned).
                for (int p; (p = c.claim(gen)) >= 0; ) c.runPart(p, (int) (c.claims.get() >>> 16) & 0x7FFF);
                status.set(IDLE);
                idleSince = System.nanoTime();
            }
        }
    }
}
