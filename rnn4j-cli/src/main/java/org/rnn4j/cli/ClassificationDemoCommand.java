package org.rnn4j.cli;

import java.util.concurrent.Callable;
import org.rnn4j.examples.TimeseriesClassification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j timeseries-classification-demo}: Keras's Conv1D + BatchNormalization classifier from scratch. */
@Command(name = "timeseries-classification-demo", mixinStandardHelpOptions = true,
        description = "Keras's \"timeseries classification from scratch\": three Conv1D + BatchNormalization + ReLU blocks, "
                + "GlobalAveragePooling1D and a softmax Dense, trained on generated two-class series (noisy sine vs noisy "
                + "square wave); prints the summary and the held-out accuracy.",
        footer = {"", "Example:", "  ./rnn4j timeseries-classification-demo", "  ./rnn4j timeseries-classification-demo --seed 5"})
public final class ClassificationDemoCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Random seed for the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = TimeseriesClassification.DEFAULT_SEED;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = TimeseriesClassification.Settings.defaults().epochs();

    @Override
    public Integer call() {
        if (epochs <= 0) throw new UserInputException("--epochs must be a positive integer, got " + epochs);
        new TimeseriesClassification(System.out).run(TimeseriesClassification.Settings.defaults().epochs(epochs), seed);
        return 0;
    }
}
