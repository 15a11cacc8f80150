package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.rnn4j.models.Model;

/**
 * Keras's TerminateOnNaN: stops training after the batch whose loss is NaN or infinite. With it installed,
 * {@code fit} does not throw {@link org.rnn4j.models.TrainingDivergedException}; it finishes that batch as Keras does
 * and stops cleanly (the other callbacks' {@code onTrainEnd} still run). With {@code raiseError} it throws instead.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).callbacks(new TerminateOnNaN()));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class TerminateOnNaN implements Callback {
    /** Where verbose messages go: the stream of the fit that runs this callback (nowhere outside a fit). */
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    private final boolean raiseError;
    private Model model;
    private boolean terminated;

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public TerminateOnNaN() { this(false); }

    /**
     * @param raiseError throw an IllegalStateException at once instead of stopping gracefully
     * Thread-confined: give the callback to one fit/evaluate/predict call at a time.
     */
    public TerminateOnNaN(boolean raiseError) { this.raiseError = raiseError; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void setModel(Model model) { this.model = model; }

    /** Not thread-safe: set by the call this callback belongs to. */
    @Override
    public void setOutput(PrintStream out) { this.out = out; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBegin(Map<String, Double> logs) { terminated = false; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss == null || !(Double.isNaN(loss) || Double.isInfinite(loss))) return;
        if (raiseError) {
            throw new IllegalStateException("NaN or Inf loss encountered at batch " + batch + ". Loss value: "
                    + PythonFormat.repr(loss) + ". Terminating training immediately.");
        }
        out.println("Batch " + batch + ": Invalid loss, terminating training");
        terminated = true;
        model.stopTraining();
    }

    /**
     * True when the last {@code fit} was stopped by this callback.
     * Not thread-safe: read on the fit thread or after fit returns.
     */
    public boolean terminated() { return terminated; }
}
