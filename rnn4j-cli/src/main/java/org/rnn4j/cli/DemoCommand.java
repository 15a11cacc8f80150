package org.rnn4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j demo}: the README's first command. Trains an LSTM on the bundled airline-passengers series, scores it
 * on the last 4 years against the seasonal-naive baseline, forecasts the next 12 months and plots all three.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forecast monthly airline passengers (Box & Jenkins' Series G, 1949-1960, bundled) with an LSTM: "
                + "train on the first 8 years, score the last 4 against the seasonal-naive baseline (the value 12 months "
                + "earlier), forecast 1961, and write the model, the forecast and three plots. It runs the same steps as "
                + "`rnn4j fit`, `rnn4j evaluate` and `rnn4j forecast`, and prints those commands."},
        footer = {"", "Example:", "  ./rnn4j demo", "  ./rnn4j demo --out-dir /tmp/demo --epochs 50 --seed 7"})
public final class DemoCommand implements Callable<Integer> {
    /** The bundled datasets (with their origin README), as resources of this jar. */
    static final String DATASETS = "/org/rnn4j/cli/datasets/";

    @Spec
    CommandSpec spec;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Where to write the files (default: ${DEFAULT-VALUE}).")
    Path outDir = Path.of("rnn4j-demo");

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 60;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--verbose", paramLabel = "0|1|2", description = "Progress display of training, as Keras's "
            + "(default: ${DEFAULT-VALUE}).")
    int verbose = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path csv = outDir.resolve("airline-passengers.csv");
        extract("airline-passengers.csv", csv);
        extract("README.md", outDir.resolve("DATASETS.md"));

        Training.Args a = new Training.Args();
        a.csv = csv;
        a.target = "Passengers";
        a.window = 12;
        // The model learns the change from the same month a year earlier: the trend then no longer pushes test values
        // out of the range seen in training, and the yearly pattern carries into the forecast.
        a.difference = 12;
        a.scaler = "minmax";
        a.model = "lstm:32";
        a.epochs = epochs;
        a.batchSize = 16;
        a.testSplit = 0.3333;      // the last 48 months, 1957-1960
        a.validationSplit = 0.1;
        a.season = 12;
        a.seed = seed;
        a.verbose = verbose;
        a.out = outDir.resolve("airline.keras");
        out.println("rnn4j demo: forecasting monthly airline passengers (thousands, 1949-1960) with an LSTM");
        out.println("Same as: ./rnn4j fit --csv " + csv + " --target Passengers --window 12 --difference 12"
                + " --model lstm:32 --epochs " + epochs + " --batch-size 16 --test-split 0.3333 --season 12 --seed " + seed
                + " --out " + a.out);
        out.println();
        Training.Result r = Training.run(a, out);

        Path testPng = outDir.resolve("airline.test.png");
        Plots.testFit(r.forecaster().data, r.evaluation(), a.model, r.forecaster().settings.horizon, testPng);

        Path forecastCsv = outDir.resolve("airline.forecast.csv"), forecastPng = outDir.resolve("airline.forecast.png");
        ForecastCommand.Result fc = ForecastCommand.run(r.forecaster(), r.model(), 12);
        ForecastCommand.write(fc, r.forecaster().data, forecastCsv);
        Plots.forecast(r.forecaster().data, fc.values(), fc.dates(), forecastPng);
        out.println();
        out.println("Forecast for 1961 (same as: ./rnn4j forecast --model " + a.out + " --csv " + csv + " --steps 12):");
        StringBuilder line = new StringBuilder();
        for (int k = 0; k < 12; k++) {
            line.append(String.format(Locale.ROOT, "  %s %4.0f", fc.labels().get(k), fc.values()[k]));
            if (k % 6 == 5) {
                out.println(line);
                line.setLength(0);
            }
        }

        Forecaster.Scores model = r.evaluation().model(), naive = r.evaluation().baseline("seasonal-naive");
        out.println();
        out.println(String.format(Locale.ROOT, "test RMSE: model %.2f, seasonal-naive %.2f (%s)", model.rmse(), naive.rmse(),
                model.rmse() < naive.rmse()
                        ? String.format(Locale.ROOT, "the LSTM's error is %.0f%% lower", 100 * (1 - model.rmse() / naive.rmse()))
                        : "the LSTM does not beat the baseline this time"));
        out.println("model: " + a.out + " (with its scaler and settings; try ./rnn4j evaluate --model " + a.out + " --csv " + csv
                + " --season 12)");
        out.println("forecast: " + forecastCsv);
        out.println("plot: " + r.historyPng() + " (training and validation loss per epoch)");
        out.println("plot: " + testPng + " (actual vs predicted, 1957-1960, with the seasonal-naive baseline)");
        out.println("plot: " + forecastPng + " (history and the 12-month forecast)");
        out.flush();
        return 0;
    }

    private static void extract(String resource, Path to) {
        try (InputStream in = DemoCommand.class.getResourceAsStream(DATASETS + resource)) {
            if (in == null) throw new IllegalStateException("The bundled dataset " + resource + " is missing from the rnn4j-cli jar");
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserInputException("cannot write " + to + ": " + e.getMessage(), e);
        }
    }
}
