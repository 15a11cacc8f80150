package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.models.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnn4j evaluate}: scores a trained model on the test part of a CSV beside naive baselines. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a model trained by `rnn4j fit` on the test part of a CSV (the same columns; the last "
                + "--test-split of its rows, as in training unless given): RMSE, MAE and MAPE beside the persistence "
                + "baseline (the last known value) and, with --season, the seasonal-naive baseline (the value one "
                + "season earlier)."},
        footer = {"", "Example:",
                "  ./rnn4j evaluate --model airline.keras --csv testdata/datasets/airline-passengers.csv --season 12 --plot airline.test.png",
                "(airline.keras: from the second example of ./rnn4j fit --help)"})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.keras", description = "A model saved by `rnn4j fit`.")
    Path model;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "CSV with the columns the model was trained on.")
    Path csv;

    @picocli.CommandLine.Mixin
    CsvFormatOptions csvFormat = new CsvFormatOptions();

    @Option(names = "--season", paramLabel = "N", description = "Also score the seasonal-naive baseline with period N.")
    int season;

    @Option(names = "--test-split", paramLabel = "F", description = "Fraction of the rows, at the end, to score "
            + "(default: the model's).")
    Double testSplit;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Also plot actual vs predicted on the test part.")
    Path plot;

    @Option(names = "--mkdirs", description = "Create the folders of the output files if they do not exist (default: an error).")
    boolean mkdirs;

    @Override
    public Integer call() {
        if (season < 0) throw new UserInputException("--season must be a positive period, got " + season);
        PrintWriter out = spec.commandLine().getOut();
        if (plot != null) OutputTargets.check(plot, "--plot", mkdirs);
        Model m = ModelFiles.load(model);
        ForecastSettings s = ForecastSettings.of(m, model.toString());
        if (testSplit != null) {
            if (!(testSplit > 0 && testSplit < 1)) throw new UserInputException("--test-split must be a fraction in (0, 1), got " + testSplit);
            s.testSplit = testSplit;
        }
        Forecaster f = Forecaster.forModel(SeriesData.read(csv, s.target, s.features, csvFormat.toOptions()), s);
        Forecaster.Evaluation e = f.evaluate(m, s.modelSpec, season);
        Report.table(out, f, e);
        if (plot != null) {
            Plots.testFit(f.data, e, s.modelSpec, s.horizon, plot);
            out.println("plot: " + plot + " (actual vs predicted on the test part)");
        }
        out.flush();
        return 0;
    }
}
