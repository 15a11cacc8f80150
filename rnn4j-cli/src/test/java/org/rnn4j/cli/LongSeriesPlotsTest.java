package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten years of daily temperatures: the evaluate and forecast plots show the whole history as a small overview panel
 * and the test part (or the forecast) zoomed in the main panel, where it spans most of the width.
 */
class LongSeriesPlotsTest {
    static final String TEMPS = "../testdata/datasets/daily-min-temperatures.csv";

    /** Leftmost and rightmost x of pixels of the given colour in rows {@code y0..y1}. */
    static int[] span(BufferedImage img, int rgb, int y0, int y1) {
        int min = Integer.MAX_VALUE, max = -1;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == rgb) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        return new int[] {min, max};
    }

    @Test
    void testPartAndForecastFillTheMainPanel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("temps.keras"), test = dir.resolve("test.png"), forecast = dir.resolve("f.png");
        CliRun fit = CliRun.of("fit", "--csv", TEMPS, "--target", "Temp", "--window", "7", "--epochs", "1", "--verbose", "0",
                "--out", model.toString());
        assertEquals(0, fit.status(), fit.err());
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--csv", TEMPS, "--plot", test.toString());
        assertEquals(0, e.status(), e.err());
        BufferedImage img = ImageIO.read(test.toFile());
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.OVERVIEW_HEIGHT + Plots.HEIGHT, img.getHeight(), "an overview panel above the main one");
        int[] model1 = span(img, 0x1f77b4, Plots.OVERVIEW_HEIGHT, img.getHeight());
        assertTrue(model1[1] - model1[0] > 0.6 * Plots.WIDTH,
                "the test part (730 of 3650 days) spans most of the main panel: x " + model1[0] + ".." + model1[1]);
        int[] history = span(img, 0x222222, 0, Plots.OVERVIEW_HEIGHT);
        assertTrue(history[1] - history[0] > 0.7 * Plots.WIDTH, "the overview shows the whole history: " + history[0] + ".." + history[1]);

        CliRun f = CliRun.of("forecast", "--model", model.toString(), "--csv", TEMPS, "--steps", "14", "--plot", forecast.toString());
        assertEquals(0, f.status(), f.err());
        BufferedImage fimg = ImageIO.read(forecast.toFile());
        assertEquals(Plots.OVERVIEW_HEIGHT + Plots.HEIGHT, fimg.getHeight());
        int[] red = span(fimg, 0xd62728, Plots.OVERVIEW_HEIGHT, fimg.getHeight());
        assertTrue(red[1] - red[0] > 0.15 * Plots.WIDTH, "14 forecast days are readable, not a few pixels: " + red[0] + ".." + red[1]);
    }
}
