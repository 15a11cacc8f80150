package org.rnn4j.models;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;

/**
 * A model's concurrency contract in one place (see {@link Model}'s class Javadoc): published weights, one trainer,
 * and whole calls of a stateful model.
 * <ul>
 * <li>Inference reads the weights under a read stamp of a {@link StampedLock}; an optimizer update,
 *     {@code setWeights}, {@code loadWeights} and {@code quantize} change them under the write stamp, so a
 *     prediction sees one complete weight version. Reading is reentrant per thread (a save that reads again must
 *     not queue behind a waiting writer), and the trainer reads without a stamp (it is the only writer).</li>
 * <li>One thread trains at a time: the trainer slot is taken by compare-and-set and refused to a second thread
 *     with a message that says what to do; a nested training call on the trainer (a callback's
 *     {@code trainOnBatch}) passes.</li>
 * <li>{@link #statefulCalls} serialises whole inference calls of a stateful model and its state resets.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe; that is its purpose.
 */
final class ModelGuard {
    private final StampedLock weights = new StampedLock();
    /** How deep this thread is in {@link #reading} (an int box per thread, made once). */
    private final ThreadLocal<int[]> readDepth = ThreadLocal.withInitial(() -> new int[1]);
    private final AtomicReference<Thread> trainer = new AtomicReference<>();
    /** Held for a whole inference call of a stateful model, and for a state reset. */
    final Object statefulCalls = new Object();

    /** The thread training the model, or null. Thread-safe. */
    Thread trainer() { return trainer.get(); }

    /** Runs {@code read} on one published weight version (an update waits for it to finish). Thread-safe. */
    void reading(Runnable read) {
        int[] depth = readDepth.get();
        if (depth[0] > 0 || trainer.get() == Thread.currentThread()) {
            // Already reading (a save that reads the weights again), or the trainer itself (a checkpoint callback):
            // no update can run meanwhile, and a second read stamp could queue behind a waiting writer (deadlock).
            read.run();
            return;
        }
        depth[0]++;
        long stamp = weights.readLock();
        try {
            read.run();
        } finally {
            weights.unlockRead(stamp);
            depth[0]--;
        }
    }

    /** Runs a change of the weights while no inference pass reads them. Thread-safe. */
    void publishing(Runnable change) {
        long stamp = weights.writeLock();
        try {
            change.run();
        } finally {
            weights.unlockWrite(stamp);
        }
    }

    /**
     * Makes this thread the trainer for one training call; false when it already is (a nested call), true when the
     * caller must release it with {@link #leaveTraining}. Thread-safe: refuses a second thread with
     * IllegalStateException naming the call, the model and the thread that trains.
     */
    boolean enterTraining(String what, String model) {
        Thread me = Thread.currentThread();
        if (trainer.get() == me) return false;
        if (!trainer.compareAndSet(null, me)) {
            Thread other = trainer.get();
            throw new IllegalStateException(what + ": model \"" + model + "\" is already training on thread \""
                    + (other == null ? "?" : other.getName()) + "\"; one model trains on one thread at a time (fit, "
                    + "trainOnBatch, computeGradients, applyGradients): wait for that call to return, or train a copy of "
                    + "the model. Other threads may keep calling predict, evaluate and step meanwhile.");
        }
        return true;
    }

    /** Releases the trainer slot when {@code entered}. Thread-safe: called by the trainer. */
    void leaveTraining(boolean entered) {
        if (entered) trainer.set(null);
    }
}
