package org.rnn4j.cli;

import java.util.concurrent.Callable;
import org.rnn4j.examples.TimeseriesAnomalyDetection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j anomaly-detection-demo}: Keras's Conv1D / Conv1DTranspose autoencoder for timeseries anomalies. */
@Command(name = "anomaly-detection-demo", mixinStandardHelpOptions = true,
        description = "Keras's \"timeseries anomaly detection using an autoencoder\": a Conv1D / Conv1DTranspose autoencoder "
                + "trained on one-day windows of a generated daily series, thresholded at its largest training error, "
                + "flags the steps of a test series that hold an injected jump.",
        footer = {"", "Example:", "  ./rnn4j anomaly-detection-demo", "  ./rnn4j anomaly-detection-demo --seed 2"})
public final class AnomalyDemoCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Random seed for the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = TimeseriesAnomalyDetection.DEFAULT_SEED;

    @Option(names = "--epochs", description = "At most this many epochs; early stopping on val_loss (default: ${DEFAULT-VALUE}).")
    int epochs = 50;

    @Override
    public Integer call() {
        if (epochs <= 0) throw new UserInputException("--epochs must be a positive integer, got " + epochs);
        new TimeseriesAnomalyDetection(System.out).run(epochs, seed);
        return 0;
    }
}
