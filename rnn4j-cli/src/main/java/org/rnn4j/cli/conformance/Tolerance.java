package org.rnn4j.cli.conformance;

/**
 * The comparison the fixtures' README recommends: {@code |got - want| <= atol + rtol * |want|} elementwise, per
 * kind of quantity. Never loosened here: a case that needs more room has a bug to find.
 */
public enum Tolerance {
    /** {@code predict}, probes, stateful outputs and states. */
    OUTPUTS(2e-5, 1e-4),
    /** {@code evaluate} loss (and non-accuracy metrics), {@code gradients.loss}. */
    LOSS(1e-6, 1e-5),
    /** Accuracy metrics, multiples of 1/n. */
    ACCURACY(1e-6, 0),
    /** {@code gradients.grads}. */
    GRADIENTS(1e-5, 1e-3),
    /** {@code fit.history}, {@code fit.batch_logs}. */
    HISTORY(1e-5, 1e-4),
    /** {@code fit.weights_after}, {@code fit.predict_after}. */
    TRAINED(1e-4, 1e-3);

    public final double atol;
    public final double rtol;

    Tolerance(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
    }

    /** The allowed error for a reference value. */
    public double allowed(double want) { return atol + rtol * Math.abs(want); }

    /** For a metric value: accuracy metrics are exact multiples of 1/n. */
    public static Tolerance forMetric(String name, Tolerance otherwise) {
        return name.contains("acc") ? ACCURACY : otherwise;
    }
}
