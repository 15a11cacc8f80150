package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one line on stderr naming the file, row and column and what was expected; exit status 2; no trace. */
class BadInputTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private CliRun fit(Path csv, String... more) {
        String[] base = {"fit", "--csv", csv.toString(), "--target", "Temp", "--window", "3", "--epochs", "1", "--verbose", "0",
                "--out", dir.resolve("m.keras").toString()};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliRun.of(args);
    }

    private static void assertOneLine(CliRun r, String expected) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(expected + "\n", r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    private String rows(int n) {
        StringBuilder sb = new StringBuilder("Date,Temp\n");
        for (int i = 0; i < n; i++) sb.append(String.format("1981-01-%02d,%d.5%n", i + 1, 10 + i % 7));
        return sb.toString();
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.csv");
        assertOneLine(fit(p), "rnn4j fit: " + p + ": no such file");
    }

    @Test
    void missingTargetColumn() throws IOException {
        Path p = csv("t.csv", rows(20));
        CliRun r = CliRun.of("fit", "--csv", p.toString(), "--target", "Tmp", "--window", "3", "--out", dir.resolve("m.keras").toString());
        assertOneLine(r, "rnn4j fit: " + p + ": column \"Tmp\": no such column, expected one of: Date, Temp");
    }

    @Test
    void missingFeatureColumn() throws IOException {
        Path p = csv("t.csv", rows(20));
        assertOneLine(fit(p, "--features", "Rain"), "rnn4j fit: " + p + ": column \"Rain\": no such column, expected one of: Date, Temp");
    }

    @Test
    void nonNumericCell() throws IOException {
        Path p = csv("t.csv", rows(20).replace("1981-01-04,13.5", "1981-01-04,?13.5"));
        assertOneLine(fit(p), "rnn4j fit: " + p + ": row 5, column \"Temp\": expected a number, got \"?13.5\"");
    }

    @Test
    void emptyFile() throws IOException {
        Path p = csv("empty.csv", "");
        assertOneLine(fit(p), "rnn4j fit: " + p + ": the file is empty, expected a header row and data rows");
    }

    @Test
    void headerOnly() throws IOException {
        Path p = csv("header.csv", "Date,Temp\n");
        assertOneLine(fit(p), "rnn4j fit: " + p + ": has a header row but no data rows");
    }

    @Test
    void fewerRowsThanTheWindow() throws IOException {
        Path p = csv("short.csv", rows(20));
        CliRun r = CliRun.of("fit", "--csv", p.toString(), "--target", "Temp", "--window", "30", "--out", dir.resolve("m.keras").toString());
        assertOneLine(r, "rnn4j fit: " + p + ": has 20 data rows, expected at least 31 (--window 30 + --horizon 1) to make one window");
    }

    @Test
    void unknownModelSpec() throws IOException {
        Path p = csv("t.csv", rows(30));
        assertOneLine(fit(p, "--model", "lsmt:64"), "rnn4j fit: --model \"lsmt:64\": unknown layer \"lsmt\"; expected lstm:UNITS, "
                + "gru:UNITS or simplernn:UNITS, comma-separated for a stack (e.g. lstm:64,lstm:32), or a Keras model JSON file");
        assertOneLine(fit(p, "--model", "lstm:many"), "rnn4j fit: --model \"lstm:many\": the units of \"lstm:many\" must be a whole "
                + "number; expected lstm:UNITS, gru:UNITS or simplernn:UNITS, comma-separated for a stack (e.g. lstm:64,lstm:32), "
                + "or a Keras model JSON file");
        Path json = dir.resolve("nope.json");
        assertOneLine(fit(p, "--model", json.toString()), "rnn4j fit: --model " + json + ": no such file; expected lstm:UNITS, "
                + "gru:UNITS or simplernn:UNITS, comma-separated for a stack (e.g. lstm:64,lstm:32), or a Keras model JSON file");
    }

    @Test
    void datesOutOfOrder() throws IOException {
        Path p = csv("t.csv", rows(20).replace("1981-01-05", "1981-01-01"));
        assertOneLine(fit(p), "rnn4j fit: " + p + ": row 6, column \"Date\": expected dates in increasing order, got 1981-01-01 after 1981-01-04");
    }

    @Test
    void badOptionValues() throws IOException {
        Path p = csv("t.csv", rows(20));
        assertOneLine(fit(p, "--test-split", "1.5"), "rnn4j fit: --test-split must be a fraction in [0, 1), got 1.5");
        assertOneLine(CliRun.of("fit", "--csv", p.toString(), "--target", "Temp", "--window", "3", "--out", "m.h5"),
                "rnn4j fit: --out m.h5: expected a file name ending in .keras (Keras 3's format)");
    }

    @Test
    void evaluateAndForecastWithAMissingModel() throws IOException {
        Path p = csv("t.csv", rows(20));
        Path m = dir.resolve("none.keras");
        assertOneLine(CliRun.of("evaluate", "--model", m.toString(), "--csv", p.toString()),
                "rnn4j evaluate: --model " + m + ": no such file (train one with `rnn4j fit`)");
        assertOneLine(CliRun.of("forecast", "--model", m.toString(), "--csv", p.toString(), "--steps", "3"),
                "rnn4j forecast: --model " + m + ": no such file (train one with `rnn4j fit`)");
    }
}
