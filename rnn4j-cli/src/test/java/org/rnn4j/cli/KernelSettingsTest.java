package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernel plan's system properties as a user sets them (in RNN4J_JVM_OPTS): a forced plan shows in
 * {@code --version}; a bad value is one line on stderr naming the property, and status 2, in a fresh JVM (the plan
 * is chosen once per process).
 */
class KernelSettingsTest {
    @Test
    void aForcedPlanShowsInVersion() throws Exception {
        Result r = run("-Drnn4j.kernel=scalar", "-Drnn4j.l2=512k");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("kernels scalar (tile 4-row groups, KC 256, MC 96, NC 512; L2 512 KB from -Drnn4j.l2)"), r.out);
    }

    @Test
    void badKernelSettingsAreOneLineAndStatusTwo() throws Exception {
        Result kernel = run("-Drnn4j.kernel=avx9");
        assertEquals(2, kernel.status, kernel.err);
        assertEquals("rnn4j: System property rnn4j.kernel must be one of auto, vector512, vector256, vector128, scalar; "
                + "got \"avx9\"", kernel.err.strip());
        Result l2 = run("-Drnn4j.l2=lots");
        assertEquals(2, l2.status, l2.err);
        assertTrue(l2.err.strip().startsWith("rnn4j: System property rnn4j.l2 must be a cache size") && l2.err.strip().endsWith("got \"lots\""),
                l2.err);
        assertEquals(1, l2.err.strip().lines().count(), l2.err);
    }

    private record Result(int status, String out, String err) {}

    private static Result run(String... properties) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--version"));
        Process p = new ProcessBuilder(cmd).start();
        // Small outputs: read one stream, then the other.
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI finished");
        return new Result(p.exitValue(), out, err);
    }
}
