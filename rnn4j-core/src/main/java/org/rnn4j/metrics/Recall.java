package org.rnn4j.metrics;

/**
 * Keras's Recall: {@code tp / (tp + fn)} with predictions above {@code thresholds} (default 0.5) counted as positive;
 * 0 when there are no positive targets.
 *
 * <pre>{@code
 * Metric r = Metric.get("recall", "binary_crossentropy", 1);
 * }</pre>
 */
public final class Recall extends ConfusionMetric {
    private final float threshold;

    public Recall() { this("recall", 0.5f); }

    public Recall(String name, float threshold) {
        super(name, new float[] {threshold});
        this.threshold = threshold;
    }

    @Override
    protected double compute(double[] tp, double[] fp, double[] tn, double[] fn) { return divideNoNan(tp[0], tp[0] + fn[0]); }

    @Override
    public Metric copy() { return new Recall(name(), threshold); }
}
