package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile corpus of {@link HostileFilesTest}, loaded in this JVM rather than one child JVM per file: the same
 * outcome for every file, and every refusal names the file and the limit or structure it broke. The child-JVM test
 * is the acceptance (a bounded heap, a time bound); this one is what mutation testing can see, since PIT mutates
 * only the classes of the JVM that runs the test. Left to the child-JVM test: the two files that take seconds here
 * (10^5 layers that load), the zip that inflates to 1.4 GB, and a Dense whose 512 MB kernel is within the weight
 * budget: refused by the child's 512 MB heap, it loads in a test JVM with a larger one.
 */
class HostileFilesInProcessTest {
    private static final Set<String> CHILD_ONLY = Set.of("layers-1e5.json", "layers-1e5.keras", "bomb-honest.keras",
            "input-product.json");

    @TempDir
    static Path dir;
    /** The corpus, written once for both tests, and each file's expected outcome. */
    private static Path corpus;
    private static Map<String, String> expect;

    @BeforeAll
    static void writeCorpus() throws Exception {
        corpus = Files.createDirectories(dir.resolve("corpus"));
        expect = HostileCorpus.write(corpus);
    }

    @Test
    void everyHostileFileEndsAsInTheBoundedChild() throws Exception {
        int refused = 0;
        for (Map.Entry<String, String> e : expect.entrySet()) {
            String name = e.getKey();
            if (CHILD_ONLY.contains(name)) continue;
            String outcome;
            String message = "";
            try {
                HostileFilesTest.load(corpus.resolve(name));
                outcome = "ok";
            } catch (ModelFormatException x) {
                outcome = "refused";
                message = x.getMessage();
            }
            assertEquals(e.getValue(), outcome, name + ": " + message);
            if (outcome.equals("refused")) {
                refused++;
                if (!name.endsWith(".json")) assertTrue(message.startsWith(corpus.resolve(name).toString()), name + ": " + message);
                assertTrue(message.length() > corpus.resolve(name).toString().length() + 10, name + ": says why: " + message);
            }
        }
        assertTrue(refused >= 18, "refusals: " + refused);
    }

    @Test
    void eachRefusalNamesTheLimitOrWhatIsWrong() throws Exception {
        // The limit or the structure named by each refusal (what a user reads to raise it or fix the file).
        Map<String, String> names = Map.of(
                "layers-over-limit.keras", "LoadLimits.maxLayers",
                "long-name.json", "LoadLimits.maxNameLength",
                "deep-nesting.json", "LoadLimits.maxDepth",
                "dag.h5", "the structure is not a tree",
                "cycle.h5", "the structure is not a tree",
                "bomb-lying.keras", "inflates to more than the 1000 bytes the archive declares",
                "tfjs-overflowing-shape", "needs 4611686018427387900 bytes");
        for (Map.Entry<String, String> e : names.entrySet()) {
            try {
                HostileFilesTest.load(corpus.resolve(e.getKey()));
                throw new AssertionError(e.getKey() + ": loaded");
            } catch (ModelFormatException x) {
                assertTrue(x.getMessage().contains(e.getValue()), e.getKey() + ": " + x.getMessage());
            }
        }
    }
}
