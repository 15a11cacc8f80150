package org.rnn4j.callbacks;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras's progress display for {@code fit}, {@code evaluate} and {@code predict} ({@code verbose} 1 and 2), in
 * Keras 2's look:
 * <pre>
 * Epoch 3/20
 *  5/12 [===========&gt;..................] - ETA: 0s - loss: 0.0131      (redrawn in place on a terminal)
 * 12/12 [==============================] - 0s 4ms/step - loss: 0.0123 - val_loss: 0.0150
 * </pre>
 * <ul>
 *   <li>verbose 1 on a terminal: the bar is redrawn in place (carriage return) at most every 50 ms;</li>
 *   <li>verbose 1 when the output is not a terminal (a log file, CI): no animation, only the finished bar, one line
 *       per epoch;</li>
 *   <li>verbose 2: one line per epoch without the bar, as Keras 3 prints it:
 *       {@code 12/12 - 0s - 4ms/step - loss: 0.0123 - val_loss: 0.0150};</li>
 *   <li>verbose 0: silent ({@code fit} does not install this callback).</li>
 * </ul>
 * Values print as Keras prints them: 4 decimals, or scientific notation when {@code |v| <= 1e-3}. The time per step
 * leaves out the first step (compilation and warm-up), as Keras's estimate does.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(20).verbose(1));     // installs a ProgressBar on System.out
 * model.evaluate(new Tensor[] {x}, new Tensor[] {y}, 32, 1);    // 4/4 [====...] - 0s 2ms/step - loss: 0.0150
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit/evaluate/predict call it is given to, which calls it on its
 * own thread. Give one instance to one call at a time.
 */
public final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private static final long INTERVAL_NANOS = 50_000_000L; // Keras's interval=0.05 s between redraws
    private final PrintStream out;
    private final int verbose;
    private final boolean dynamic;
    private final LongSupplier clock;
    private final int epochs;
    private final int steps;
    private long start;
    private long afterFirstStep;
    private long lastDraw;
    private int previousWidth;

    /**
     * A bar that animates when {@code out} is standard output and standard output is a terminal.
     *
     * Thread-confined: give the callback to one fit/evaluate/predict call at a time.
     * @param steps   batches per epoch (or per evaluate/predict run)
     * @param epochs  epochs to run (0 for evaluate/predict; the "Epoch" line shows when above 1, as in Keras)
     */
    public ProgressBar(PrintStream out, int verbose, int epochs, int steps) {
        this(out, verbose, epochs, steps, out == System.out && isTerminal(), System::nanoTime);
    }

    /**
     * A bar with the display mode and clock given (tests).
     * Thread-confined: give the callback to one fit/evaluate/predict call at a time.
     */
    public ProgressBar(PrintStream out, int verbose, int epochs, int steps, boolean dynamic, LongSupplier nanoClock) {
        if (verbose < 0 || verbose > 2) throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
        this.out = out;
        this.verbose = verbose;
        this.epochs = epochs;
        this.steps = steps;
        this.dynamic = dynamic;
        this.clock = nanoClock;
    }

    /**
     * True when standard output is an interactive terminal. Since JDK 22 {@code System.console()} exists even when
     * output is redirected, so its {@code isTerminal()} (looked up reflectively: we compile for 17) decides.
     * Not thread-safe: read on the fit thread or after fit returns.
     */
    public static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a console exists only for a terminal
        }
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        if (verbose == 0) return;
        if (epochs > 1) out.println("Epoch " + (epoch + 1) + "/" + epochs); // Keras skips it for a single epoch
        begin();
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTestBegin(Map<String, Double> logs) { if (epochs == 0) begin(); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onPredictBegin(Map<String, Double> logs) { begin(); }

    private void begin() {
        start = clock.getAsLong();
        afterFirstStep = -1;
        lastDraw = Long.MIN_VALUE;
        previousWidth = 0;
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) { batchEnd(batch, logs); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) { if (epochs == 0) batchEnd(batch, logs); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) { batchEnd(batch, logs); }

    private void batchEnd(int batch, Map<String, Double> logs) {
        long now = clock.getAsLong();
        if (batch == 0) afterFirstStep = now;
        if (verbose != 1 || !dynamic || batch + 1 >= steps) return;
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < INTERVAL_NANOS) return;
        lastDraw = now;
        draw(line(batch + 1, logs, now), false);
    }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) { finish(logs); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onTestEnd(Map<String, Double> logs) { if (epochs == 0) finish(logs); }

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onPredictEnd(Map<String, Double> logs) { finish(logs); }

    private void finish(Map<String, Double> logs) {
        if (verbose == 0) return;
        draw(line(steps, logs, clock.getAsLong()), true);
    }

    private void draw(String line, boolean last) {
        StringBuilder sb = new StringBuilder();
        if (dynamic && verbose == 1) sb.append('\r');
        sb.append(line);
        // Blank out the tail of a longer previous frame, as Keras does.
        if (dynamic && previousWidth > line.length()) sb.append(" ".repeat(previousWidth - line.length()));
        previousWidth = line.length();
        if (last) out.println(sb);
        else out.print(sb);
        out.flush();
    }

    /** The text of the display after {@code done} of {@link #steps} steps (without carriage return). */
    String line(int done, Map<String, Double> logs, long now) {
        boolean finished = done >= steps;
        double elapsed = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        int digits = Integer.toString(Math.max(steps, 1)).length();
        sb.append(String.format(Locale.ROOT, "%" + digits + "d/%d", done, steps));
        if (verbose == 2) {
            sb.append(" - ").append(String.format(Locale.ROOT, "%.0fs", elapsed)).append(" -").append(perStep(stepSeconds(done, now)));
        } else {
            sb.append(" [");
            int filled = steps <= 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, steps) / steps);
            if (filled > 0) sb.append("=".repeat(filled - 1)).append(finished ? '=' : '>');
            sb.append(".".repeat(WIDTH - filled)).append(']');
            if (finished) {
                sb.append(" - ").append(String.format(Locale.ROOT, "%.0fs", elapsed)).append(perStep(stepSeconds(done, now)));
            } else {
                sb.append(" - ETA: ").append(eta(stepSeconds(done, now) * (steps - done)));
            }
        }
        if (logs != null) {
            for (Map.Entry<String, Double> e : logs.entrySet()) {
                sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getValue()));
            }
        }
        return sb.toString();
    }

    /** Seconds per step, leaving out the first step when there are more. */
    private double stepSeconds(int done, long now) {
        if (done <= 0) return 0;
        if (done > 1 && afterFirstStep >= 0) return (now - afterFirstStep) / 1e9 / (done - 1);
        return (now - start) / 1e9 / done;
    }

    private static String eta(double s) {
        if (s > 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", (long) (s / 3600), (long) (s % 3600) / 60, (long) s % 60);
        if (s > 60) return String.format(Locale.ROOT, "%d:%02d", (long) (s / 60), (long) s % 60);
        return String.format(Locale.ROOT, "%ds", (long) s);
    }

    private static String perStep(double s) {
        if (s >= 1 || s == 0) return String.format(Locale.ROOT, " %.0fs/step", s);
        if (s >= 1e-3) return String.format(Locale.ROOT, " %.0fms/step", s * 1e3);
        return String.format(Locale.ROOT, " %.0fus/step", s * 1e6);
    }

    /**
     * Keras's number format in logs: {@code %.4f}, or {@code %.4e} when {@code |v| <= 1e-3}.
     * Not thread-safe: configure before giving the callback to fit.
     */
    public static String format(double v) {
        return Math.abs(v) > 1e-3 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
