package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every example in every command's {@code --help} is one unbroken line that works when pasted in the project root.
 * The data commands' examples run in order (fit, then evaluate, forecast, predict, summary on what fit wrote), with
 * paths in the project resolved from this module and output files in a temporary folder. The long-running ones
 * (every {@code *-demo}, notebook, bench, conformance) are parsed and their input paths checked, not run.
 */
class HelpExamplesTest {
    static final List<String> RUN = List.of("fit", "evaluate", "forecast", "predict", "summary", "convert");
    static final Set<String> PARSE_ONLY = Set.of("demo", "seq2seq-demo", "stateful-demo", "notebook", "bench", "conformance");

    static List<String> examples(CommandLine sub) {
        List<String> out = new ArrayList<>();
        for (String line : sub.getCommandSpec().usageMessage().footer()) {
            assertFalse(line.endsWith("\\"), sub.getCommandName() + " --help has an example broken over lines: " + line);
            if (line.startsWith("  ./rnn4j ")) out.add(line.strip());
        }
        return out;
    }

    /** The words of an example, with project paths made relative to this module and outputs moved to {@code dir}. */
    static String[] args(String example, Path dir) {
        String command = example.substring("./rnn4j ".length()).replaceAll("\\s+#.*$", ""); // a shell comment
        List<String> words = new ArrayList<>(List.of(command.strip().split(" +")));
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("testdata/") || w.startsWith("bench/")) {
                assertTrue(Files.exists(Path.of("..", w)), example + ": " + w + " is not in the project");
                words.set(i, "../" + w);
            } else if (w.matches("[\\w.-]+\\.(keras|png|csv|npy|onnx|json|h5)")) {
                words.set(i, dir.resolve(w).toString());
            }
        }
        return words.toArray(new String[0]);
    }

    @Test
    void everyExampleIsOneLineAndRunsAsPasted(@TempDir Path dir) {
        CommandLine main = Main.commandLine();
        int ran = 0, parsed = 0;
        for (String name : RUN) {
            for (String example : examples(main.getSubcommands().get(name))) {
                CliRun r = CliRun.of(args(example, dir));
                assertEquals(0, r.status(), example + "\n" + r.err());
                ran++;
            }
        }
        for (String name : main.getSubcommands().keySet()) {
            if (!PARSE_ONLY.contains(name) && !name.endsWith("-demo")) continue; // every demo trains for a while
            for (String example : examples(main.getSubcommands().get(name))) {
                Main.commandLine().parseArgs(args(example, dir)); // throws on an unknown option or a bad value
                parsed++;
            }
        }
        for (String name : main.getSubcommands().keySet()) {
            assertTrue(RUN.contains(name) || PARSE_ONLY.contains(name) || name.endsWith("-demo") || name.equals("help"),
                    "a command this test does not know: " + name);
        }
        assertTrue(ran >= 7, "examples run: " + ran);
        assertTrue(parsed >= 8, "examples parsed: " + parsed);
    }
}
