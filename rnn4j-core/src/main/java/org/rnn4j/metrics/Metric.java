package org.rnn4j.metrics;

import java.util.List;
import java.util.Locale;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras metric that accumulates over an epoch. {@link #update} adds a batch and returns that batch's own value
 * (for per-batch logs); {@link #result} is the value over everything since {@link #reset}.
 *
 * <pre>{@code
 * Metric acc = Metric.get("binary_accuracy");
 * acc.update(yTrue, yPred);
 * double value = acc.result();
 * }</pre>
 */
public abstract class Metric {
    private final String name;

    protected Metric(String name) { this.name = name; }

    /** The key in logs and history ({@code accuracy}, {@code mae}, ...). */
    public String name() { return name; }

    public abstract void reset();

    /** Adds a batch; returns the batch's value. {@code sampleWeight} (per row) may be null. */
    public abstract double update(Tensor yTrue, Tensor yPred, float[] sampleWeight);

    public double update(Tensor yTrue, Tensor yPred) { return update(yTrue, yPred, null); }

    public abstract double result();

    /** A fresh metric of the same kind and name. */
    public abstract Metric copy();

    /**
     * Keras's {@code _direction}: {@code "up"} when larger is better (accuracies, AUC, precision, recall),
     * {@code "down"} when smaller is better (errors), null when unknown. Callbacks in auto mode use it.
     */
    public String direction() { return null; }

    public static List<String> names() {
        return List.of("accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "AUC", "Precision", "Recall",
                "RootMeanSquaredError", "root_mean_squared_error", "mse", "mean_squared_error", "mae",
                "mean_absolute_error", "mape", "mean_absolute_percentage_error", "msle", "mean_squared_logarithmic_error",
                "cosine_similarity", "logcosh", "kl_divergence", "kld", "poisson", "hinge", "squared_hinge",
                "categorical_hinge");
    }

    /**
     * The metric of that Keras name. {@code accuracy} resolves as Keras does, from the loss and the output's last
     * dimension: binary if the last dimension is 1 or the loss is binary cross-entropy, sparse with the sparse loss,
     * categorical otherwise.
     */
    public static Metric get(String name, String lossName, int outputLastDim) {
        if (name == null) throw new IllegalArgumentException("Metric name is null; expected one of " + names());
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "accuracy": case "acc": {
                String loss = lossName == null ? "" : lossName;
                if (loss.equals("sparse_categorical_crossentropy")) return MeanMetric.sparseCategoricalAccuracy(name);
                if (outputLastDim == 1 || loss.equals("binary_crossentropy")) return MeanMetric.binaryAccuracy(name);
                return MeanMetric.categoricalAccuracy(name);
            }
            // Keras's names: snake_case and the class name (matched here without case). The metric is named exactly
            // as given, as Keras names a metric given by string.
            case "binary_accuracy": case "binaryaccuracy": return MeanMetric.binaryAccuracy(name);
            case "categorical_accuracy": case "categoricalaccuracy": return MeanMetric.categoricalAccuracy(name);
            case "sparse_categorical_accuracy": case "sparsecategoricalaccuracy": return MeanMetric.sparseCategoricalAccuracy(name);
            case "top_k_categorical_accuracy": case "topkcategoricalaccuracy":
                return MeanMetric.topKCategoricalAccuracy(name, 5, false);
            case "sparse_top_k_categorical_accuracy": case "sparsetopkcategoricalaccuracy":
                return MeanMetric.topKCategoricalAccuracy(name, 5, true);
            case "auc": return new AUC(name, 200, "ROC", "interpolation");
            case "precision": return new Precision(name, 0.5f);
            case "recall": return new Recall(name, 0.5f);
            case "root_mean_squared_error": case "rootmeansquarederror": return new RootMeanSquaredError(name);
            case "mse": case "mean_squared_error": case "meansquarederror": return MeanMetric.ofLoss(name, "mse");
            case "mae": case "mean_absolute_error": case "meanabsoluteerror": return MeanMetric.ofLoss(name, "mae");
            case "mape": case "mean_absolute_percentage_error": case "meanabsolutepercentageerror":
                return MeanMetric.ofLoss(name, "mape");
            case "msle": case "mean_squared_logarithmic_error": case "meansquaredlogarithmicerror":
                return MeanMetric.ofLoss(name, "msle");
            case "cosine_similarity": case "cosinesimilarity": return MeanMetric.cosineSimilarity(name);
            case "logcosh": case "log_cosh": case "logcosherror": case "log_cosh_error": return MeanMetric.ofLoss(name, "log_cosh");
            case "kl_divergence": case "kld": case "kldivergence": return MeanMetric.ofLoss(name, "kl_divergence");
            case "poisson": return MeanMetric.ofLoss(name, "poisson");
            case "hinge": return MeanMetric.ofLoss(name, "hinge");
            case "squared_hinge": case "squaredhinge": return MeanMetric.ofLoss(name, "squared_hinge");
            case "categorical_hinge": case "categoricalhinge": return MeanMetric.ofLoss(name, "categorical_hinge");
            default:
                throw new IllegalArgumentException("Unknown metric '" + name + "'; expected one of " + names());
        }
    }

    /** Checks a metric name without resolving it. */
    public static void check(String name) { get(name, "", 2); }
}
