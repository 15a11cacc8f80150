package org.rnn4j.models;

/**
 * Thrown when the loss becomes NaN or infinite during training; the message names the epoch and batch.
 *
 * <pre>{@code
 * try {
 *     model.fit(x, y, 10, 32);
 * } catch (TrainingDivergedException e) {
 *     // "Training stopped: the loss became NaN at epoch 3, batch 17. Lower the learning rate, ..."
 *     System.err.println(e.getMessage() + " (epoch index " + e.epoch() + ")");
 * }
 * }</pre>
 *
 * <p>Thread safety: immutable, thread-safe.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch, batch;

    /** Thread-safe: an immutable exception. */
    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("Training stopped: the loss became " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + ". Lower the learning rate, scale the inputs, or clip gradients (clipnorm).");
        this.epoch = epoch;
        this.batch = batch;
    }

    /** 0-based epoch. Thread-safe: an immutable exception. */
    public int epoch() { return epoch; }

    /** 0-based batch within the epoch. Thread-safe: an immutable exception. */
    public int batch() { return batch; }
}
