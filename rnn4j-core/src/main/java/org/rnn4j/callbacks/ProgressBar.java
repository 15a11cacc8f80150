package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's progress display for {@code fit}, {@code evaluate} and {@code predict}.
 *
 * <ul>
 *   <li>verbose 1 on a terminal: {@code Epoch 3/20} then a bar redrawn in place,
 *       {@code 12/12 [==============================] - 0s 4ms/step - loss: 0.0123 - val_loss: 0.0150};</li>
 *   <li>verbose 1 when output is not a terminal (a log file, CI), and verbose 2: one line per epoch, no animation;</li>
 *   <li>verbose 0: silent (this callback is not installed).</li>
 * </ul>
 * Values print as Keras does: 4 decimals, or scientific notation below 1e-3.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int verbose;
    private final boolean animate;
    private int epochs;
    private int steps;
    private long epochStart;
    private long lastDraw;

    /**
     * @param steps   batches per epoch (or per evaluate/predict run)
     * @param epochs  epochs to run (0 for evaluate/predict: no "Epoch" line)
     */
    public ProgressBar(PrintStream out, int verbose, int epochs, int steps) {
        this.out = out;
        this.verbose = verbose;
        this.epochs = epochs;
        this.steps = steps;
        this.animate = verbose == 1 && System.console() != null && out == System.out;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (epochs > 0) out.println("Epoch " + (epoch + 1) + "/" + epochs);
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) { if (epochs == 0) epochStart = System.nanoTime(); }

    @Override
    public void onPredictBegin(Map<String, Double> logs) { epochStart = System.nanoTime(); }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) { batchEnd(batch, logs); }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) { if (epochs == 0) batchEnd(batch, logs); }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) { batchEnd(batch, logs); }

    private void batchEnd(int batch, Map<String, Double> logs) {
        if (!animate || batch + 1 >= steps) return;
        long now = System.nanoTime();
        if (now - lastDraw < 50_000_000L) return; // redraw at most 20 times a second
        lastDraw = now;
        out.print("\r" + line(batch + 1, logs, now));
        out.flush();
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) { finish(logs); }

    @Override
    public void onTestEnd(Map<String, Double> logs) { if (epochs == 0) finish(logs); }

    @Override
    public void onPredictEnd(Map<String, Double> logs) { finish(logs); }

    private void finish(Map<String, Double> logs) {
        String l = line(steps, logs, System.nanoTime());
        out.println(animate ? "\r" + l : l);
        out.flush();
    }

    /** The bar line for {@code done} of {@link #steps} batches. */
    String line(int done, Map<String, Double> logs, long now) {
        double seconds = (now - epochStart) / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(pad(done)).append('/').append(steps);
        if (verbose == 1) {
            sb.append(" [");
            int filled = steps == 0 ? WIDTH : (int) ((long) WIDTH * done / steps);
            for (int i = 0; i < WIDTH; i++) {
                if (i < filled - 1 || (i == filled - 1 && done == steps)) sb.append('=');
                else if (i == filled - 1) sb.append('>');
                else sb.append('.');
            }
            sb.append(']');
        }
        sb.append(" - ").append(Math.round(seconds)).append('s');
        if (done > 0) sb.append(' ').append(perStep(seconds / done)).append("/step");
        if (logs != null) {
            for (Map.Entry<String, Double> e : logs.entrySet()) {
                sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getValue()));
            }
        }
        return sb.toString();
    }

    private String pad(int done) {
        String s = Integer.toString(done);
        int w = Integer.toString(steps).length();
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }

    private static String perStep(double s) {
        if (s >= 1) return String.format(Locale.ROOT, "%.0fs", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, "%.0fms", s * 1e3);
        return String.format(Locale.ROOT, "%.0fus", s * 1e6);
    }

    /** Keras's number format in logs. */
    public static String format(double v) {
        return Math.abs(v) > 1e-3 || v == 0 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
