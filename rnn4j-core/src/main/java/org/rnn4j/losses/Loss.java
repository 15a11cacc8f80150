package org.rnn4j.losses;

import java.util.List;
import java.util.Locale;
import org.rnn4j.tensor.Tensor;

/**
 * A Keras loss: a value per row (all axes but the last, e.g. per sample or per sample and timestep), reduced to the
 * mean over rows ({@code sum_over_batch_size}). Each loss defines its row value and its gradient side by side.
 *
 * <pre>{@code
 * Loss mse = Loss.get("mse");
 * float value = mse.compute(yTrue, yPred, null, grad); // grad = d value / d yPred
 * }</pre>
 */
public abstract class Loss {
    /** Clip bound of the cross-entropies (Keras's epsilon). */
    protected static final float EPSILON = 1e-7f;

    /** Keras's name of this loss, as used in configs ({@code mean_squared_error}). */
    public abstract String name();

    /**
     * Row losses and their gradients.
     *
     * @param yTrue     targets, {@code trueCols} per row; not modified
     * @param yPred     predictions, {@code cols} per row; not modified
     * @param rowLoss   per-row loss, modified
     * @param grad      d rowLoss[r] / d yPred, same layout as yPred, modified; null to skip
     */
    protected abstract void rows(float[] yTrue, int trueCols, float[] yPred, int cols, int rows, double[] rowLoss, float[] grad);

    /** Columns of the target per row, given the prediction's; sparse losses take one class index. */
    protected int trueCols(int predCols) { return predCols; }

    /**
     * The mean loss over rows, weighted by {@code rowWeights} (a sample weight or a mask per row; null for all ones),
     * divided by the number of rows as Keras's {@code sum_over_batch_size}. Writes d(mean loss)/d yPred into
     * {@code grad} when it is not null.
     */
    public float compute(Tensor yTrue, Tensor yPred, float[] rowWeights, float[] grad) {
        int cols = yPred.shape(-1);
        int rows = yPred.size() / cols;
        int tc = trueCols(cols);
        if (yTrue.size() != rows * tc) {
            throw new IllegalArgumentException("Loss \"" + name() + "\": targets of shape "
                    + org.rnn4j.tensor.Shapes.toString(yTrue.shape()) + " do not match predictions of shape "
                    + org.rnn4j.tensor.Shapes.toString(yPred.shape()) + " (expected " + rows * tc + " target values)");
        }
        double[] rowLoss = new double[rows];
        rows(yTrue.data(), tc, yPred.data(), cols, rows, rowLoss, grad);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += rowWeights == null ? rowLoss[r] : rowLoss[r] * rowWeights[r];
        if (grad != null) {
            for (int r = 0; r < rows; r++) {
                float s = (float) ((rowWeights == null ? 1.0 : rowWeights[r]) / rows);
                for (int j = 0; j < cols; j++) grad[r * cols + j] *= s;
            }
        }
        return (float) (sum / rows);
    }

    /** The loss of each row (all axes but the last), unreduced: Keras's per-sample values. */
    public double[] perRow(Tensor yTrue, Tensor yPred) {
        int cols = yPred.shape(-1);
        int rows = yPred.size() / cols;
        double[] out = new double[rows];
        rows(yTrue.data(), trueCols(cols), yPred.data(), cols, rows, out, null);
        return out;
    }

    /** The names {@link #get} accepts (Keras's function names and aliases; class names are accepted too). */
    public static List<String> names() {
        return List.of("mean_squared_error", "mse", "mean_absolute_error", "mae", "mean_absolute_percentage_error", "mape",
                "mean_squared_logarithmic_error", "msle", "binary_crossentropy", "categorical_crossentropy",
                "sparse_categorical_crossentropy", "huber", "log_cosh", "logcosh", "kl_divergence", "kld",
                "kullback_leibler_divergence", "poisson", "cosine_similarity", "hinge", "squared_hinge", "categorical_hinge");
    }

    /**
     * The loss of that Keras name, with Keras's defaults: a function name or alias ({@code "msle"}), or a class name
     * in any case and with or without underscores ({@code "MeanSquaredLogarithmicError"}, {@code "k_l_divergence"}).
     * Thread-safe: may be called concurrently; returns a new instance each time.
     */
    public static Loss get(String name) {
        if (name == null) throw new IllegalArgumentException("Loss name is null; expected one of " + names());
        switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "meansquarederror": case "mse": return new MeanSquaredError();
            case "meanabsoluteerror": case "mae": return new MeanAbsoluteError();
            case "meanabsolutepercentageerror": case "mape": return new MeanAbsolutePercentageError();
            case "meansquaredlogarithmicerror": case "msle": return new MeanSquaredLogarithmicError();
            case "binarycrossentropy": case "bce": return new BinaryCrossentropy(false);
            case "categoricalcrossentropy": return new CategoricalCrossentropy(false);
            case "sparsecategoricalcrossentropy": return new SparseCategoricalCrossentropy(false);
            case "huber": case "huberloss": return new Huber(1.0f);
            case "logcosh": return new LogCosh();
            case "kldivergence": case "kld": case "kullbackleiblerdivergence": return new KLDivergence();
            case "poisson": return new Poisson();
            case "cosinesimilarity": return new CosineSimilarity();
            case "hinge": return new Hinge(false);
            case "squaredhinge": return new Hinge(true);
            case "categoricalhinge": return new CategoricalHinge();
            default:
                throw new IllegalArgumentException("Unknown loss '" + name + "'; expected one of " + names());
        }
    }
}
