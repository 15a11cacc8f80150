package org.rnn4j.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a two-part task on the calling thread and one long-lived daemon worker, with a hand-off cheap enough for
 * the per-timestep matrix multiplies of a recurrent layer (microseconds, not the tens of microseconds of an
 * executor's futures). No thread is created per call; the worker spins briefly after each task so back-to-back
 * calls from a time loop find it awake, then parks. A part the worker has not started when the caller finishes its
 * own is taken back by the caller, so a loaded machine slows a call down by no more than running it alone.
 *
 * <p>Threads: {@code min(2, availableProcessors)}, or the system property {@code rnn4j.threads} (1 disables the
 * worker). When the worker is busy with another caller's task, the caller runs both parts itself.
 *
 * <pre>{@code
 * Parallel.run(part -> work(part));   // part 0 on this thread, part 1 on the worker, returns when both are done
 * }</pre>
 */
public final class Parallel {
    /** One part of a split task: {@code part} is 0 or 1. */
    @FunctionalInterface
    public interface Task {
        void run(int part);
    }

    /** How many threads matrix multiplies use (1 or 2). */
    public static final int THREADS = threads();
    /** How long the worker spins for the next task before parking. */
    private static final long SPIN_NANOS = 100_000;

    private static final Worker WORKER = THREADS > 1 ? new Worker() : null;

    private Parallel() {}

    private static int threads() {
        int n = Integer.getInteger("rnn4j.threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
        return Math.max(1, Math.min(2, n));
    }

    /**
     * True when a {@link #run} from this thread would get the worker: there are two threads, this is not the
     * worker, and no other split task holds it. Inside a split task the answer is false, so a product there runs
     * whole on its thread instead of being cut in two parts that one thread then runs one after the other.
     */
    public static boolean canSplit() {
        Worker w = WORKER;
        return w != null && Thread.currentThread() != w && !w.claimed.get();
    }

    /**
     * Runs {@code task.run(0)} here and {@code task.run(1)} on the worker. If the worker has not picked part 1 up
     * by the time part 0 is done (it is busy or not scheduled, as on a loaded machine), this thread takes part 1
     * back and runs it itself, so a call never waits for a thread that is not running.
     */
    public static void run(Task task) {
        Worker w = WORKER;
        if (w == null || Thread.currentThread() == w || !w.claimed.compareAndSet(false, true)) {
            task.run(0);
            task.run(1);
            return;
        }
        try {
            w.submit(task);
            Throwable mine = null;
            try {
                task.run(0);
            } catch (Throwable e) {
                mine = e;
            }
            Throwable theirs = null;
            if (w.slot.compareAndSet(task, null)) {
                if (mine == null) task.run(1); // taken back: the worker never started it
            } else {
                theirs = w.await();
            }
            if (mine != null) throw rethrow(mine);
            if (theirs != null) throw rethrow(theirs);
        } finally {
            w.claimed.set(false);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException) return (RuntimeException) e;
        if (e instanceof Error) throw (Error) e;
        return new RuntimeException(e);
    }

    private static final class Worker extends Thread {
        final AtomicBoolean claimed = new AtomicBoolean();
        /** The pending part-1 task; whoever clears it (worker or caller) runs it. */
        final AtomicReference<Task> slot = new AtomicReference<>();
        private volatile boolean done;
        private volatile boolean sleeping;
        private volatile boolean callerParked;
        private volatile Thread caller;
        private Throwable error;

        Worker() {
            super("rnn4j-gemm-worker");
            setDaemon(true);
            start();
        }

        void submit(Task t) {
            error = null;
            done = false;
            caller = Thread.currentThread();
            slot.set(t);
            if (sleeping) LockSupport.unpark(this);
        }

        /** Waits for the part the worker took; it is running, so this is short. */
        Throwable await() {
            int spins = 0;
            while (!done) {
                if (++spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (!done) LockSupport.parkNanos(this, 20_000);
                    callerParked = false;
                }
            }
            return error;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                Task t = slot.get();
                if (t == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    sleeping = true;
                    if (slot.get() == null) LockSupport.park(this);
                    sleeping = false;
                    idleSince = System.nanoTime();
                    continue;
                }
                if (!slot.compareAndSet(t, null)) continue; // the caller took it back
                try {
                    t.run(1);
                } catch (Throwable e) {
                    error = e;
                }
                done = true;
                if (callerParked) LockSupport.unpark(caller);
                idleSince = System.nanoTime();
            }
        }
    }
}
