package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, as a new user runs it: the LSTM beats seasonal-naive and three plots are written. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoBeatsSeasonalNaiveAndWritesThreePlots() throws IOException {
        CliRun r = CliRun.of("demo", "--out-dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Arrays.asList(r.out().split("\n"));
        List<String> last = lines.subList(lines.size() - 6, lines.size());
        Matcher m = Pattern.compile("test RMSE: model (\\d+\\.\\d+), seasonal-naive (\\d+\\.\\d+) \\(.*\\)").matcher(last.get(0));
        assertTrue(m.matches(), last.get(0));
        double model = Double.parseDouble(m.group(1)), naive = Double.parseDouble(m.group(2));
        assertEquals(41.85, naive, 1e-9, "seasonal-naive on the last 48 months");
        assertTrue(model < naive, "the LSTM beats seasonal-naive: " + last.get(0));
        for (String png : List.of("airline.history.png", "airline.test.png", "airline.forecast.png")) {
            Path p = dir.resolve(png);
            assertTrue(last.stream().anyMatch(l -> l.startsWith("plot: " + p + " (")), png + " named in " + last);
            ForecastCommandsTest.assertPng(p);
        }
        assertTrue(Files.exists(dir.resolve("airline.keras")));
        assertEquals(13, Files.readAllLines(dir.resolve("airline.forecast.csv")).size());
        // The bundled data and its origin travel with the jar.
        assertEquals(145, Files.readAllLines(dir.resolve("airline-passengers.csv")).size());
        assertTrue(Files.readString(dir.resolve("DATASETS.md")).contains("Box & Jenkins"));
    }
}
