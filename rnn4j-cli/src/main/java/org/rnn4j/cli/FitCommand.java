package org.rnn4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn4j fit}: trains a forecasting model on a CSV column and saves it with its scaler. */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a recurrent model to forecast a CSV column from a sliding window of its past values "
                + "(and of other columns), with Keras's progress bar. The last --test-split of the rows is held out "
                + "and scored at the end beside the persistence baseline; the --validation-split before it is "
                + "validation. Writes MODEL.keras (model, scaler, settings), MODEL.history.csv and MODEL.history.png."},
        footer = {"", "Examples:",
                "  ./rnn4j fit --csv testdata/datasets/daily-min-temperatures.csv --target Temp --window 30 --epochs 2 --out temp.keras",
                "  ./rnn4j fit --csv testdata/datasets/airline-passengers.csv --target Passengers --window 12 --difference 12 --scaler standard --model lstm:32,lstm:16 --test-split 0.33 --season 12 --epochs 20 --out airline.keras --plot-model airline.model.png"})
public final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "CSV file (RFC 4180; a header row unless --no-header).")
    Path csv;

    @picocli.CommandLine.Mixin
    CsvFormatOptions csvFormat = new CsvFormatOptions();

    @Option(names = "--target", required = true, paramLabel = "COLUMN", description = "Column to forecast.")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "COLS",
            description = "Other numeric columns the model also reads, comma-separated (default: none).")
    List<String> features = new ArrayList<>();

    @Option(names = "--window", required = true, paramLabel = "N", description = "Time steps the model sees per forecast.")
    int window;

    @Option(names = "--horizon", paramLabel = "H", description = "Steps the model forecasts at once (default: ${DEFAULT-VALUE}).")
    int horizon = 1;

    @Option(names = "--model", paramLabel = "SPEC",
            description = "lstm:64 | lstm:64,lstm:32 | gru:32 | simplernn:16 | SPEC.json (a Keras model config) "
                    + "(default: ${DEFAULT-VALUE}).")
    String model = "lstm:32";

    @Option(names = "--epochs", paramLabel = "E", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 50;

    @Option(names = "--batch-size", paramLabel = "B", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(names = "--validation-split", paramLabel = "F",
            description = "Fraction of the rows before the test part used for validation (default: ${DEFAULT-VALUE}).")
    double validationSplit = 0.1;

    @Option(names = "--test-split", paramLabel = "F", description = "Fraction of the rows, at the end, held out for testing "
            + "(default: ${DEFAULT-VALUE}).")
    double testSplit = 0.2;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", description = "Stop when the validation loss has not "
            + "improved for PATIENCE epochs, keeping the best weights (default: off).")
    int earlyStopping;

    @Option(names = "--scaler", paramLabel = "minmax|standard", description = "Column scaling, fitted on the training rows "
            + "(default: ${DEFAULT-VALUE}).")
    String scaler = "minmax";

    @Option(names = "--difference", paramLabel = "LAG", description = "Model the change over LAG steps instead of the "
            + "level (1 removes a trend; default: off).")
    int difference;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.001;

    @Option(names = "--season", paramLabel = "N", description = "Also score the seasonal-naive baseline with period N.")
    int season;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--verbose", paramLabel = "0|1|2", description = "0 silent, 1 progress bar, 2 one line per epoch "
            + "(default: ${DEFAULT-VALUE}).")
    int verbose = 1;

    @Option(names = "--out", required = true, paramLabel = "MODEL.keras", description = "Where to save the model.")
    Path out;

    @Option(names = "--mkdirs", description = "Create the folders of the output files if they do not exist (default: an error).")
    boolean mkdirs;

    @Option(names = "--plot-model", paramLabel = "PNG",
            description = "Also draw the model's layer graph with input and output shapes (Keras's plot_model) to this PNG.")
    Path plotModel;

    @Override
    public Integer call() {
        Training.Args a = new Training.Args();
        a.csv = csv;
        a.csvOptions = csvFormat.toOptions();
        a.target = target;
        a.features = features;
        a.window = window;
        a.horizon = horizon;
        a.model = model;
        a.epochs = epochs;
        a.batchSize = batchSize;
        a.validationSplit = validationSplit;
        a.testSplit = testSplit;
        a.earlyStopping = earlyStopping;
        a.seed = seed;
        a.scaler = scaler;
        a.difference = difference;
        a.learningRate = learningRate;
        a.season = season;
        a.verbose = verbose;
        a.out = out;
        a.plotModel = plotModel;
        a.mkdirs = mkdirs;
        Training.run(a, spec.commandLine().getOut());
        return 0;
    }
}
