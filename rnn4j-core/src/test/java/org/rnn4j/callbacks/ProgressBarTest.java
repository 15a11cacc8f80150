package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.layers.Dense;
import org.rnn4j.Rnn4j;
import org.rnn4j.tensor.Tensor;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private String text() { return bytes.toString(StandardCharsets.UTF_8); }

    private static Map<String, Double> logs(double loss, Double valLoss) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        if (valLoss != null) m.put("val_loss", valLoss);
        return m;
    }

    /** One epoch of 12 steps, 4 ms each, on a fake clock. */
    private void epoch(ProgressBar bar, int epoch) {
        bar.onEpochBegin(epoch, Map.of());
        for (int b = 0; b < 12; b++) {
            now += 4_000_000L;
            bar.onTrainBatchEnd(b, logs(0.0131, null));
            now += 60_000_000L * (b == 4 ? 1 : 0); // a slow step: the next frame is past the 50 ms interval
        }
        bar.onEpochEnd(epoch, logs(0.0123, 0.0150));
    }

    @Test
    void notATerminalPrintsOneFinishedBarPerEpoch() {
        ProgressBar bar = new ProgressBar(out, 1, 20, 12, false, () -> now);
        epoch(bar, 2);
        assertEquals("Epoch 3/20\n12/12 [==============================] - 0s 9ms/step - loss: 0.0123 - val_loss: 0.0150\n",
                text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void terminalRedrawsInPlaceWithEta() {
        ProgressBar bar = new ProgressBar(out, 1, 20, 12, true, () -> now);
        epoch(bar, 0);
        String t = text().replace(System.lineSeparator(), "\n");
        assertTrue(t.startsWith("Epoch 1/20\n\r 1/12 [=>............................] - ETA: 0s - loss: 0.0131"), t);
        assertTrue(t.contains("\r 6/12 [==============>...............] - ETA: 0s - loss: 0.0131"), t);
        assertTrue(t.endsWith("\r12/12 [==============================] - 0s 9ms/step - loss: 0.0123 - val_loss: 0.0150\n"), t);
        assertEquals(1, t.chars().filter(c -> c == '\n').count() - 1, "one line break after the header, one at the end");
    }

    @Test
    void verbose2IsOneLinePerEpochWithoutBar() {
        ProgressBar bar = new ProgressBar(out, 2, 20, 12, true, () -> now);
        epoch(bar, 0);
        assertEquals("Epoch 1/20\n12/12 - 0s - 9ms/step - loss: 0.0123 - val_loss: 0.0150\n",
                text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void evaluateAndPredictHaveNoEpochLine() {
        ProgressBar bar = new ProgressBar(out, 1, 0, 4, false, () -> now);
        bar.onTestBegin(Map.of());
        for (int b = 0; b < 4; b++) {
            now += 2_000_000L;
            bar.onTestBatchEnd(b, logs(0.015, null));
        }
        bar.onTestEnd(logs(0.015, null));
        assertEquals("4/4 [==============================] - 0s 2ms/step - loss: 0.0150\n", text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void kerasNumberFormat() {
        assertEquals("0.0123", ProgressBar.format(0.01234));
        assertEquals("1.2340e-04", ProgressBar.format(1.234e-4));
        assertEquals("0.0000e+00", ProgressBar.format(0));
        assertEquals("-2.5000", ProgressBar.format(-2.5));
    }

    @Test
    void fitWithVerbose0IsSilentAndVerbose1PrintsEveryEpoch() {
        Rnn4j.setRandomSeed(1);
        Sequential model = new Sequential();
        model.add(new Dense(1).inputShape(2));
        model.compile("mse", "sgd");
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2), y = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        model.fit(x, y, new FitOptions().epochs(2).batchSize(2).verbose(0).output(out));
        assertEquals("", text());
        model.fit(x, y, new FitOptions().epochs(2).batchSize(2).verbose(1).output(out));
        String[] lines = text().split("\\R");
        assertEquals(4, lines.length, text());
        assertEquals("Epoch 2/2", lines[2]);
        assertTrue(lines[3].matches("2/2 \\[=+\\] - \\d+s \\d+(ms|us|s)/step - loss: [-0-9.e+]+"), lines[3]);
        assertFalse(text().contains("\r"));
    }
}
