package org.rnn4j.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.kernels.RowBlocks;

/**
 * The conformance run over {@code testdata/fixtures/keras} at 1, 2, 3, 4 and 8 threads (8 is more than this machine's
 * cores): every case expected to pass passes within the README's tolerances, and the same cases pass as at one
 * thread. The fixtures' batches are small, so row blocks are allowed down to one row and no minimum of work: every
 * recurrent layer with a batch of two or more runs as min(threads, batch) row blocks.
 */
class ConformanceThreadCountsTest {
    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        RowBlocks.resetThresholds();
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void everyExpectedCasePassesAtThisThreadCount(int threads) {
        Parallel.setThreads(1);
        RowBlocks.resetThresholds();
        TreeSet<String> passingAlone = passing(new ArrayList<>());
        Parallel.setThreads(threads);
        RowBlocks.setThresholds(1, 0);
        List<String> failures = new ArrayList<>();
        TreeSet<String> passing = passing(failures);
        for (String name : KerasFixturesTest.EXPECTED_TO_PASS) {
            assertTrue(passing.contains(name), name + " fails at " + threads + " threads: " + failures);
        }
        assertEquals(passingAlone, passing, "cases passing at " + threads + " threads vs one thread");
    }

    private static TreeSet<String> passing(List<String> failures) {
        TreeSet<String> names = new TreeSet<>();
        for (Path file : FixtureFiles.find(List.of(KerasFixturesTest.FIXTURES))) {
            JsonNode fx = FixtureFiles.read(file);
            CaseResult r = CaseRunner.run(fx);
            String name = fx.get("name").asText();
            boolean ok = r.passed() && (!KerasFixturesTest.EXPECTED_TO_PASS.contains(name) || r.maxOutputError() <= 2e-5);
            if (ok) names.add(name);
            else failures.add(name + ": " + String.join("; ", r.failures()));
        }
        return names;
    }
}
