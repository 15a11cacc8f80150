package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatefulDemoCommandTest {
    @Test
    void isRegisteredWithItsOptions() {
        CommandLine cl = Main.commandLine();
        CommandLine sub = cl.getSubcommands().get("stateful-demo");
        assertTrue(sub != null, "stateful-demo is a subcommand");
        String usage = sub.getUsageMessage();
        assertTrue(usage.contains("--seed") && usage.contains("--epochs") && usage.contains("0.525"), usage);
    }

    @Test
    void nonPositiveEpochsIsAOneLineUserError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int status = cl.execute("stateful-demo", "--epochs", "0");
        assertEquals(2, status);
        assertEquals("rnn4j stateful-demo: --epochs must be a positive integer, got 0", err.toString().trim());
    }
}
