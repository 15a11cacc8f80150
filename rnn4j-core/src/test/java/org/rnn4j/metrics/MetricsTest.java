package org.rnn4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

class MetricsTest {
    private static Tensor t(float... v) { return Tensor.of(v, v.length, 1); }

    @Test
    void aucOfSeparatedScoresIsThePairwiseRankingFraction() {
        // Positives 0.35 and 0.8, negatives 0.1 and 0.4: 3 of the 4 positive-negative pairs are ordered right.
        Metric auc = Metric.get("AUC", "binary_crossentropy", 1);
        assertEquals("AUC", auc.name(), "named as given, as Keras");
        assertEquals(0.75, auc.update(t(0, 0, 1, 1), t(0.1f, 0.4f, 0.35f, 0.8f)), 1e-12);
        // Weighted pairs: w = 1, 3 (negatives), 2, 1 (positives): (2*1 + 1*1 + 1*3) / (3 * 4) = 0.5.
        Metric w = new AUC();
        assertEquals(0.5, w.update(t(0, 0, 1, 1), t(0.1f, 0.4f, 0.35f, 0.8f), new float[] {1, 3, 2, 1}), 1e-12);
        // A tie (same bucket) is one diagonal step of the ROC curve: area 0.5.
        assertEquals(0.5, new AUC().update(t(0, 1), t(0.5f, 0.5f)), 1e-12);
        // Accumulates over batches; out-of-range predictions are clipped to [0, 1].
        Metric acc = new AUC();
        acc.update(t(0, 1), t(-3f, 0.35f));
        acc.update(t(0, 1), t(0.4f, 7f));
        assertEquals(0.75, acc.result(), 1e-12);
        acc.reset();
        assertEquals(0.0, acc.result(), 0.0);
    }

    @Test
    void aucMatchesThresholdByThresholdCounting() {
        // The bucketed counts must equal counting p > i/(n-1) at each threshold, then the trapezoid sum.
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        int n = 300;
        float[] y = new float[n], p = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.4 ? 1 : 0;
            p[i] = (float) Math.min(1, Math.max(0, 0.3 * y[i] + 0.7 * r.nextDouble()));
        }
        double[] tpr = new double[200], fpr = new double[200];
        double pos = 0, neg = 0;
        for (float v : y) { pos += v; neg += 1 - v; }
        for (int i = 0; i < 200; i++) {
            float th = i == 0 ? -1e-7f : i == 199 ? 1f + 1e-7f : (float) (i / 199.0);
            double tp = 0, fp = 0;
            for (int j = 0; j < n; j++) if (p[j] > th) { tp += y[j]; fp += 1 - y[j]; }
            tpr[i] = tp / pos;
            fpr[i] = fp / neg;
        }
        double expected = 0;
        for (int i = 0; i < 199; i++) expected += (fpr[i] - fpr[i + 1]) * (tpr[i] + tpr[i + 1]) / 2;
        assertEquals(expected, new AUC().update(t(y), t(p)), 1e-12);
        double minoring = 0;
        for (int i = 0; i < 199; i++) minoring += (fpr[i] - fpr[i + 1]) * Math.min(tpr[i], tpr[i + 1]);
        assertEquals(minoring, new AUC("auc", 200, "ROC", "minoring").update(t(y), t(p)), 1e-12);
        double pr = new AUC("pr", 200, "PR", "interpolation").update(t(y), t(p));
        assertEquals(true, pr > 0.4 && pr <= 1.0, "PR AUC in range: " + pr);
        assertThrows(IllegalArgumentException.class, () -> new AUC("a", 1, "ROC", "interpolation"));
    }

    @Test
    void precisionAndRecallAtHalf() {
        // Predicted positive (> 0.5): rows 0, 1, 3. tp = rows 0 and 3, fp = row 1, fn = row 2; 0.5 itself is negative.
        Tensor y = t(1, 0, 1, 1, 0, 1), p = t(0.9f, 0.6f, 0.4f, 0.7f, 0.2f, 0.5f);
        assertEquals(2.0 / 3, Metric.get("Precision", "", 1).update(y, p), 1e-12);
        assertEquals(2.0 / 4, Metric.get("recall", "", 1).update(y, p), 1e-12);
        Metric prec = new Precision();
        prec.update(t(1, 0), t(0.9f, 0.8f));
        prec.update(t(1), t(0.99f));
        assertEquals(2.0 / 3, prec.result(), 1e-12);
        assertEquals(0.0, new Recall().update(t(0, 0), t(0.9f, 0.1f)), 0.0, "no positives: divide_no_nan gives 0");
        // Weighted: all three predicted positive; tp = 1 (row 0) + 0 (row 2 weighs 0), fp = 2 (row 1): 1/3.
        assertEquals(1.0 / 3, new Precision().update(t(1, 0, 1), t(0.9f, 0.8f, 0.7f), new float[] {1, 2, 0}), 1e-12);
    }

    @Test
    void topKCategoricalAccuracyCountsTiesIn() {
        Tensor y = Tensor.of(new float[] {0, 0, 1, 0, 0, 0, 0, 1}, 2, 4);
        Tensor p = Tensor.of(new float[] {0.1f, 0.5f, 0.2f, 0.2f, 0.4f, 0.3f, 0.2f, 0.1f}, 2, 4);
        // Row 0: class 2 (0.2) has one larger score; row 1: class 3 (0.1) has three.
        assertEquals(1.0, MeanMetric.topKCategoricalAccuracy("k", 5, false).update(y, p), 1e-12, "k=5 > 4 classes");
        assertEquals(0.5, MeanMetric.topKCategoricalAccuracy("k", 2, false).update(y, p), 1e-12);
        assertEquals(0.0, MeanMetric.topKCategoricalAccuracy("k", 1, false).update(y, p), 1e-12);
        assertEquals(1.0, MeanMetric.topKCategoricalAccuracy("k", 2, true).update(Tensor.of(new float[] {3, 0}, 2, 1), p), 1e-12,
                "sparse: row 0 class 3 ties class 2 at 0.2 with one larger score; row 1 class 0 is the largest");
        assertEquals(0.5, MeanMetric.topKCategoricalAccuracy("k", 1, true).update(Tensor.of(new float[] {3, 0}, 2, 1), p), 1e-12);
        assertEquals("up", Metric.get("top_k_categorical_accuracy", "", 4).direction());
    }

    @Test
    void rootMeanSquaredErrorAndMape() {
        Tensor y = Tensor.of(new float[] {0, 0, 1, 1}, 2, 2), p = Tensor.of(new float[] {1, 1, 1, 3}, 2, 2);
        assertEquals(Math.sqrt(1.5), Metric.get("RootMeanSquaredError", "", 2).update(y, p), 1e-7);
        assertEquals(Math.sqrt((1 * 1 + 2 * 3) / 4.0), Metric.get("root_mean_squared_error", "", 2).update(y, p, new float[] {1, 3}), 1e-7);
        assertEquals(50.0, Metric.get("mean_absolute_percentage_error", "", 1).update(t(2f), t(1f)), 1e-5);
        assertEquals("down", Metric.get("RootMeanSquaredError", "", 1).direction());
    }

    @Test
    void compileResolvesTheKerasNames() {
        Rnn4j.setRandomSeed(1);
        Sequential m = new Sequential(new Dense(1, "sigmoid").inputShape(2));
        m.compile("binary_crossentropy", "adam", "AUC", "Precision", "recall", "RootMeanSquaredError", "binary_accuracy");
        Tensor x = Tensor.of(new float[] {1, 0, 0, 1, 1, 1, 0, 0}, 4, 2), y = t(1, 0, 1, 0);
        Map<String, Double> logs = m.evaluate(x, y, 4);
        assertEquals(java.util.List.of("loss", "AUC", "Precision", "recall", "RootMeanSquaredError", "binary_accuracy"),
                new java.util.ArrayList<>(logs.keySet()));
        Tensor pred = m.predict(x);
        assertEquals(new AUC().update(y, pred), logs.get("AUC"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> m.compile("mse", "adam", "f1_scor"));
    }
}
