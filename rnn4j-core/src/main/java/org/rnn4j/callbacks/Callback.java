package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Map;
import org.rnn4j.models.Model;

/**
 * Keras's callback hooks. Override the ones you need; {@code logs} maps metric names ({@code loss},
 * {@code val_loss}, ...) to values. The map is shared by all callbacks of one call, in list order, so a callback
 * may add entries for the ones after it (ReduceLROnPlateau adds {@code learning_rate}), as in Keras.
 *
 * <p>Order of calls, as Keras 3: {@code fit} calls {@code onTrainBegin}; per epoch {@code onEpochBegin}, per batch
 * {@code onTrainBatchBegin}/{@code onTrainBatchEnd} (which by default call {@code onBatchBegin}/{@code onBatchEnd}),
 * then for validation {@code onTestBegin}, {@code onTestBatchBegin}/{@code onTestBatchEnd}, {@code onTestEnd}, then
 * {@code onEpochEnd}; finally {@code onTrainEnd}. {@code evaluate} and {@code predict} call the test and predict
 * hooks. The callbacks run in the order given, then History, then the progress bar.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).callbacks(new Callback() {
 *     public void onEpochEnd(int epoch, Map<String, Double> logs) { System.out.println(logs.get("loss")); }
 * }));
 * }</pre>
 *
 * <p>Thread safety: a callback is confined to the fit/evaluate/predict call it is given to, which calls it on its own
 * thread; implementations need not be thread-safe.
 */
public interface Callback {
    /**
     * Called once before training with the model being trained.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void setModel(Model model) {}

    /**
     * Called once before training with Keras's params: {@code verbose}, {@code epochs}, {@code steps}.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void setParams(Map<String, Object> params) {}

    /**
     * Called once before {@code fit}, {@code evaluate} or {@code predict} with the stream the caller chose for
     * progress and messages ({@code FitOptions.output}, standard output by default); a callback that prints (Keras's
     * {@code verbose} messages) writes there and nowhere else. Not thread-safe: a callback belongs to one call.
     */
    default void setOutput(PrintStream out) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTrainBegin(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTrainEnd(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    /**
     * Calls {@link #onBatchBegin}, as Keras does for compatibility.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void onTrainBatchBegin(int batch, Map<String, Double> logs) { onBatchBegin(batch, logs); }

    /**
     * Calls {@link #onBatchEnd}, as Keras does for compatibility.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void onTrainBatchEnd(int batch, Map<String, Double> logs) { onBatchEnd(batch, logs); }

    /**
     * Keras's older name for the training-batch hook.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void onBatchBegin(int batch, Map<String, Double> logs) {}

    /**
     * Keras's older name for the training-batch hook; {@code logs} holds the running loss and metrics.
     * Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread.
     */
    default void onBatchEnd(int batch, Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTestBegin(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTestEnd(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTestBatchBegin(int batch, Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onTestBatchEnd(int batch, Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onPredictBegin(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onPredictEnd(Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    default void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
