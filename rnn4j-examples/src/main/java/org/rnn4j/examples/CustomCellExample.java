package org.rnn4j.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * The guide's custom cell end to end: {@code RNN(MinimalRNNCell(8))} then {@code Dense(1)} learns the sum of a
 * 10-step sequence of two features (a linear recurrence, which the linear MinimalRNNCell can represent exactly), is
 * saved to a {@code .keras} file and loaded back through {@code LayerRegistry.registerCell} (the file names the cell;
 * no code is loaded from it).
 *
 * <pre>{@code
 * CustomCellExample.Outcome o = new CustomCellExample(System.out).run(1, 40, Path.of("minimal.keras"));
 * }</pre>
 */
public final class CustomCellExample {
    /** Test MSE before and after training, and the largest prediction difference after loading the saved file. */
    public record Outcome(double mseBefore, double mseAfter, double maxLoadedDifference) {}

    private final PrintStream out;

    public CustomCellExample(PrintStream out) { this.out = out; }

    /** {@code n} sequences {@code [n, 10, 2]} and their sums over both features and all steps. */
    static Tensor[] data(SplittableRandom r, int n) {
        float[] x = new float[n * 10 * 2], y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() - 0.5);
            y[i / 20] += x[i];
        }
        return new Tensor[] {Tensor.of(x, n, 10, 2), Tensor.of(y, n, 1)};
    }

    /** Trains, saves to {@code file}, loads it back. Not thread-safe: uses the global seed. */
    public Outcome run(long seed, int epochs, Path file) {
        Rnn4j.setRandomSeed(seed);
        SplittableRandom r = new SplittableRandom(seed);
        Tensor[] train = data(r, 512), test = data(r, 128);
        Sequential model = new Sequential();
        model.add(RNN.of(new MinimalRNNCell(8)).inputShape(10, 2));
        model.add(new Dense(1));
        model.compile(org.rnn4j.losses.Loss.get("mse"), new Adam(0.01));
        out.println(model.summary());
        double before = model.evaluate(new Tensor[] {test[0]}, new Tensor[] {test[1]}, 128, 0).get("loss");
        model.fit(train[0], train[1], new FitOptions().epochs(epochs).batchSize(32).verbose(0));
        double after = model.evaluate(new Tensor[] {test[0]}, new Tensor[] {test[1]}, 128, 0).get("loss");
        out.printf(Locale.ROOT, "test MSE: %.5f before training, %.6f after %d epochs%n", before, after, epochs);
        model.save(file);
        LayerRegistry.registerCell("MinimalRNNCell", c -> new MinimalRNNCell(c.getInt("units", -1)));
        Model loaded = Models.load(file);
        float[] a = model.predict(test[0]).data(), b = loaded.predict(test[0]).data();
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
        out.printf(Locale.ROOT, "saved to %s and loaded: largest prediction difference %.1e%n", file, diff);
        return new Outcome(before, after, diff);
    }

    public static void main(String[] args) {
        new CustomCellExample(System.out).run(1, 40, Path.of(args.length > 0 ? args[0] : "minimal_rnn.keras"));
    }
}
