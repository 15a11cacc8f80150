package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rnn4j.cli.conformance.CaseResult;
import org.rnn4j.cli.conformance.CaseRunner;
import org.rnn4j.cli.conformance.FixtureFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j conformance PATH...}: runs Keras reference cases ({@code keras-rnn-fixture/1}) and prints, per case,
 * the largest absolute errors of outputs, gradients and trained weights and PASS or FAIL with the reason; the last
 * line is {@code N passed, M failed}; the exit status is 1 when a case failed.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Check rnn4j against Keras reference cases (keras-rnn-fixture/1 JSON files): layers, parameter "
                + "counts, summary, predict, evaluate, gradients, fit and stateful behaviour, within the fixtures' "
                + "recommended tolerances.",
        footer = {"", "Columns: largest absolute error of the outputs (predict, probes, stateful), the gradients and the "
                + "trained weights (fit); '-' when the case has no such phase.",
                "", "Example:", "  ./rnn4j conformance testdata/fixtures/keras", "  ./rnn4j conformance --all-reasons case.json"})
public final class ConformanceCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Case files, or folders searched recursively for them.")
    List<Path> paths;

    @Option(names = "--all-reasons", description = "Print every failed check of a failing case, not only the first.")
    boolean allReasons;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = FixtureFiles.find(paths);
        if (files.isEmpty()) throw new UserInputException("No keras-rnn-fixture/1 cases found in " + paths);
        int passed = 0, failed = 0;
        for (Path f : files) {
            CaseResult r = CaseRunner.run(FixtureFiles.read(f));
            out.println(r.line());
            if (allReasons) for (String reason : r.failures().subList(Math.min(1, r.failures().size()), r.failures().size())) {
                out.println("    " + reason);
            }
            if (r.passed()) passed++; else failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
