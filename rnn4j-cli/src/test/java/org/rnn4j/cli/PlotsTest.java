package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.CsvTable;

/** Each plot renders headless to a PNG of the expected size, with and without a date column. */
class PlotsTest {
    @TempDir
    Path dir;

    private static SeriesData series(boolean dates) {
        List<String> lines = new ArrayList<>();
        lines.add(dates ? "Day,Value" : "Value");
        for (int i = 0; i < 40; i++) {
            String v = String.valueOf(10 + Math.sin(i / 3.0));
            lines.add(dates ? LocalDateTime.of(2020, 1, 1, 0, 0).plusDays(i).toLocalDate() + "," + v : v);
        }
        return SeriesData.of(CsvTable.parse("s.csv", lines), "Value", List.of());
    }

    @Test
    void dateTicksReadAsCalendarDates() {
        assertEquals(1983.0, Plots.year(LocalDateTime.of(1983, 1, 1, 0, 0)));
        assertEquals("1983", Plots.dateLabel(1983.0, 10));
        assertEquals("1981-07", Plots.dateLabel(1981.5, 10));
        assertEquals("1981-07", Plots.dateLabel(1981.5, 1));
        assertEquals("1990-01-31", Plots.dateLabel(Plots.year(LocalDateTime.of(1990, 1, 31, 0, 0)), 0.05));
        LocalDateTime d = LocalDateTime.of(1988, 2, 29, 6, 30);
        assertEquals(d, Plots.dateOf(Plots.year(d)));
    }

    @Test
    void historyPlot() throws IOException {
        Map<String, List<Double>> h = new LinkedHashMap<>();
        h.put("loss", List.of(1.0, 0.1, 0.01, 0.008));
        h.put("val_loss", List.of(1.2, 0.2, 0.02, 0.03));
        Path png = dir.resolve("h.png");
        Plots.history(h, 3, png, "loss per epoch");
        ForecastCommandsTest.assertPng(png);
    }

    @Test
    void testFitAndForecastPlots() throws IOException {
        for (boolean dates : new boolean[] {true, false}) {
            SeriesData d = series(dates);
            int[] times = {30, 31, 32};
            float[] actual = {d.target()[30], d.target()[31], d.target()[32]};
            Forecaster.Evaluation e = new Forecaster.Evaluation(List.of(new Forecaster.Scores("m", 1, 1, 1)), times, actual,
                    new float[] {10, 10.5f, 11}, dates ? new float[] {9, 9, 9} : null, 3);
            Path fit = dir.resolve("fit" + dates + ".png"), forecast = dir.resolve("forecast" + dates + ".png");
            Plots.testFit(d, e, "lstm:8", 1, fit);
            assertZoomedPng(fit); // 3 test steps of a longer series: overview panel + zoomed main panel
            List<LocalDateTime> future = d.futureDates(5);
            assertTrue(dates == (future != null));
            Plots.forecast(d, new float[] {10, 11, 12, 11, 10}, future, forecast);
            ForecastCommandsTest.assertPng(forecast); // 5 steps after a short history: one panel
        }
    }

    static void assertZoomedPng(Path png) throws IOException {
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(Plots.WIDTH, img.getWidth(), png.toString());
        assertEquals(Plots.OVERVIEW_HEIGHT + Plots.HEIGHT, img.getHeight(), png.toString());
    }
}
