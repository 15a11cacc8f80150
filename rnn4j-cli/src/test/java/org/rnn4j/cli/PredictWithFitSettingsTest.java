package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} on a model from {@code fit} applies the saved columns, window, differencing and scaler (and says so
 * on stderr): on the raw CSV its last row equals the first step of {@code forecast}. {@code --raw} skips them.
 */
class PredictWithFitSettingsTest {
    static final String AIRLINE = "../testdata/datasets/airline-passengers.csv";

    @Test
    void fitThenPredictOnRawValuesEqualsTheFirstStepOfForecast(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("air.keras"), forecast = dir.resolve("f.csv"), predicted = dir.resolve("p.csv");
        CliRun fit = CliRun.of("fit", "--csv", AIRLINE, "--target", "Passengers", "--window", "12", "--difference", "12",
                "--epochs", "2", "--verbose", "0", "--seed", "3", "--out", model.toString());
        assertEquals(0, fit.status(), fit.err());
        CliRun f = CliRun.of("forecast", "--model", model.toString(), "--csv", AIRLINE, "--steps", "1", "--out", forecast.toString());
        assertEquals(0, f.status(), f.err());
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--input", AIRLINE, "--output", predicted.toString());
        assertEquals(0, p.status(), p.err());
        assertTrue(p.err().startsWith("predict: applied the settings saved by `rnn4j fit` in " + model
                + ": columns [Passengers], window 12, difference 12, MinMaxScaler"), p.err());

        List<String> rows = Files.readAllLines(predicted);
        assertEquals("after,Passengers", rows.get(0));
        assertEquals(144 - 24 + 1, rows.size() - 1, "one forecast per complete window (12 + difference 12 rows each)");
        String[] last = rows.get(rows.size() - 1).split(",");
        assertEquals("1960-12", last[0]);
        float want = Float.parseFloat(Files.readAllLines(forecast).get(1).split(",")[1]);
        assertEquals(want, Float.parseFloat(last[1]), 1e-4 * Math.abs(want), "predict's last row = forecast's first step");
        assertTrue(Math.abs(want - 432) < 200, "in passengers (thousands), not scaled units: " + want);

        // --raw feeds the network as is: a CSV of already-scaled windows, 12 values per sample.
        Path raw = dir.resolve("raw.csv");
        Files.writeString(raw, "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.8,0.7,0.6\n");
        CliRun r = CliRun.of("predict", "--raw", "--model", model.toString(), "--input", raw.toString(), "--output",
                dir.resolve("r.csv").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
    }
}
