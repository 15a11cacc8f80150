package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.rnn4j.models.Model;

/**
 * Keras's ModelCheckpoint: saves the model's weights at the end of every epoch (or every {@code save_freq} batches),
 * optionally only when the monitored quantity improves.
 *
 * <p>The file path is a Python format string filled with {@code epoch} (1-based) and the epoch's logs:
 * {@code "ckpt/{epoch:02d}-{val_loss:.2f}.weights.h5"}. As in Keras, a weights-only path must end in
 * {@code .weights.h5} and a whole-model path in {@code .keras} or {@code .h5}.
 *
 * <p>Files are written as {@link Model#saveWeights} (Keras 3's {@code .weights.h5}) or {@link Model#save} (the
 * {@code .keras} archive with optimizer state) write them, atomically; read them back with
 * {@link Model#loadWeights} or {@code Models.load}.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(20).validationSplit(0.2).callbacks(
 *         new ModelCheckpoint("best.weights.h5").saveWeightsOnly(true).saveBestOnly(true)));
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class ModelCheckpoint implements Callback {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);
    /** Where verbose messages go: the stream of the fit that runs this callback (nowhere outside a fit). */
    private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
    private final String filepath;
    private String monitor = "val_loss";
    private int verbose = 0;
    private boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private String mode = "auto";
    private int saveFreq = 0; // 0 = "epoch"
    private Double best;

    private Model model;
    private Boolean lowerIsBetter;
    private int currentEpoch;
    private int batchesSinceSave;
    private int lastBatchSeen;
    private boolean warnedMissing;

    /** Thread-confined: give the callback to one fit/evaluate/predict call at a time. */
    public ModelCheckpoint(String filepath) {
        if (filepath == null || filepath.isEmpty()) throw new IllegalArgumentException("ModelCheckpoint: filepath is empty");
        this.filepath = filepath;
    }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ModelCheckpoint monitor(String v) { monitor = EarlyStopping.requireName(v); lowerIsBetter = null; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ModelCheckpoint verbose(int v) { verbose = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ModelCheckpoint saveBestOnly(boolean v) { saveBestOnly = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ModelCheckpoint saveWeightsOnly(boolean v) { saveWeightsOnly = v; return this; }

    /** Not thread-safe: configure before giving the callback to fit. */
    public ModelCheckpoint mode(String v) { mode = Monitor.checkMode("ModelCheckpoint", v); lowerIsBetter = null; return this; }

    /**
     * Saves every {@code batches} training batches instead of every epoch (Keras's integer {@code save_freq}).
     * Not thread-safe: configure before giving the callback to fit.
     */
    public ModelCheckpoint saveFreq(int batches) {
        if (batches <= 0) throw new IllegalArgumentException("ModelCheckpoint save_freq must be a positive integer, got " + batches);
        saveFreq = batches;
        return this;
    }

    /**
     * Keras's {@code initial_value_threshold}: the best value to beat before the first save (with save_best_only).
     * Not thread-safe: configure before giving the callback to fit.
     */
    public ModelCheckpoint initialValueThreshold(double v) { best = v; return this; }

    /** The best monitored value so far, or null. Not thread-safe: read on the fit thread or after fit returns. */
    public Double best() { return best; }

    private void checkPath() {
        if (saveWeightsOnly) {
            if (!filepath.endsWith(".weights.h5")) {
                throw new IllegalArgumentException("When using saveWeightsOnly(true) in ModelCheckpoint, the filepath provided "
                        + "must end in `.weights.h5` (Keras weights format). Received: filepath=" + filepath);
            }
        } else if (!filepath.endsWith(".keras") && !filepath.endsWith(".h5")) {
            throw new IllegalArgumentException("The filepath provided must end in `.keras` (Keras model format). Received: "
                    + "filepath=" + filepath);
        }
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void setModel(Model model) { this.model = model; }

    /** Not thread-safe: set by the call this callback belongs to. */
    @Override
    public void setOutput(PrintStream out) { this.out = out; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBegin(Map<String, Double> logs) { checkPath(); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) { currentEpoch = epoch; }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (saveFreq == 0) return;
        // Keras counts batches across epochs; a batch index that does not grow starts a new epoch.
        batchesSinceSave += batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
        lastBatchSeen = batch;
        if (batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(currentEpoch, batch, logs);
        }
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        resolveMonitor();
        if (saveFreq == 0) save(epoch, -1, logs);
    }

    /**
     * The path for an epoch (0-based) and the logs, as Keras formats it.
     * Not thread-safe: configure before giving the callback to fit.
     */
    public String filePath(int epoch, int batch, Map<String, Double> logs) {
        Map<String, Object> values = new LinkedHashMap<>(logs);
        values.put("epoch", epoch + 1);
        if (batch >= 0 && !logs.containsKey("batch")) values.put("batch", batch + 1);
        try {
            return PythonFormat.format(filepath, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Failed to format this callback filepath: \"" + filepath + "\". Reason: "
                    + e.getMessage(), e);
        }
    }

    /** Keras's MonitorCallback: the direction, and a best of +-inf unless an initial threshold was given. */
    private void resolveMonitor() {
        if (lowerIsBetter != null) return;
        lowerIsBetter = Monitor.lowerIsBetter("ModelCheckpoint", monitor, mode, model);
        if (best == null) best = lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private static String fixed5(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        return String.format(java.util.Locale.ROOT, "%.5f", v);
    }

    private void save(int epoch, int batch, Map<String, Double> logs) {
        String path = filePath(epoch, batch, logs);
        if (saveBestOnly) {
            resolveMonitor();
            Double current = logs.get(monitor);
            if (current == null) {
                // Keras warns and saves anyway.
                if (!warnedMissing) {
                    LOG.warn("can save best model only with " + monitor + " available.");
                    warnedMissing = true;
                }
            } else {
                String bestText = fixed5(best);
                boolean improved = lowerIsBetter ? current < best : current > best;
                if (!improved) {
                    if (verbose > 0) out.println("\nEpoch " + (epoch + 1) + ": " + monitor + " did not improve from " + bestText);
                    return;
                }
                if (verbose > 0) {
                    out.println("\nEpoch " + (epoch + 1) + ": " + monitor + " improved from " + bestText + " to "
                            + fixed5(current) + ", saving model to " + path);
                }
                best = current;
            }
        } else if (verbose > 0) {
            out.println("\nEpoch " + (epoch + 1) + ": saving model to " + path);
        }
        if (saveWeightsOnly) model.saveWeights(Path.of(path));
        else model.save(Path.of(path));
    }
}
