package org.rnn4j.cli;

import java.util.concurrent.Callable;
import org.rnn4j.examples.StatefulTutorial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j stateful-demo}: the stateful-LSTM tutorial, stateful against stateless. */
@Command(name = "stateful-demo", mixinStandardHelpOptions = true,
        description = "Train LSTM(10) with batch shape (1, 1, 1) one element per train_on_batch to remember the first "
                + "element of 20-step sequences, with stateful=true and with stateful=false, and print both "
                + "per-epoch curves. The stateless model cannot beat 0.525 test accuracy.",
        footer = {"", "Example:", "  ./rnn4j stateful-demo", "  ./rnn4j stateful-demo --seed 3 --epochs 5"})
public final class StatefulDemoCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Random seed for the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = StatefulTutorial.DEFAULT_SEED;

    @Option(names = "--epochs", description = "Epochs for each model (default: ${DEFAULT-VALUE}).")
    int epochs = StatefulTutorial.DEFAULT_EPOCHS;

    @Override
    public Integer call() {
        if (epochs <= 0) throw new UserInputException("--epochs must be a positive integer, got " + epochs);
        new StatefulTutorial(System.out).run(seed, epochs);
        return 0;
    }
}
