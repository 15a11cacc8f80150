package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.data.ChronologicalSplit;
import org.rnn4j.data.CsvException;
import org.rnn4j.data.Scaler;
import org.rnn4j.data.TimeseriesDataset;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * A series prepared for a forecasting model, and what the commands do with it: windows for training, one-step (or
 * {@code horizon}-step) predictions on the test part beside naive baselines, and recursive forecasts past the end.
 *
 * <p>Preparation: the target is differenced at lag {@code difference} (if any; a trending series' test values then
 * stay in the range seen in training), every column is scaled with a scaler fitted on the training rows only, and
 * sample {@code i} is the window of {@code window} rows starting at {@code i} with the next {@code horizon} target
 * values as targets. A sample belongs to the part (train, validation, test) its targets fall in; a sample whose
 * targets straddle two parts is used by neither. Windows may reach back into an earlier part: that is history, as
 * at forecasting time.
 *
 * <pre>{@code
 * Forecaster f = Forecaster.forTraining(SeriesData.read(csv, "Passengers", List.of()), settings);
 * Tensor[] train = f.part(Forecaster.Part.TRAIN);        // {x (n, window, columns), y (n, horizon)}
 * Forecaster.Evaluation e = f.evaluate(model, 12);
 * }</pre>
 */
final class Forecaster {
    enum Part { TRAIN, VALIDATION, TEST }

    final SeriesData data;
    final ForecastSettings settings;
    final ChronologicalSplit split;
    /** Differenced and scaled columns; row {@code r} is time {@code r + difference}. */
    private final float[][] scaled;
    private final TimeseriesDataset windows;

    private Forecaster(SeriesData data, ForecastSettings settings, boolean fitScaler) {
        this.data = data;
        this.settings = settings;
        int n = data.size(), lag = settings.difference, w = settings.window, h = settings.horizon;
        checkColumns(data, settings);
        int needed = lag + w + h;
        if (n < needed) {
            throw new CsvException(data.file, 0, null, "has " + n + " data rows, expected at least " + needed + " (--window " + w
                    + " + --horizon " + h + (lag > 0 ? " + --difference " + lag : "") + ") to make one window");
        }
        split = ChronologicalSplit.of(n, settings.validationSplit, settings.testSplit); // validation: a share of the rest
        if (split.trainEnd() < needed) {
            throw new CsvException(data.file, 0, null, "the training part (the first " + split.trainEnd() + " of " + n
                    + " rows, before the validation and test parts) is too short for --window " + w + ": expected at least "
                    + needed + " rows; lower --window, --validation-split or --test-split");
        }
        float[][] transformed = new float[data.columns.length][n - lag];
        for (int c = 0; c < transformed.length; c++) {
            float[] col = data.columns[c];
            for (int r = 0; r < n - lag; r++) transformed[c][r] = c == 0 && lag > 0 ? col[r + lag] - col[r] : col[r + lag];
        }
        if (fitScaler) settings.scaler = settings.scaler.fit(transformed, 0, split.trainEnd() - lag);
        if (settings.scaler.columns() != transformed.length) {
            throw new UserInputException("the model's scaler has " + settings.scaler.columns() + " columns but the model reads "
                    + transformed.length + " (" + String.join(", ", data.names) + ")");
        }
        scaled = settings.scaler.transform(transformed);
        windows = TimeseriesDataset.fromArray(rowsOf(scaled), TimeseriesDataset.targetsAhead(scaled[0], w, h), w)
                .batchSize(0).build();
    }

    /** Prepares a series for training: fits {@code settings.scaler} (already chosen, unfitted) on the training rows. */
    static Forecaster forTraining(SeriesData data, ForecastSettings settings) {
        return new Forecaster(data, settings, true);
    }

    /** Prepares a series for a trained model, with the scaler saved in its settings. */
    static Forecaster forModel(SeriesData data, ForecastSettings settings) {
        return new Forecaster(data, settings, false);
    }

    private static void checkColumns(SeriesData data, ForecastSettings s) {
        if (!data.names.equals(s.columns())) {
            throw new UserInputException("expected the columns " + s.columns() + ", got " + data.names);
        }
    }

    private static Tensor rowsOf(float[][] columns) {
        int rows = columns[0].length, cols = columns.length;
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) d[r * cols + c] = columns[c][r];
        return Tensor.of(d, rows, cols);
    }

    /** Time index of the first target of sample {@code i}. */
    int firstTarget(int i) { return i + settings.window + settings.difference; }

    /** The samples of one part, in time order. */
    int[] samples(Part part) {
        int h = settings.horizon;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            int first = firstTarget(i), last = first + h - 1;
            boolean in = switch (part) {
                case TRAIN -> last < split.trainEnd();
                case VALIDATION -> first >= split.trainEnd() && last < split.testStart();
                case TEST -> first >= split.testStart();
            };
            if (in) out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code {x, y}} of a part: x {@code (n, window, columns)}, y {@code (n, horizon)}, scaled; null when empty. */
    Tensor[] part(Part part) {
        int[] idx = samples(part);
        if (idx.length == 0) return null;
        return new Tensor[] {windows.inputs().gather(idx), windows.targets().gather(idx)};
    }

    /** Number of input columns. */
    int columns() { return scaled.length; }

    // ---------------------------------------------------------------- test-part evaluation

    /** One forecaster's errors on the test part, in the target's units; {@code mape} is NaN when an actual is zero. */
    record Scores(String name, double rmse, double mae, double mape) {}

    /** The model's and the baselines' scores, and the series to plot. */
    record Evaluation(List<Scores> scores, int[] times, float[] actual, float[] predicted, float[] seasonal, int forecasts) {
        Scores model() { return scores.get(0); }

        Scores baseline(String name) {
            for (Scores s : scores) if (s.name().equals(name)) return s;
            return null;
        }
    }

    /**
     * Scores the model on the test part beside persistence (the last known value) and, when {@code season > 0},
     * seasonal-naive (the value one season earlier). All forecast the same targets from the same origins.
     */
    Evaluation evaluate(Model model, String modelName, int season) {
        int[] idx = samples(Part.TEST);
        if (idx.length == 0) {
            throw new UserInputException(data.file + ": the test part (the last " + split.testSize() + " of " + data.size()
                    + " rows) holds no complete forecast of --horizon " + settings.horizon + "; raise --test-split");
        }
        if (season > 0 && split.testStart() < season) {
            throw new UserInputException("--season " + season + " needs " + season + " rows before the test part, which starts at row "
                    + (split.testStart() + 2) + " of " + data.file);
        }
        float[][] predicted = predict(model, idx);
        float[] y = data.target();
        int h = settings.horizon;
        double[] se = new double[3], ae = new double[3], pe = new double[3];
        int zeroActuals = 0;
        int count = idx.length * h;
        int[] times = new int[idx.length];
        float[] actual = new float[idx.length], firstPredicted = new float[idx.length], firstSeasonal = new float[idx.length];
        for (int s = 0; s < idx.length; s++) {
            int first = firstTarget(idx[s]), origin = first - 1;
            times[s] = first;
            for (int k = 0; k < h; k++) {
                int t = first + k;
                double truth = y[t];
                if (truth == 0) zeroActuals++;
                double[] guess = {predicted[s][k], y[origin], season > 0 ? y[t - season * ceilDiv(t - origin, season)] : 0};
                for (int m = 0; m < 3; m++) {
                    double err = guess[m] - truth;
                    se[m] += err * err;
                    ae[m] += Math.abs(err);
                    pe[m] += 100 * Math.abs(err) / Math.max(Math.abs(truth), 1e-7); // Keras's MAPE
                }
            }
            actual[s] = y[first];
            firstPredicted[s] = predicted[s][0];
            firstSeasonal[s] = season > 0 ? y[first - season] : Float.NaN;
        }
        List<Scores> scores = new ArrayList<>();
        String[] names = {modelName, "persistence", "seasonal-naive"};
        for (int m = 0; m < (season > 0 ? 3 : 2); m++) {
            // A percentage of a zero actual is undefined: MAPE is NaN (the report says why) rather than Keras's huge number.
            scores.add(new Scores(names[m], Math.sqrt(se[m] / count), ae[m] / count, zeroActuals > 0 ? Double.NaN : pe[m] / count));
        }
        return new Evaluation(scores, times, actual, firstPredicted, season > 0 ? firstSeasonal : null, count);
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** The model's forecasts for the given samples, in the target's units: {@code [sample][k]}. */
    float[][] predict(Model model, int[] idx) {
        Tensor out = model.predict(windows.inputs().gather(idx), 256);
        float[] y = data.target();
        int h = settings.horizon;
        float[][] result = new float[idx.length][];
        for (int s = 0; s < idx.length; s++) {
            float[] steps = Arrays.copyOfRange(out.data(), s * h, (s + 1) * h);
            int first = firstTarget(idx[s]);
            result[s] = undo(steps, y, first, first);
        }
        return result;
    }

    /**
     * Turns scaled model outputs for times {@code first, first+1, ...} into the target's units: unscale, then undo the
     * differencing from the known values before {@code known} and the values just reconstructed.
     */
    private float[] undo(float[] scaledSteps, float[] y, int first, int known) {
        int lag = settings.difference;
        float[] out = new float[scaledSteps.length];
        for (int k = 0; k < out.length; k++) {
            float d = settings.scaler.inverse(scaledSteps[k], 0);
            int base = first + k - lag;
            out[k] = lag == 0 ? d : d + (base < known ? y[base] : out[base - first]);
        }
        return out;
    }

    /**
     * The model's forecast from every complete window of the data, in the target's units: row {@code i} is the
     * forecast of times {@code firstTimeOfEveryWindow() + i ...} (the {@code horizon} values after the window ending at
     * time {@code firstTimeOfEveryWindow() + i - 1}). The last row is the forecast past the end of the data, the
     * first step of which {@link #forecast} also gives.
     */
    float[][] predictEveryWindow(Model model) {
        int w = settings.window, cols = columns(), h = settings.horizon, rows = scaled[0].length;
        int n = rows - w + 1;
        float[] x = new float[n * w * cols];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < w; t++) for (int c = 0; c < cols; c++) x[(i * w + t) * cols + c] = scaled[c][i + t];
        }
        Tensor out = model.predict(Tensor.of(x, n, w, cols), 256);
        float[] y = Arrays.copyOf(data.target(), data.size() + h);
        float[][] result = new float[n][];
        for (int i = 0; i < n; i++) {
            int first = firstTimeOfEveryWindow() + i;
            result[i] = undo(Arrays.copyOfRange(out.data(), i * h, (i + 1) * h), y, first, first);
        }
        return result;
    }

    /** The time (row index of the data) of the first value {@link #predictEveryWindow} forecasts. */
    int firstTimeOfEveryWindow() { return settings.window + settings.difference; }

    // ---------------------------------------------------------------- forecasting past the end

    /**
     * Forecasts {@code steps} values past the end of the data, feeding each prediction back as input (recursive
     * multi-step forecasting), {@code horizon} values per model call.
     */
    float[] forecast(Model model, int steps) {
        if (steps <= 0) throw new UserInputException("--steps must be at least 1, got " + steps);
        int h = settings.horizon, w = settings.window, cols = columns();
        if (cols > 1 && steps > h) {
            throw new UserInputException("--steps " + steps + " is more than the model's --horizon " + h + ": forecasting further "
                    + "would need future values of the feature columns " + settings.features + "; use --steps " + h + " or less");
        }
        int n = data.size();
        float[] y = Arrays.copyOf(data.target(), n + steps + h);
        // The model's input rows so far (scaled, differenced), newest last; predictions are appended as they come.
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < scaled[0].length; r++) {
            float[] row = new float[cols];
            for (int c = 0; c < cols; c++) row[c] = scaled[c][r];
            rows.add(row);
        }
        int known = n;
        while (known < n + steps) {
            float[] x = new float[w * cols];
            for (int t = 0; t < w; t++) System.arraycopy(rows.get(rows.size() - w + t), 0, x, t * cols, cols);
            float[] out = model.predict(Tensor.of(x, 1, w, cols), 1).data();
            float[] values = undo(out, y, known, known);
            for (int k = 0; k < h; k++) {
                y[known + k] = values[k];
                rows.add(new float[] {out[k]}); // only reached again when the model reads the target alone
            }
            known += h;
        }
        return Arrays.copyOfRange(y, n, n + steps);
    }
}
