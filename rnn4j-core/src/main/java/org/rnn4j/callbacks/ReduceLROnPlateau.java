package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Optimizer;

/**
 * Keras's ReduceLROnPlateau: multiplies the optimizer's learning rate by {@code factor} when the monitored quantity
 * has not improved by more than {@code min_delta} for {@code patience} epochs, never below {@code min_lr}; after a
 * reduction it waits {@code cooldown} epochs before counting again. It adds {@code learning_rate} (the rate used in
 * the epoch, as a float32 value) to the epoch logs, so History and the callbacks after it see it.
 *
 * <p>In auto mode the quantity is maximised when its name contains {@code "acc"} and minimised otherwise (Keras's
 * rule for this callback).
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(50).validationSplit(0.2)
 *         .callbacks(new ReduceLROnPlateau().factor(0.5).patience(3).minLr(1e-5)));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class ReduceLROnPlateau implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ReduceLROnPlateau.class);
    /** Where verbose messages go: the stream of the fit that runs this callback (nowhere outside a fit). */
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    private String monitor = "val_loss";
    private double factor = 0.1;
    private int patience = 10;
    private int verbose = 0;
    private String mode = "auto";
    private double minDelta = 1e-4;
    private int cooldown = 0;
    private double minLr = 0.0;

    private Model model;
    private boolean lowerIsBetter;
    private double best;
    private int wait;
    private int cooldownCounter;
    private boolean warnedMissing;

    /**
     * Keras's defaults: monitor val_loss, factor 0.1, patience 10, min_delta 1e-4, cooldown 0, min_lr 0.
     * Thread-confined: give the callback to one fit/evaluate/predict call at a time.
     */
    public ReduceLROnPlateau() { reset(); }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau monitor(String v) { monitor = EarlyStopping.requireName(v); reset(); return this; }

    /**
     * The factor the rate is multiplied by; must be below 1.
     * Not thread-safe: configure before giving the callback to fit.
     */
    public ReduceLROnPlateau factor(double v) {
        if (!(v < 1.0)) throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" + v);
        factor = v;
        return this;
    }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau patience(int v) { patience = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau verbose(int v) { verbose = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau mode(String v) { mode = Monitor.checkMode("ReduceLROnPlateau", v); reset(); return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau minDelta(double v) { minDelta = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau cooldown(int v) { cooldown = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ReduceLROnPlateau minLr(double v) { minLr = v; return this; }

    private void reset() {
        lowerIsBetter = mode.equals("min") || (mode.equals("auto") && !monitor.contains("acc"));
        best = lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        wait = 0;
    }

    private boolean improves(double current) {
        return lowerIsBetter ? current < best - minDelta : current > best + minDelta;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void setModel(Model model) { this.model = model; }

    /** Not thread-safe: set by the call this callback belongs to. */
    @Override
    public void setOutput(PrintStream out) { this.out = out; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBegin(Map<String, Double> logs) { reset(); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Optimizer opt = model.optimizer();
        logs.put("learning_rate", (double) (float) opt.learningRate());
        Double current = logs.get(monitor);
        if (current == null) {
            if (!warnedMissing) {
                LOG.warn("learning rate reduction is conditioned on metric `" + monitor
                        + "` which is not available. Available metrics are: " + String.join(",", logs.keySet()) + ".");
                warnedMissing = true;
            }
            return;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (improves(current)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter <= 0) {
            wait++;
            if (wait >= patience) {
                double oldLr = (float) opt.learningRate();
                if (oldLr > (float) minLr) {
                    double newLr = Math.max(oldLr * factor, minLr);
                    opt.setLearningRate(newLr);
                    if (verbose > 0) {
                        out.println("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                                + PythonFormat.repr(newLr) + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    /** Epochs without improvement counted so far. Not thread-safe: read on the fit thread or after fit returns. */
    public int waitCount() { return wait; }
}
