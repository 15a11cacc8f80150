package org.rnn4j.metrics;

import java.util.Locale;

/**
 * Keras's AUC: the area under the ROC (or PR) curve, approximated by a Riemann sum over {@code num_thresholds}
 * evenly spaced thresholds (default 200): {@code -eps}, {@code i/(n-1)} for i in 1..n-2, and {@code 1+eps}.
 * Predictions are clipped to [0, 1] and bucketed as Keras's optimized path does
 * ({@code max(ceil(p*(n-1)) - 1, 0)}), which counts a prediction positive at threshold i exactly when it is above
 * {@code i/(n-1)}.
 *
 * <p>Summation: {@code interpolation} (trapezoids for ROC; Davis &amp; Goadrich's interpolation for PR),
 * {@code minoring} or {@code majoring} (the lower or upper rectangle heights).
 *
 * <pre>{@code
 * model.compile("binary_crossentropy", "adam", "AUC");           // ROC, 200 thresholds, logged as "AUC"
 * Metric pr = new AUC("pr_auc", 200, "PR", "interpolation");
 * }</pre>
 */
public final class AUC extends ConfusionMetric {
    private final int numThresholds;
    private final String curve;
    private final String summation;

    public AUC() { this("auc", 200, "ROC", "interpolation"); }

    /**
     * @param curve {@code "ROC"} or {@code "PR"}
     * @param summationMethod {@code "interpolation"}, {@code "minoring"} or {@code "majoring"}
     */
    public AUC(String name, int numThresholds, String curve, String summationMethod) {
        super(name, thresholds(numThresholds));
        this.numThresholds = numThresholds;
        this.curve = curve.toUpperCase(Locale.ROOT);
        this.summation = summationMethod.toLowerCase(Locale.ROOT);
        if (!this.curve.equals("ROC") && !this.curve.equals("PR")) {
            throw new IllegalArgumentException("Invalid AUC curve value \"" + curve + "\". Expected values are [\"ROC\", \"PR\"]");
        }
        if (!summation.equals("interpolation") && !summation.equals("minoring") && !summation.equals("majoring")) {
            throw new IllegalArgumentException("Invalid AUC summation method value \"" + summationMethod
                    + "\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]");
        }
    }

    private static float[] thresholds(int n) {
        if (n <= 1) throw new IllegalArgumentException("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=" + n);
        float[] t = new float[n];
        t[0] = 0f - 1e-7f;
        for (int i = 1; i < n - 1; i++) t[i] = (float) (i * 1.0 / (n - 1));
        t[n - 1] = 1f + 1e-7f;
        return t;
    }

    public int numThresholds() { return numThresholds; }

    @Override
    protected void count(float[] y, float[] p, int cols, float[] rowWeight, double[][] out) {
        int n = numThresholds;
        double[] tpBucket = new double[n], fpBucket = new double[n];
        double totalTrue = 0, totalFalse = 0;
        for (int i = 0; i < p.length; i++) {
            double w = rowWeight == null ? 1.0 : rowWeight[i / cols];
            float q = Math.min(1f, Math.max(0f, p[i]));
            int bucket = Math.max((int) Math.ceil(q * (float) (n - 1)) - 1, 0);
            double label = y[i] != 0f ? 1.0 : 0.0;
            tpBucket[bucket] += label * w;
            fpBucket[bucket] += (1 - label) * w;
            totalTrue += label * w;
            totalFalse += (1 - label) * w;
        }
        // A prediction in bucket b is above thresholds 0..b: reverse cumulative sums.
        double tp = 0, fp = 0;
        for (int t = n - 1; t >= 0; t--) {
            tp += tpBucket[t];
            fp += fpBucket[t];
            out[0][t] += tp;
            out[1][t] += fp;
            out[2][t] += totalFalse - fp;
            out[3][t] += totalTrue - tp;
        }
    }

    @Override
    protected double compute(double[] tp, double[] fp, double[] tn, double[] fn) {
        int n = numThresholds;
        if (curve.equals("PR") && summation.equals("interpolation")) return interpolatePrAuc(tp, fp, fn);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            double recall = divideNoNan(tp[i], tp[i] + fn[i]);
            if (curve.equals("ROC")) {
                x[i] = divideNoNan(fp[i], fp[i] + tn[i]);
                y[i] = recall;
            } else {
                x[i] = recall;
                y[i] = divideNoNan(tp[i], tp[i] + fp[i]);
            }
        }
        double sum = 0;
        for (int i = 0; i < n - 1; i++) {
            double h = summation.equals("interpolation") ? (y[i] + y[i + 1]) / 2
                    : summation.equals("minoring") ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
            sum += (x[i] - x[i + 1]) * h;
        }
        return sum;
    }

    /** Keras's interpolate_pr_auc (Davis &amp; Goadrich 2006, closed form). */
    private double interpolatePrAuc(double[] tp, double[] fp, double[] fn) {
        double sum = 0;
        for (int i = 0; i < numThresholds - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double pA = tp[i] + fp[i], pB = tp[i + 1] + fp[i + 1];
            double dp = pA - pB;
            double slope = divideNoNan(dtp, Math.max(dp, 0));
            double intercept = tp[i + 1] - slope * pB;
            double ratio = pA > 0 && pB > 0 ? divideNoNan(pA, Math.max(pB, 0)) : 1;
            sum += divideNoNan(slope * (dtp + intercept * Math.log(ratio)), Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return sum;
    }

    @Override
    public Metric copy() { return new AUC(name(), numThresholds, curve, summation); }
}
