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

    /** The names {@link #get} accepts. */
    public static List<String> names() {
        return List.of("mean_squared_error", "mse", "mean_absolute_error", "mae", "binary_crossentropy",
                "categorical_crossentropy", "sparse_categorical_crossentropy", "huber", "mean_absolute_percentage_error",
                "mape");
    }

    /** The loss of that Keras name, with Keras's defaults. */
    public static Loss get(String name) {
        if (name == null) throw new IllegalArgumentException("Loss name is null; expected one of " + names());
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mean_squared_error": case "mse": return new MeanSquaredError();
            case "mean_absolute_error": case "mae": return new MeanAbsoluteError();
            case "mean_absolute_percentage_error": case "mape": return new MeanAbsolutePercentageError();
            case "binary_crossentropy": return new BinaryCrossentropy(false);
            case "categorical_crossentropy": return new CategoricalCrossentropy(false);
            case "sparse_categorical_crossentropy": return new SparseCategoricalCrossentropy(false);
            case "huber": case "huber_loss": return new Huber(1.0f);
            default:
                throw new IllegalArgumentException("Unknown loss '" + name + "'; expected one of " + names());
        }
    }
}
