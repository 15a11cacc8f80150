package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guide's MinimalRNNCell, written outside the library with no backward code: trained, saved and loaded. */
class CustomCellExampleTest {
    @TempDir Path dir;

    @Test
    void minimalCellLearnsTheSumAndSurvivesSaveAndLoad() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path file = dir.resolve("minimal.keras");
        CustomCellExample.Outcome o = new CustomCellExample(new PrintStream(printed, true, StandardCharsets.UTF_8)).run(1, 15, file);
        // The sums have variance 20/12 = 1.67: predicting zero scores about that; the trained model far less.
        assertTrue(o.mseBefore() > 0.5, "before training " + o.mseBefore());
        assertTrue(o.mseAfter() < 0.01 * o.mseBefore(), "after training " + o.mseAfter() + " vs " + o.mseBefore());
        assertEquals(0.0, o.maxLoadedDifference());
        assertTrue(Files.size(file) > 0);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("rnn (RNN)") && text.contains("Total params: 89"), text); // 2*8 + 8*8, then 8 + 1
    }

    @Test
    void theCellIsAtMost25LinesOfJava() throws Exception {
        // Lines of code: not blank, not the package line, an import or a comment.
        long lines = Files.readAllLines(Path.of("src/main/java/org/rnn4j/examples/MinimalRNNCell.java")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("package ") && !l.startsWith("import ")
                        && !l.startsWith("/*") && !l.startsWith("*")).count();
        assertTrue(lines <= 25, lines + " lines");
        String code = Files.readString(Path.of("src/main/java/org/rnn4j/examples/MinimalRNNCell.java"));
        assertTrue(!code.contains("backward(") && !code.contains(".grad"), "no backward code");
    }
}
