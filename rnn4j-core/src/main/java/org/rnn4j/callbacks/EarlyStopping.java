package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's EarlyStopping: stops training when a monitored quantity has stopped improving.
 *
 * <p>At each epoch end (from {@code start_from_epoch} on) the wait count goes up by one; a value better than the best
 * by more than {@code min_delta} becomes the best and, if it also beats {@code baseline}, resets the wait. When the
 * wait reaches {@code patience} (and the epoch is not the first) training stops. With
 * {@code restore_best_weights} the weights of the best epoch are put back when training ends, even when it was not
 * stopped early.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(100).validationSplit(0.2)
 *         .callbacks(new EarlyStopping().monitor("val_loss").patience(5).restoreBestWeights(true)));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class EarlyStopping implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);
    /** Where verbose messages go: the stream of the fit that runs this callback (nowhere outside a fit). */
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    private String monitor = "val_loss";
    private double minDelta = 0;
    private int patience = 0;
    private int verbose = 0;
    private String mode = "auto";
    private Double baseline;
    private boolean restoreBestWeights;
    private int startFromEpoch = 0;

    private Model model;
    private Boolean lowerIsBetter;
    private int wait;
    private int stoppedEpoch;
    private Double best;
    private int bestEpoch;
    private List<Tensor> bestWeights;
    private boolean warnedMissing;

    /**
     * Monitors {@code val_loss} with patience 0, Keras's defaults.
     * Thread-confined: give the callback to one fit/evaluate/predict call at a time.
     */
    public EarlyStopping() {}

    /** Not thread-safe: configure before giving the callback to fit. */
    public EarlyStopping monitor(String v) { monitor = requireName(v); lowerIsBetter = null; return this; }

    /**
     * Minimum change that counts as an improvement (its absolute value is used).
     * Not thread-safe: configure before giving the callback to fit.
     */
    public EarlyStopping minDelta(double v) { minDelta = Math.abs(v); return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public EarlyStopping patience(int v) {
        if (v < 0) throw new IllegalArgumentException("EarlyStopping patience must be >= 0, got " + v);
        patience = v;
        return this;
    }

    /**
     * 1 prints a line when stopping and when restoring weights.
     * Not thread-safe: configure before giving the callback to fit.
     */
    public EarlyStopping verbose(int v) { verbose = v; return this; }

    /** {@code "auto"}, {@code "min"} or {@code "max"}. Not thread-safe: configure before giving the callback to fit. */
    public EarlyStopping mode(String v) { mode = Monitor.checkMode("EarlyStopping", v); lowerIsBetter = null; return this; }

    /**
     * Training stops if the monitored value does not beat this baseline within {@code patience} epochs.
     * Not thread-safe: configure before giving the callback to fit.
     */
    public EarlyStopping baseline(double v) { baseline = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public EarlyStopping restoreBestWeights(boolean v) { restoreBestWeights = v; return this; }

    /**
     * Epochs to wait before monitoring starts (a warm-up).
     * Not thread-safe: configure before giving the callback to fit.
     */
    public EarlyStopping startFromEpoch(int v) {
        if (v < 0) throw new IllegalArgumentException("EarlyStopping start_from_epoch must be >= 0, got " + v);
        startFromEpoch = v;
        return this;
    }

    /**
     * The 0-based epoch at which training was stopped, or 0 if it was not.
     * Not thread-safe: read on the fit thread or after fit returns.
     */
    public int stoppedEpoch() { return stoppedEpoch; }

    /**
     * The 0-based epoch with the best monitored value so far.
     * Not thread-safe: read on the fit thread or after fit returns.
     */
    public int bestEpoch() { return bestEpoch; }

    /**
     * The best monitored value so far, or null before the first one.
     * Not thread-safe: read on the fit thread or after fit returns.
     */
    public Double best() { return best; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void setModel(Model model) { this.model = model; }

    /** Not thread-safe: set by the call this callback belongs to. */
    @Override
    public void setOutput(PrintStream out) { this.out = out; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        stoppedEpoch = 0;
        best = null;
        bestWeights = null;
        bestEpoch = 0;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (lowerIsBetter == null) lowerIsBetter = Monitor.lowerIsBetter("EarlyStopping", monitor, mode, model);
        Double current = logs.get(monitor);
        if (current == null) {
            if (!warnedMissing) {
                LOG.warn("early stopping conditioned on metric `" + monitor + "` which is not available. "
                        + "Available metrics are: " + String.join(",", logs.keySet()));
                warnedMissing = true;
            }
            return;
        }
        if (epoch < startFromEpoch) return;
        if (restoreBestWeights && bestWeights == null) {
            // If best weights were never set, the current weights are the best.
            bestWeights = model.getWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) bestWeights = model.getWeights();
            // Only restart the wait when both the baseline and the previous best are beaten.
            if (baseline == null || isImprovement(current, baseline)) wait = 0;
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (stoppedEpoch > 0 && verbose > 0) out.println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) out.println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
            model.setWeights(bestWeights);
        }
    }

    private boolean isImprovement(double value, Double reference) {
        if (reference == null) return true;
        // Keras: monitor_op(value - min_delta, reference) with min_delta negated for "less".
        return lowerIsBetter ? value + minDelta < reference : value - minDelta > reference;
    }

    static String requireName(String v) {
        if (v == null || v.isEmpty()) throw new IllegalArgumentException("monitor must name a logged quantity such as \"val_loss\"");
        return v;
    }
}
