package org.rnn4j.callbacks;

import java.util.Map;
import org.rnn4j.models.Model;

/**
 * Keras's callback hooks. Override the ones you need; {@code logs} maps metric names ({@code loss},
 * {@code val_loss}, ...) to values.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(10).callbacks(new Callback() {
 *     public void onEpochEnd(int epoch, Map<String, Double> logs) { System.out.println(logs.get("loss")); }
 * }));
 * }</pre>
 */
public interface Callback {
    /** Called once before training with the model being trained. */
    default void setModel(Model model) {}

    default void onTrainBegin(Map<String, Double> logs) {}

    default void onTrainEnd(Map<String, Double> logs) {}

    default void onEpochBegin(int epoch, Map<String, Double> logs) {}

    default void onEpochEnd(int epoch, Map<String, Double> logs) {}

    default void onTrainBatchBegin(int batch, Map<String, Double> logs) {}

    default void onTrainBatchEnd(int batch, Map<String, Double> logs) {}

    default void onTestBegin(Map<String, Double> logs) {}

    default void onTestEnd(Map<String, Double> logs) {}

    default void onTestBatchBegin(int batch, Map<String, Double> logs) {}

    default void onTestBatchEnd(int batch, Map<String, Double> logs) {}

    default void onPredictBegin(Map<String, Double> logs) {}

    default void onPredictEnd(Map<String, Double> logs) {}

    default void onPredictBatchBegin(int batch, Map<String, Double> logs) {}

    default void onPredictBatchEnd(int batch, Map<String, Double> logs) {}
}
