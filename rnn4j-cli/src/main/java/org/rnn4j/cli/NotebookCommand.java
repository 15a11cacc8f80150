package org.rnn4j.cli;

import java.util.concurrent.Callable;
import org.rnn4j.examples.FoundingNotebook;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j notebook}: runs the founding notebook, every cell in order. */
@Command(name = "notebook", mixinStandardHelpOptions = true,
        description = "Reproduce the founding Keras LSTM notebook: summaries, parameter counts and the three "
                + "sequence-prediction experiments.",
        footer = {"", "Example:", "  ./rnn4j notebook", "  ./rnn4j notebook --seed 3"})
public final class NotebookCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = FoundingNotebook.DEFAULT_SEED;

    @Override
    public Integer call() {
        new FoundingNotebook(System.out).run(seed);
        return 0;
    }
}
