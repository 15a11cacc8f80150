package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.tensor.Tensor;

/**
 * The arguments of {@link Model#fit}, with Keras's defaults: 1 epoch, batch size 32, verbose 1, shuffle on.
 *
 * <pre>{@code
 * model.fit(x, y, new FitOptions().epochs(1000).batchSize(5).verbose(0));
 * }</pre>
 */
public final class FitOptions {
    int epochs = 1;
    int initialEpoch = 0;
    int batchSize = 32;
    int verbose = 1;
    boolean shuffle = true;
    double validationSplit = 0;
    Tensor[] validationX, validationY;
    final List<Callback> callbacks = new ArrayList<>();
    PrintStream out = System.out;

    public FitOptions epochs(int v) {
        if (v < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + v);
        epochs = v;
        return this;
    }

    /** Epoch to start at (for resuming): epochs then counts the final epoch, as in Keras. */
    public FitOptions initialEpoch(int v) {
        if (v < 0) throw new IllegalArgumentException("initial_epoch must be >= 0, got " + v);
        initialEpoch = v;
        return this;
    }

    public FitOptions batchSize(int v) {
        if (v <= 0) throw new IllegalArgumentException("batch_size must be a positive integer, got " + v);
        batchSize = v;
        return this;
    }

    /** 0 = silent, 1 = progress bar, 2 = one line per epoch. */
    public FitOptions verbose(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + v);
        verbose = v;
        return this;
    }

    public FitOptions shuffle(boolean v) { shuffle = v; return this; }

    /** Fraction of the data, taken from the end before shuffling, held out for validation. */
    public FitOptions validationSplit(double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("validation_split must be in [0, 1), got " + v);
        validationSplit = v;
        return this;
    }

    public FitOptions validationData(Tensor x, Tensor y) {
        return validationData(new Tensor[] {x}, new Tensor[] {y});
    }

    public FitOptions validationData(Tensor[] x, Tensor[] y) {
        validationX = x;
        validationY = y;
        return this;
    }

    public FitOptions callbacks(Callback... cbs) {
        callbacks.addAll(Arrays.asList(cbs));
        return this;
    }

    /** Where the progress display goes (standard output by default). */
    public FitOptions output(PrintStream out) {
        this.out = out;
        return this;
    }
}
