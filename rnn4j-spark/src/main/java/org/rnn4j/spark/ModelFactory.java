package org.rnn4j.spark;

import java.io.Serializable;
import org.rnn4j.models.Model;

/**
 * Builds and compiles a fresh replica of the model being trained. It runs on the driver once and on each executor
 * once per task slot, so it must be serializable and deterministic in architecture (weights are overwritten by
 * the driver's broadcast).
 *
 * <pre>{@code
 * ModelFactory factory = () -> {
 *     Sequential m = new Sequential(new LSTM(16).inputShape(10, 1), new Dense(1));
 *     m.compile(Loss.get("mse"), new Adam(0.01));
 *     return m;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    Model create();
}
