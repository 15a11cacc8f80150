package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A library writes where its caller says: no {@code System.out}/{@code System.err} in the core's main sources except
 * the defaults of the methods that take a caller's stream (progress bars, summaries) and the progress bar's terminal
 * check. Logging goes through SLF4J, and nothing sets global properties.
 */
class LibraryOutputTest {
    /** file -> number of code lines allowed to name System.out/System.err, each a default for a caller's stream. */
    private static final Map<String, Integer> ALLOWED = Map.of(
            "models/FitOptions.java", 1,      // PrintStream out = System.out (FitOptions.output overrides)
            "models/Model.java", 3,           // printSummary(), evaluate(...), predict(...) delegate with System.out
            "callbacks/ProgressBar.java", 1); // animates only when the caller's stream is the terminal

    @Test
    void coreMainSourcesWriteOnlyToTheCallersStream() throws IOException {
        Path root = Path.of("src/main/java/org/rnn4j");
        assertTrue(Files.isDirectory(root), "run from the rnn4j-core module directory");
        Map<String, Integer> found = new TreeMap<>();
        Map<String, String> setsProperty = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String name = root.relativize(f).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(f);
                for (String line : lines) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
                    if (code.contains("System.out") || code.contains("System.err")) found.merge(name, 1, Integer::sum);
                    if (code.contains("System.setProperty")) setsProperty.put(name, code);
                }
            }
        }
        for (Map.Entry<String, Integer> e : found.entrySet()) {
            int allowed = ALLOWED.getOrDefault(e.getKey(), 0);
            assertTrue(e.getValue() <= allowed, e.getKey() + " writes to System.out/System.err in " + e.getValue()
                    + " line(s), expected at most " + allowed + ": take a caller's PrintStream or log through SLF4J");
        }
        assertEquals(Map.of(), setsProperty, "library code must not set global system properties");
    }
}
