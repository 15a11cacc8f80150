package org.rnn4j.metrics;

import org.rnn4j.tensor.Tensor;

/**
 * Keras's RootMeanSquaredError: {@code sqrt} of the (weighted) mean over rows of each row's mean squared error.
 *
 * <pre>{@code
 * model.compile("mse", "adam", "RootMeanSquaredError");
 * }</pre>
 */
public final class RootMeanSquaredError extends Metric {
    private final MeanMetric mse;

    public RootMeanSquaredError() { this("root_mean_squared_error"); }

    public RootMeanSquaredError(String name) {
        super(name);
        mse = MeanMetric.ofLoss(name, "mse");
    }

    @Override public void reset() { mse.reset(); }

    @Override
    public double update(Tensor yTrue, Tensor yPred, float[] sampleWeight) {
        return Math.sqrt(mse.update(yTrue, yPred, sampleWeight));
    }

    @Override public double result() { return Math.sqrt(mse.result()); }

    @Override public Metric copy() { return new RootMeanSquaredError(name()); }

    @Override public String direction() { return "down"; }
}
