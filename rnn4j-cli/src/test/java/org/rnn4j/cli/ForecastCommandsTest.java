package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;

/** fit, evaluate and forecast on the airline data, end to end through the command line. */
class ForecastCommandsTest {
    static final String AIRLINE = "../testdata/datasets/airline-passengers.csv";

    @TempDir
    static Path dir;
    static Path model;
    static CliRun fit;

    @BeforeAll
    static void fitOnce() {
        model = dir.resolve("air.keras");
        fit = CliRun.of("fit", "--csv", AIRLINE, "--target", "Passengers", "--window", "12", "--difference", "12",
                "--epochs", "3", "--batch-size", "16", "--test-split", "0.3333", "--season", "12", "--seed", "1",
                "--out", model.toString());
    }

    static void assertPng(Path png) throws IOException {
        assertTrue(Files.exists(png), png + " written");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Plots.WIDTH, img.getWidth(), png.toString());
        assertEquals(Plots.HEIGHT, img.getHeight(), png.toString());
    }

    @Test
    void fitTrainsWithTheProgressBarAndWritesModelHistoryAndPlot() throws IOException {
        assertEquals(0, fit.status(), fit.err());
        assertEquals("", fit.err());
        String out = fit.out();
        // Not a terminal: one finished bar per epoch, no carriage returns.
        assertFalse(out.contains("\r"));
        assertTrue(out.contains("Epoch 3/3\n"), out);
        assertTrue(Pattern.compile("(?m)^4/4 \\[==============================\\] - \\d+s \\d+(ms|us|s)/step - loss: \\S+ - val_loss: \\S+$")
                .matcher(out).find(), out);
        assertTrue(out.contains("Split: train 86 rows (1949-01 to 1956-02, 62 windows); validation 10 rows"), out);
        assertTrue(Files.exists(model));
        List<String> history = Files.readAllLines(dir.resolve("air.history.csv"));
        assertEquals("epoch,loss,val_loss", history.get(0));
        assertEquals(4, history.size());
        assertTrue(history.get(3).startsWith("2,"));
        assertPng(dir.resolve("air.history.png"));
        assertTrue(out.contains("  seasonal-naive       41.854     36.979     8.73%"), out);
    }

    @Test
    void modelCarriesItsScalerAndSettings() {
        Model m = ModelFiles.load(model);
        ForecastSettings s = ForecastSettings.of(m, model.toString());
        assertEquals("Passengers", s.target);
        assertEquals(12, s.window);
        assertEquals(1, s.horizon);
        assertEquals(12, s.difference);
        assertEquals("MinMaxScaler", s.scaler.className());
        assertEquals("lstm:32", s.modelSpec);
    }

    @Test
    void evaluatePrintsTheModelBesideTheBaselinesAndPlots() throws IOException {
        Path png = dir.resolve("test.png");
        CliRun r = CliRun.of("evaluate", "--model", model.toString(), "--csv", AIRLINE, "--season", "12", "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Test part: 48 forecasts one step ahead, 1957-01 to 1960-12 (in units of Passengers)\n"), r.out());
        assertTrue(r.out().contains("  persistence          48.041     40.042     9.62%\n"), r.out());
        assertTrue(r.out().contains("  seasonal-naive       41.854     36.979     8.73%\n"), r.out());
        // The model's row equals fit's: the scaler and settings came back with the model.
        Matcher m = Pattern.compile("(?m)^  lstm:32 .*$").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(fit.out().contains(m.group()), "evaluate after load reproduces fit's score: " + m.group());
        assertPng(png);
    }

    @Test
    void forecastContinuesTheDatesAndWritesCsvAndPlot() throws IOException {
        Path csv = dir.resolve("f.csv"), png = dir.resolve("f.png");
        CliRun r = CliRun.of("forecast", "--model", model.toString(), "--csv", AIRLINE, "--steps", "14", "--out", csv.toString(),
                "--plot", png.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Forecast of Passengers, 14 steps after 1960-12:\n  1961-01  "), r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("Month,Passengers", lines.get(0));
        assertEquals(15, lines.size());
        assertTrue(lines.get(1).startsWith("1961-01,"));
        assertTrue(lines.get(14).startsWith("1962-02,"));
        for (String l : lines.subList(1, 15)) {
            double v = Double.parseDouble(l.split(",")[1]);
            assertTrue(v > 200 && v < 1000, "a plausible passenger count: " + l);
        }
        assertPng(png);
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String cmd : List.of("fit", "evaluate", "forecast", "demo")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.status());
            assertTrue(r.out().contains("Example") && r.out().contains("./rnn4j " + cmd), r.out());
        }
        assertTrue(CliRun.of("--help").out().contains("forecast"));
    }
}
