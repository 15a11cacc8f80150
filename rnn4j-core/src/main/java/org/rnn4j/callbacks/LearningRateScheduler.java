package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;

/**
 * Keras's LearningRateScheduler: at the start of each epoch sets the optimizer's learning rate to
 * {@code schedule(epoch, currentRate)}; at the end adds {@code learning_rate} to the epoch logs.
 *
 * <pre>{@code
 * // Keep the rate for 10 epochs, then decay it by e^-0.1 per epoch.
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class LearningRateScheduler implements Callback {
    /** Where verbose messages go: the stream of the fit that runs this callback (nowhere outside a fit). */
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    /** The schedule: epoch (0-based) and the current learning rate to the new learning rate. */
    @FunctionalInterface
    public interface Schedule {
        double rate(int epoch, double learningRate);
    }

    private final Schedule schedule;
    private final int verbose;
    private Model model;

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public LearningRateScheduler(Schedule schedule) { this(schedule, 0); }

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public LearningRateScheduler(Schedule schedule, int verbose) {
        if (schedule == null) throw new IllegalArgumentException("LearningRateScheduler: schedule is null");
        this.schedule = schedule;
        this.verbose = verbose;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void setModel(Model model) { this.model = model; }

    /** Not thread-safe: set by the call this callback belongs to. */
    @Override
    public void setOutput(PrintStream out) { this.out = out; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        Optimizer opt = model.optimizer();
        // Keras reads the rate back from its float32 variable.
        double lr = schedule.rate(epoch, (float) opt.learningRate());
        if (Double.isNaN(lr) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("The output of the schedule function should be a finite float. Got: " + lr
                    + " at epoch " + epoch);
        }
        opt.setLearningRate(lr);
        if (verbose > 0) {
            out.println("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to "
                    + PythonFormat.repr(lr) + ".");
        }
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", (double) (float) model.optimizer().learningRate());
    }
}
