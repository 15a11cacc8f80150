package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes that a layer's training-mode forward pass makes to its non-trainable weights (BatchNormalization's moving
 * statistics, Keras's {@code add_update}), held back so the model can publish them together with the optimizer step:
 * a prediction on another thread then sees the moving statistics and the trained weights of one complete step,
 * never the statistics of the next step with the weights of the last. The model opens a scope around its training
 * forward pass and applies it while it holds the weights' write lock; outside a scope (a layer called directly) an
 * update runs at once.
 *
 * <pre>{@code
 * StateUpdates.Scope updates = StateUpdates.open();
 * try { pass = forward(...); } finally { updates.close(); }
 * publish(() -> { updates.apply(); optimizer.apply(weights); });
 * }</pre>
 *
 * <p>Thread safety: scopes are per thread (a thread-local stack); a scope is confined to the thread that opened it.
 */
public final class StateUpdates {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private StateUpdates() {}

    /** One training step's held-back updates. Not thread-safe: confined to the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final Scope outer;
        private final List<Runnable> updates = new ArrayList<>(2);

        private Scope(Scope outer) { this.outer = outer; }

        /** Runs the held updates in the order the layers made them, once. Not thread-safe: the opening thread. */
        public void apply() {
            for (Runnable u : updates) u.run();
            updates.clear();
        }

        /** Ends collection on this thread (updates made afterwards run at once). Not thread-safe: the opening thread. */
        @Override
        public void close() { CURRENT.set(outer); }
    }

    /** Opens a scope on this thread. Thread-safe: each thread has its own scopes. */
    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /**
     * Holds {@code update} for this thread's open scope, or runs it now when none is open.
     * Thread-safe: each thread has its own scopes; the update runs on the thread that applies its scope.
     */
    public static void submit(Runnable update) {
        Scope s = CURRENT.get();
        if (s == null) update.run();
        else s.updates.add(update);
    }
}
