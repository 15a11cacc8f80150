package org.rnn4j.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rnn4j} command line. Each subcommand is its own class in this package, registered here.
 */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
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
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * {@code rnn4j --version}: the version, the JVM and the kernel plan in use (the vector width and tile chosen for
     * this machine, or forced with {@code -Drnn4j.kernel}; the L2 size the cache blocks are planned for).
     * Thread-safe: stateless.
     */
    public static final class Version implements CommandLine.IVersionProvider {
        /** Thread-safe: reads constants. */
        @Override
        public String[] getVersion() {
            return new String[] {"rnn4j 0.1.0",
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                    "kernels " + org.rnn4j.kernels.KernelPlan.active().describe()};
        }
    }

    /** Integer options past this are refused before any work (sizes and counts that large overflow what they build). */
    static final long MAX_INT_OPTION = 10_000_000;

    /**
     * The command line with rnn4j's error contract: whatever goes wrong — a parse error, a bad option value, a file
     * that cannot be read or written, a model file rnn4j refuses — is one line on stderr, {@code rnn4j <command>:
     * <what>}, and exit status 2; parse errors add a short usage hint instead of the whole help. A failure that is not
     * the input's fault (a bug) says so on that one line. Not thread-safe: one command line per thread.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(Streams.writer(System.out)); // lets a progress bar find the terminal behind the writer
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println(line(cmd, ex.getMessage() + " (usage: " + qualifiedName(cmd) + " --help)"));
            return 2;
        });
        cl.setExecutionStrategy(parseResult -> {
            try {
                checkIntegerOptions(parseResult);
                return new CommandLine.RunLast().execute(parseResult);
            } catch (CommandLine.ExecutionException e) {
                throw e;
            } catch (OutOfMemoryError | StackOverflowError e) {
                CommandLine cmd = last(parseResult);
                cmd.getErr().println(line(cmd, "out of memory or stack (" + e.getClass().getSimpleName() + "): the input is "
                        + "too large for this JVM; raise -Xmx or use smaller sizes"));
                return 2;
            }
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println(line(cmd, message(ex)));
            return 2;
        });
        return cl;
    }

    /** The one line a failure prints: the input's fault as its message, anything else named as an internal error. */
    static String message(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof UserInputException
                || ex instanceof org.rnn4j.models.TrainingDivergedException) {
            return String.valueOf(ex.getMessage());
        }
        if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
            Throwable io = ex instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : ex;
            String m = ex.getMessage();
            if (io instanceof java.nio.file.NoSuchFileException n) m = n.getFile() + ": no such file or directory";
            else if (io instanceof java.nio.file.AccessDeniedException a) m = a.getFile() + ": permission denied";
            else if (io instanceof java.nio.file.FileSystemException f && f.getReason() != null) m = f.getFile() + ": " + f.getReason();
            return "cannot read or write a file: " + m;
        }
        return "internal error (not your input's fault; please report it): " + ex;
    }

    /** {@code rnn4j <command>: <message>}, on one line. */
    private static String line(CommandLine cmd, String message) {
        String m = String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", "; ").strip();
        if (m.length() > 2000) m = m.substring(0, 2000) + "...";
        return "rnn4j " + (cmd.getParent() == null ? "" : cmd.getCommandName() + ": ") + m;
    }

    private static String name(CommandLine.Model.ArgSpec a) {
        return a instanceof CommandLine.Model.OptionSpec o ? o.longestName() : ((CommandLine.Model.PositionalParamSpec) a).paramLabel();
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? "rnn4j" : "rnn4j " + cmd.getCommandName();
    }

    private static CommandLine last(CommandLine.ParseResult r) {
        while (r.hasSubcommand()) r = r.subcommand();
        return r.commandSpec().commandLine();
    }

    /**
     * Every integer option given (but seeds) within 0..{@link #MAX_INT_OPTION}: overflowing sizes stop here; and every
     * path given that exists is a regular file or a folder (reading {@code /dev/zero} as a CSV would never end).
     */
    private static void checkIntegerOptions(CommandLine.ParseResult r) {
        for (CommandLine.ParseResult p = r; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            List<CommandLine.Model.ArgSpec> args = new ArrayList<>(p.matchedOptions());
            args.addAll(p.matchedPositionals());
            for (CommandLine.Model.ArgSpec a : args) {
                Object v = a.getValue();
                List<?> values = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
                for (Object x : values) {
                    if (x instanceof java.nio.file.Path path && Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                        throw new CommandLine.ParameterException(p.commandSpec().commandLine(), name(a) + " " + path
                                + ": not a regular file or folder (a device, pipe or socket)");
                    }
                }
            }
            for (CommandLine.Model.OptionSpec o : p.matchedOptions()) {
                Class<?> t = o.type();
                if (t != int.class && t != Integer.class && t != long.class && t != Long.class) continue;
                if (o.longestName().equals("--seed")) continue;
                long v = ((Number) o.getValue()).longValue();
                if (v < 0 || v > MAX_INT_OPTION) {
                    throw new CommandLine.ParameterException(p.commandSpec().commandLine(), o.longestName() + " must be between 0 and "
                            + MAX_INT_OPTION + ", got " + v);
                }
            }
        }
    }

    public static void main(String[] args) {
        String bad = badKernelSettings();
        if (bad != null) {
            // A bad -Drnn4j.kernel or -Drnn4j.l2 (in RNN4J_JVM_OPTS, say): one line and status 2, as for bad options.
            System.err.println("rnn4j: " + bad);
            System.exit(2);
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The message of a refused {@code rnn4j.kernel} or {@code rnn4j.l2} system property, or null when the kernel
     * plan was chosen. Thread-safe: the plan is chosen once.
     */
    static String badKernelSettings() {
        try {
            org.rnn4j.kernels.KernelPlan.active();
            return null;
        } catch (ExceptionInInitializerError e) {
            return String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
        }
    }
}
