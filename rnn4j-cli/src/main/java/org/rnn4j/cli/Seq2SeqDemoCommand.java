package org.rnn4j.cli;

import java.util.concurrent.Callable;
import org.rnn4j.examples.SequenceReversal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rnn4j seq2seq-demo}: the functional encoder–decoder that learns to reverse sequences. */
@Command(name = "seq2seq-demo", mixinStandardHelpOptions = true,
        description = "Build an encoder-decoder with the functional API (LSTM encoder with return_state, LSTM decoder "
                + "with initial_state), train it to reverse sequences of 5 symbols, and print the held-out per-token "
                + "accuracy after each epoch until it reaches --target.",
        footer = {"", "Example:", "  ./rnn4j seq2seq-demo", "  ./rnn4j seq2seq-demo --seed 3 --target 0.95"})
public final class Seq2SeqDemoCommand implements Callable<Integer> {
    @Option(names = "--seed", description = "Random seed for the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed = SequenceReversal.DEFAULT_SEED;

    @Option(names = "--epochs", description = "At most this many epochs (default: ${DEFAULT-VALUE}).")
    int epochs = SequenceReversal.Settings.defaults().epochs();

    @Option(names = "--target", description = "Stop once held-out per-token accuracy reaches this (default: ${DEFAULT-VALUE}).")
    double target = 0.99;

    @Override
    public Integer call() {
        if (epochs <= 0) throw new UserInputException("--epochs must be a positive integer, got " + epochs);
        if (!(target > 0 && target <= 1)) throw new UserInputException("--target must be in (0, 1], got " + target);
        new SequenceReversal(System.out).run(SequenceReversal.Settings.defaults().epochs(epochs), seed, target);
        return 0;
    }
}
