package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.models.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn4j forecast}: forecasts past the end of a CSV with a trained model. */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forecast N steps past the end of a CSV with a model trained by `rnn4j fit`: each forecast is "
                + "fed back as input for the next (recursive multi-step forecasting). Prints the forecast and can write "
                + "it as CSV and plot it after the history."},
        footer = {"", "Example:",
                "  ./rnn4j forecast --model airline.keras --csv testdata/datasets/airline-passengers.csv --steps 12 --out airline.forecast.csv --plot airline.forecast.png",
                "(airline.keras: from the second example of ./rnn4j fit --help)"})
public final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.keras", description = "A model saved by `rnn4j fit`.")
    Path model;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The history to forecast from.")
    Path csv;

    @Option(names = "--steps", required = true, paramLabel = "N", description = "Steps to forecast past the last row.")
    int steps;

    @picocli.CommandLine.Mixin
    CsvFormatOptions csvFormat = new CsvFormatOptions();

    @Option(names = "--out", paramLabel = "forecast.csv", description = "Write the forecast as CSV (date or step, value).")
    Path out;

    @Option(names = "--plot", paramLabel = "forecast.png", description = "Plot the history and the forecast.")
    Path plot;

    @Option(names = "--mkdirs", description = "Create the folders of the output files if they do not exist (default: an error).")
    boolean mkdirs;

    @Override
    public Integer call() {
        if (steps <= 0) throw new UserInputException("--steps must be a positive integer, got " + steps);
        if (out != null) OutputTargets.check(out, "--out", mkdirs);
        if (plot != null) OutputTargets.check(plot, "--plot", mkdirs);
        PrintWriter w = spec.commandLine().getOut();
        Model m = ModelFiles.load(model);
        ForecastSettings s = ForecastSettings.of(m, model.toString());
        Forecaster f = Forecaster.forModel(SeriesData.read(csv, s.target, s.features, csvFormat.toOptions()), s);
        Result r = run(f, m, steps);
        w.println("Forecast of " + s.target + ", " + steps + " steps after " + f.data.label(f.data.size() - 1) + ":");
        for (int k = 0; k < steps; k++) w.println("  " + r.labels.get(k) + "  " + Report.number(r.values[k]));
        if (out != null) {
            write(r, f.data, out);
            w.println("forecast: " + out);
        }
        if (plot != null) {
            Plots.forecast(f.data, r.values, r.dates, plot);
            w.println("plot: " + plot + " (history and forecast)");
        }
        w.flush();
        return 0;
    }

    /** A forecast with its step labels (dates when the CSV has them). */
    record Result(float[] values, List<LocalDateTime> dates, List<String> labels) {}

    static Result run(Forecaster f, Model m, int steps) {
        float[] values = f.forecast(m, steps);
        List<LocalDateTime> dates = f.data.futureDates(steps);
        List<String> labels = new java.util.ArrayList<>();
        for (int k = 0; k < steps; k++) labels.add(dates != null ? f.data.labelOf(dates.get(k)) : Integer.toString(f.data.size() + k + 2));
        return new Result(values, dates, labels);
    }

    static void write(Result r, SeriesData data, Path csv) {
        StringBuilder sb = new StringBuilder(data.dateColumn != null ? data.dateColumn : "row").append(',')
                .append(data.targetName()).append('\n');
        for (int k = 0; k < r.values.length; k++) sb.append(r.labels.get(k)).append(',').append(r.values[k]).append('\n');
        try {
            Path parent = csv.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            org.rnn4j.io.AtomicFiles.write(csv, out -> out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UserInputException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }
}
