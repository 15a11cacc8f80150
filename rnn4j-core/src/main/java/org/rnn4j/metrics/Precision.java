package org.rnn4j.metrics;

/**
 * Keras's Precision: {@code tp / (tp + fp)} with predictions above {@code thresholds} (default 0.5) counted as
 * positive; 0 when nothing is predicted positive.
 *
 * <pre>{@code
 * model.compile("binary_crossentropy", "adam", "Precision", "Recall", "AUC");
 * }</pre>
 */
public final class Precision extends ConfusionMetric {
    private final float threshold;

    public Precision() { this("precision", 0.5f); }

    public Precision(String name, float threshold) {
        super(name, new float[] {threshold});
        this.threshold = threshold;
    }

    @Override
    protected double compute(double[] tp, double[] fp, double[] tn, double[] fn) { return divideNoNan(tp[0], tp[0] + fp[0]); }

    @Override
    public Metric copy() { return new Precision(name(), threshold); }
}
