package org.rnn4j.flink.examples;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through, and fails its task once: on the first attempt, at the first record after a checkpoint has
 * completed and {@code afterRecords} records have passed this subtask. Flink then restarts the job from that
 * checkpoint. {@link #highestAttempt()} tells how many restarts this JVM saw (the demo's and tests' embedded cluster
 * runs in the same JVM).
 *
 * <p>Not thread-safe: Flink calls each instance from one task thread; the static counter is atomic.
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger HIGHEST_ATTEMPT = new AtomicInteger();

    private final long afterRecords;
    private transient long seen;
    private transient boolean checkpointed;
    private transient int attempt;

    /** Fails once after {@code afterRecords} records and a completed checkpoint. Not thread-safe. */
    public FailureInjector(long afterRecords) { this.afterRecords = afterRecords; }

    /** The highest task attempt number any injector in this JVM has started with (0: no restart). Thread-safe. */
    public static int highestAttempt() { return HIGHEST_ATTEMPT.get(); }

    /** Forgets the attempts seen (before a new job in the same JVM). Thread-safe. */
    public static void clear() { HIGHEST_ATTEMPT.set(0); }

    @Override
    public void open(OpenContext context) {
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        HIGHEST_ATTEMPT.accumulateAndGet(attempt, Math::max);
    }

    @Override
    public T map(T value) {
        seen++;
        if (attempt == 0 && checkpointed && seen > afterRecords) {
            throw new IllegalStateException("injected failure (FailureInjector): the job restarts from its last checkpoint");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) { checkpointed = true; }
}
