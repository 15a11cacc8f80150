package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output into a folder that does not exist is an error before any work, unless --mkdirs creates it. */
class OutputFoldersTest {
    @Test
    void missingFolderIsAnErrorUnlessMkdirs(@TempDir Path dir) {
        Path out = dir.resolve("no/such/m.keras");
        CliRun r = CliRun.of("fit", "--csv", "../testdata/datasets/airline-passengers.csv", "--target", "Passengers",
                "--window", "12", "--epochs", "1", "--verbose", "0", "--out", out.toString());
        assertEquals(2, r.status());
        assertEquals("rnn4j fit: --out " + out + ": the folder " + out.getParent() + " does not exist (create it, or add --mkdirs)\n",
                r.err());
        assertFalse(Files.exists(out.getParent()));
        CliRun ok = CliRun.of("fit", "--csv", "../testdata/datasets/airline-passengers.csv", "--target", "Passengers",
                "--window", "12", "--epochs", "1", "--verbose", "0", "--mkdirs", "--out", out.toString());
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.exists(out));
        Path plot = dir.resolve("plots/f.png");
        CliRun f = CliRun.of("forecast", "--model", out.toString(), "--csv", "../testdata/datasets/airline-passengers.csv",
                "--steps", "3", "--plot", plot.toString());
        assertEquals(2, f.status());
        assertTrue(f.err().contains("--plot " + plot + ": the folder"), f.err());
    }
}
