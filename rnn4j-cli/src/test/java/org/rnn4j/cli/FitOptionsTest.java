package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit's less common options: feature columns, a multi-step horizon, stacked layers, early stopping. */
class FitOptionsTest {
    @TempDir
    Path dir;

    /** 200 days of y = sin(t/5) + 0.1 t/200 with a helper column x = cos(t/5). */
    private Path series() throws IOException {
        StringBuilder sb = new StringBuilder("Day,y,x\n");
        for (int t = 0; t < 200; t++) {
            sb.append(java.time.LocalDate.of(2020, 1, 1).plusDays(t)).append(',').append(Math.sin(t / 5.0) + 0.1 * t / 200)
                    .append(',').append(Math.cos(t / 5.0)).append('\n');
        }
        Path p = dir.resolve("s.csv");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void featuresHorizonAndStackedModel() throws IOException {
        Path csv = series(), model = dir.resolve("m.keras");
        CliRun fit = CliRun.of("fit", "--csv", csv.toString(), "--target", "y", "--features", "x", "--window", "10", "--horizon", "3",
                "--model", "lstm:8,lstm:4", "--epochs", "2", "--verbose", "2", "--out", model.toString());
        assertEquals(0, fit.status(), fit.err());
        assertTrue(fit.out().contains("target y, features x"), fit.out());
        assertTrue(fit.out().contains("lstm_1 (LSTM)"), fit.out());
        assertTrue(fit.out().contains("(None, 3)"), "Dense(horizon): " + fit.out());
        assertTrue(Pattern.compile("(?m)^\\d+/\\d+ - \\d+s - \\d+(ms|us|s)/step - loss: \\S+ - val_loss: \\S+$").matcher(fit.out()).find(),
                "verbose 2 lines: " + fit.out());
        assertTrue(fit.out().contains("forecasts of 1 to 3 steps ahead"), fit.out());

        CliRun tooFar = CliRun.of("forecast", "--model", model.toString(), "--csv", csv.toString(), "--steps", "4");
        assertEquals(2, tooFar.status());
        assertEquals("rnn4j forecast: --steps 4 is more than the model's --horizon 3: forecasting further would need future values "
                + "of the feature columns [x]; use --steps 3 or less\n", tooFar.err());
        CliRun ok = CliRun.of("forecast", "--model", model.toString(), "--csv", csv.toString(), "--steps", "3");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(ok.out().contains("  2020-07-19  "), "dates continue daily after 2020-07-18: " + ok.out());
    }

    @Test
    void gruAndSimpleRnnStacks() throws IOException {
        Path csv = series();
        CliRun fit = CliRun.of("fit", "--csv", csv.toString(), "--target", "y", "--window", "10", "--model", "gru:8,simplernn:4",
                "--epochs", "1", "--verbose", "0", "--out", dir.resolve("g.keras").toString());
        assertEquals(0, fit.status(), fit.err());
        assertTrue(fit.out().contains("gru (GRU)") && fit.out().contains("simple_rnn (SimpleRNN)"), fit.out());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() throws IOException {
        Path csv = series(), model = dir.resolve("e.keras");
        CliRun fit = CliRun.of("fit", "--csv", csv.toString(), "--target", "y", "--window", "10", "--epochs", "40",
                "--learning-rate", "0.05", "--early-stopping", "2", "--verbose", "0", "--out", model.toString());
        assertEquals(0, fit.status(), fit.err());
        Matcher m = Pattern.compile("kept the weights of epoch (\\d+) \\(best val_loss (\\S+)\\)").matcher(fit.out());
        assertTrue(m.find(), fit.out());
        List<String> history = Files.readAllLines(dir.resolve("e.history.csv"));
        int best = Integer.parseInt(m.group(1));
        double bestValLoss = Double.parseDouble(history.get(best).split(",")[2]);
        assertEquals(Double.parseDouble(m.group(2)), bestValLoss, 1e-4 * Math.max(1, bestValLoss) + 1e-7);
        for (String line : history.subList(1, history.size())) {
            assertTrue(Double.parseDouble(line.split(",")[2]) >= bestValLoss, "epoch " + best + " has the lowest val_loss: " + line);
        }
    }
}
