package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConformanceCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void passingCasesExitZeroWithOneLineEachAndTheTotals() {
        int code = run("conformance", "../testdata/fixtures/keras/nb_lstm1_in1.json", "../testdata/fixtures/keras/stacked_lstm.json");
        String[] lines = out.toString().split("\n");
        assertEquals(0, code, out.toString());
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("nb_lstm1_in1 ") && lines[0].endsWith("PASS"), lines[0]);
        assertTrue(lines[0].matches("nb_lstm1_in1 +outputs \\d\\.\\de-\\d\\d +gradients \\d\\.\\de-\\d\\d +weights \\d\\.\\de-\\d\\d +PASS"), lines[0]);
        assertEquals("2 passed, 0 failed", lines[2]);
    }

    @Test
    void aFolderIsSearchedRecursivelyAndOtherFilesAreIgnored(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        Files.copy(Path.of("../testdata/fixtures/keras/nb_lstm2_dense1.json"), sub.resolve("one.json"));
        Files.copy(Path.of("../testdata/fixtures/keras/index.json"), dir.resolve("index.json"));
        Files.writeString(dir.resolve("other.json"), "{\"format\": \"something-else\"}");
        Files.writeString(dir.resolve("broken.json"), "{not json");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals(0, run("conformance", dir.toString()), out.toString());
        assertTrue(out.toString().startsWith("nb_lstm2_dense1 "), out.toString());
        assertTrue(out.toString().endsWith("1 passed, 0 failed\n"), out.toString());
    }

    @Test
    void aFailingCaseMakesTheExitStatusNonZero(@TempDir Path dir) throws IOException {
        String json = Files.readString(Path.of("../testdata/fixtures/keras/nb_lstm1_in1.json"))
                .replace("\"class_name\": \"LSTM\"", "\"class_name\": \"NotALayer\"");
        Files.writeString(dir.resolve("case.json"), json);
        assertEquals(1, run("conformance", dir.toString()));
        assertTrue(out.toString().contains("FAIL: build: NotALayer not implemented"), out.toString());
        assertTrue(out.toString().endsWith("0 passed, 1 failed\n"), out.toString());
    }

    @Test
    void aMissingPathOrANonCaseFileIsOneLineOfError(@TempDir Path dir) throws IOException {
        assertEquals(2, run("conformance", dir.resolve("nope").toString()));
        assertEquals("rnn4j conformance: No such file or folder: " + dir.resolve("nope") + "\n", err.toString().replace("\r", ""));
        Files.writeString(dir.resolve("x.json"), "{}");
        assertEquals(2, run("conformance", dir.resolve("x.json").toString()));
        assertEquals(2, run("conformance", Files.createDirectories(dir.resolve("empty")).toString()));
        assertTrue(err.toString().contains("No keras-rnn-fixture/1 cases found"), err.toString());
    }
}
