package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.io.Npy;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j predict --model MODEL_FILE --input X.npy|X.csv --output Y.npy|Y.csv}: runs a model on NumPy or CSV
 * data. A model trained by {@code rnn4j fit} carries its columns, window, differencing and scaler: its input is a CSV
 * of raw values with those columns (as given to {@code fit}), and the output is the forecast, in the target's units,
 * after every complete window (the last row forecasts past the end, as {@code forecast} does); {@code --raw} feeds
 * such a model as is instead. Otherwise a {@code .npy} input is the model's input array as is ({@code (samples, timesteps, features)}); a CSV has one
 * sample per line, its values flattened row-major to the model's input shape (a header line is skipped; commas or
 * semicolons). A {@code .npy} output keeps the output's shape; a CSV output has one flattened sample per line.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a saved or imported model on inputs from a .npy or .csv file; write the outputs as .npy or .csv.",
                "A model trained by `rnn4j fit` reads a CSV of raw values with the columns it was trained on: its saved "
                        + "scaler, window and differencing are applied (said on stderr) and each output row is the forecast "
                        + "after one complete window, in the target's units; the last row forecasts past the end of the data. "
                        + "--raw feeds such a model as is (scaled inputs, scaled outputs)."},
        footer = {"", "Example:",
                "  ./rnn4j predict --model airline.keras --input testdata/datasets/airline-passengers.csv --output airline.predicted.csv",
                "(airline.keras: from the second example of ./rnn4j fit --help)"})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL_FILE",
            description = ".keras archive, Keras .h5, TensorFlow.js model.json, or .onnx")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "X", description = "inputs: .npy, or .csv with one sample per line")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y", description = "where to write the outputs: .npy or .csv")
    Path output;

    @Option(names = "--batch-size", defaultValue = "32", description = "samples per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--raw", description = "For a model trained by `rnn4j fit`: skip its saved scaler, window and columns; "
            + "feed the inputs to the network as they are.")
    boolean raw;

    @Option(names = "--mkdirs", description = "Create the folders of the output files if they do not exist (default: an error).")
    boolean mkdirs;

    @picocli.CommandLine.Mixin
    CsvFormatOptions csvFormat = new CsvFormatOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (batchSize <= 0) throw new UserInputException("--batch-size must be a positive integer, got " + batchSize);
        String outName = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!outName.endsWith(".npy") && !outName.endsWith(".csv")) {
            throw new UserInputException("--output must end in .npy or .csv, got " + output);
        }
        OutputTargets.check(output, "--output", mkdirs);
        Model m = Models.load(model);
        if (!raw && m.attachments().get(ForecastSettings.KEY) != null) return predictSeries(m, outName);
        if (m.inputCount() != 1) throw new UserInputException("--model " + model + " takes " + m.inputCount() + " inputs; predict feeds one");
        int[] inputShape = m.layers().get(0).builtInputShapes().isEmpty() ? null : m.layers().get(0).builtInputShapes().get(0);
        Tensor x = read(input, inputShape);
        Tensor y;
        try {
            y = m.predict(x, batchSize);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--input " + input + ": " + e.getMessage(), e);
        }
        if (outName.endsWith(".npy")) {
            Npy.write(output, y);
        } else {
            writeCsv(output, y);
        }
        spec.commandLine().getOut().println("Wrote " + Shapes.toString(y.shape()).replace("None", "?") + " outputs of " + y.shape(0)
                + " samples to " + output);
        return 0;
    }

    /** A model from {@code rnn4j fit}: raw CSV columns in, the forecast after every window out, in the target's units. */
    private int predictSeries(Model m, String outName) throws IOException {
        ForecastSettings s = ForecastSettings.of(m, model.toString());
        if (!input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new UserInputException("--input " + input + ": a model trained by `rnn4j fit` reads a CSV with the columns "
                    + s.columns() + " (raw values); give one, or --raw to feed the network as is");
        }
        Forecaster f = Forecaster.forModel(SeriesData.read(input, s.target, s.features, csvFormat.toOptions()), s);
        float[][] y = f.predictEveryWindow(m);
        int h = s.horizon;
        if (outName.endsWith(".npy")) {
            float[] flat = new float[y.length * h];
            for (int i = 0; i < y.length; i++) System.arraycopy(y[i], 0, flat, i * h, h);
            Npy.write(output, Tensor.of(flat, y.length, h));
        } else {
            StringBuilder sb = new StringBuilder("after," + (h == 1 ? s.target : headers(s.target, h)) + "\n");
            for (int i = 0; i < y.length; i++) {
                int last = f.firstTimeOfEveryWindow() + i - 1;
                sb.append(f.data.label(last));
                for (float v : y[i]) sb.append(',').append(v);
                sb.append('\n');
            }
            Files.writeString(output, sb);
        }
        // Said once the work succeeded: a failure stays one line on stderr.
        spec.commandLine().getErr().println("predict: applied the settings saved by `rnn4j fit` in " + model + ": columns "
                + s.columns() + ", window " + s.window + (s.difference > 0 ? ", difference " + s.difference : "") + ", "
                + s.scaler.className() + " (inputs are raw values; --raw to skip)");
        spec.commandLine().getOut().println("Wrote " + y.length + " forecasts of " + s.target + " (one per complete window; the last is "
                + "past the end of the data) to " + output);
        return 0;
    }

    private static String headers(String target, int h) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k <= h; k++) sb.append(k > 1 ? "," : "").append(target).append("_t+").append(k);
        return sb.toString();
    }

    /** The inputs, shaped as the model expects (batch axis first). */
    static Tensor read(Path file, int[] modelInputShape) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return Npy.read(file);
        if (!name.endsWith(".csv")) throw new UserInputException("--input must end in .npy or .csv, got " + file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new UserInputException("--input: no such file: " + file);
        }
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] cells = line.split(line.contains(";") ? ";" : ",");
            float[] row = new float[cells.length];
            try {
                for (int j = 0; j < cells.length; j++) row[j] = Float.parseFloat(cells[j].trim());
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && width < 0) { // a header line
                    width = 0;
                    continue;
                }
                throw new UserInputException(file + " line " + (i + 1) + ": not a number: " + e.getMessage());
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new UserInputException(file + " line " + (i + 1) + ": " + row.length + " values, but the first row has "
                        + rows.get(0).length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new UserInputException(file + ": no data rows");
        int n = rows.size(), cols = rows.get(0).length;
        int[] shape;
        if (modelInputShape == null) {
            shape = new int[] {n, cols};
        } else {
            shape = modelInputShape.clone();
            shape[0] = n;
            long known = 1;
            int free = -1;
            for (int a = 1; a < shape.length; a++) {
                if (shape[a] < 0) free = a;
                else known *= shape[a];
            }
            if (free > 0 && cols % known == 0) shape[free] = (int) (cols / known);
            if (Shapes.size(shape) != (long) n * cols) {
                throw new UserInputException(file + ": each row has " + cols + " values, but the model's input "
                        + Shapes.toString(modelInputShape) + " needs " + (Shapes.size(shape) / Math.max(1, n)) + " per sample");
            }
        }
        float[] data = new float[n * cols];
        for (int i = 0; i < n; i++) System.arraycopy(rows.get(i), 0, data, i * cols, cols);
        return Tensor.of(data, shape);
    }

    static void writeCsv(Path file, Tensor y) throws IOException {
        int n = y.shape(0), per = y.size() / Math.max(1, n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < per; j++) {
                if (j > 0) sb.append(',');
                sb.append(y.data()[i * per + j]);
            }
            sb.append('\n');
        }
        org.rnn4j.io.AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
