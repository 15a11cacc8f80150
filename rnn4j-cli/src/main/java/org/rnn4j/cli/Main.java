package org.rnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rnn4j} command line. Each subcommand is its own class in this package, registered here.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, version = "rnn4j 0.1.0",
        description = "Keras's recurrent networks, native to Java.",
        subcommands = {
                NotebookCommand.class,
                StatefulDemoCommand.class,
                Seq2SeqDemoCommand.class,
                ClassificationDemoCommand.class,
                AnomalyDemoCommand.class,
                ConformanceCommand.class,
                DemoCommand.class,
                FitCommand.class,
                EvaluateCommand.class,
                ForecastCommand.class,
                SummaryCommand.class,
                PredictCommand.class,
                ConvertCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    static {
        // jHDF logs through SLF4J; without a provider SLF4J prints three warning lines on stderr at every model load.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line with rnn4j's error handling: one line on stderr and exit status 2 for bad input. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(Streams.writer(System.out)); // lets a progress bar find the terminal behind the writer
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof UserInputException) {
                cmd.getErr().println("rnn4j " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
