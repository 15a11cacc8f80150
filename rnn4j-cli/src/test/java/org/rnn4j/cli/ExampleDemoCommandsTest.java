package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Conv1D example commands are registered with their options and refuse bad input in one line. */
class ExampleDemoCommandsTest {
    @Test
    void registeredWithTheirOptions() {
        for (String name : new String[] {"timeseries-classification-demo", "anomaly-detection-demo"}) {
            CommandLine sub = Main.commandLine().getSubcommands().get(name);
            assertTrue(sub != null, name + " is a subcommand");
            String usage = sub.getUsageMessage();
            assertTrue(usage.contains("--seed") && usage.contains("--epochs"), usage);
        }
    }

    @Test
    void badEpochsIsAOneLineUserError() {
        for (String name : new String[] {"timeseries-classification-demo", "anomaly-detection-demo"}) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(name, "--epochs", "0"));
            assertEquals("rnn4j " + name + ": --epochs must be a positive integer, got 0", err.toString().trim());
        }
    }
}
