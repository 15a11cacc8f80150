package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Seq2SeqDemoCommandTest {
    @Test
    void isRegisteredWithItsOptions() {
        CommandLine sub = Main.commandLine().getSubcommands().get("seq2seq-demo");
        assertTrue(sub != null, "seq2seq-demo is a subcommand");
        String usage = sub.getUsageMessage();
        assertTrue(usage.contains("--seed") && usage.contains("--epochs") && usage.contains("--target"), usage);
    }

    @Test
    void badTargetIsAOneLineUserError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("seq2seq-demo", "--target", "1.5"));
        assertEquals("rnn4j seq2seq-demo: --target must be in (0, 1], got 1.5", err.toString().trim());
    }
}
