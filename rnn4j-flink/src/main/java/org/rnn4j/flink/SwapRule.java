package org.rnn4j.flink;

/**
 * What happens to a key's state when a new model version arrives (applied the next time the key has an event).
 * Thread-safe: an enum.
 */
public enum SwapRule {
    /** Every key starts afresh on the new model. */
    RESET,
    /**
     * A key continues with its state when the new model has the same architecture and state layout (same
     * {@link StateCodec#signature()}: a retrained or fine-tuned model); otherwise it starts afresh.
     */
    KEEP_IF_COMPATIBLE
}
