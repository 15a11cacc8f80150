package org.rnn4j.metrics;

import org.rnn4j.tensor.Tensor;

/**
 * Keras's confusion-matrix metrics (Precision, Recall, AUC): weighted counts of true and false positives and
 * negatives at one or more thresholds, over every label of every row (Keras's {@code multi_label=False}). A label is
 * positive when its target is non-zero, predicted positive when its prediction is strictly above the threshold. A row
 * weight (sample weight or mask) weighs each label of the row.
 *
 * <pre>{@code
 * model.compile("binary_crossentropy", "adam", "precision", "recall", "auc");
 * Precision p = new Precision("precision_at_0.7", 0.7f);
 * p.update(yTrue, yPred);        // counts of one batch; call again to add more
 * double precision = p.result();
 * }</pre>
 */
public abstract class ConfusionMetric extends Metric {
    /** Weighted counts per threshold. */
    protected final double[] tp, fp, tn, fn;
    private final float[] thresholds;

    protected ConfusionMetric(String name, float[] thresholds) {
        super(name);
        this.thresholds = thresholds.clone();
        int n = thresholds.length;
        tp = new double[n];
        fp = new double[n];
        tn = new double[n];
        fn = new double[n];
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(tp, 0);
        java.util.Arrays.fill(fp, 0);
        java.util.Arrays.fill(tn, 0);
        java.util.Arrays.fill(fn, 0);
    }

    @Override
    public double update(Tensor yTrue, Tensor yPred, float[] sampleWeight) {
        if (yTrue.size() != yPred.size()) {
            throw new IllegalArgumentException("Metric \"" + name() + "\": targets of shape "
                    + org.rnn4j.tensor.Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + org.rnn4j.tensor.Shapes.toString(yPred.shape()));
        }
        int n = thresholds.length;
        double[][] batch = new double[4][n];
        count(yTrue.data(), yPred.data(), yPred.shape(-1), sampleWeight, batch);
        for (int i = 0; i < n; i++) {
            tp[i] += batch[0][i];
            fp[i] += batch[1][i];
            tn[i] += batch[2][i];
            fn[i] += batch[3][i];
        }
        return compute(batch[0], batch[1], batch[2], batch[3]);
    }

    /** Adds the weighted counts {tp, fp, tn, fn} of the batch at each threshold. */
    protected void count(float[] y, float[] p, int cols, float[] rowWeight, double[][] out) {
        for (int i = 0; i < p.length; i++) {
            double w = rowWeight == null ? 1.0 : rowWeight[i / cols];
            boolean positive = y[i] != 0f;
            for (int t = 0; t < thresholds.length; t++) {
                boolean predicted = p[i] > thresholds[t];
                out[positive ? (predicted ? 0 : 3) : (predicted ? 1 : 2)][t] += w;
            }
        }
    }

    @Override
    public double result() { return compute(tp, fp, tn, fn); }

    /** The metric from counts. */
    protected abstract double compute(double[] tp, double[] fp, double[] tn, double[] fn);

    @Override
    public String direction() { return "up"; }

    /** Keras's {@code divide_no_nan}: 0 when the denominator is 0. */
    static double divideNoNan(double a, double b) { return b == 0 ? 0 : a / b; }
}
