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
 *
 * <p>Thread safety: not thread-safe: confined to the fit call it is given to.
 */
public final class FitOptions {
    int epochs = 1;
    int initialEpoch = 0;
    int batchSize = 32;
    int verbose = 1;
    boolean shuffle = true;
    double validationSplit = 0;
    Tensor[] validationX, validationY, validationSampleWeight;
    Tensor[] sampleWeight;
    java.util.Map<Integer, ? extends Number> classWeight;
    final List<Callback> callbacks = new ArrayList<>();
    PrintStream out = System.out;

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions epochs(int v) {
        if (v < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + v);
        epochs = v;
        return this;
    }

    /**
     * Epoch to start at (for resuming): epochs then counts the final epoch, as in Keras.
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions initialEpoch(int v) {
        if (v < 0) throw new IllegalArgumentException("initial_epoch must be >= 0, got " + v);
        initialEpoch = v;
        return this;
    }

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions batchSize(int v) {
        if (v <= 0) throw new IllegalArgumentException("batch_size must be a positive integer, got " + v);
        batchSize = v;
        return this;
    }

    /**
     * 0 = silent, 1 = progress bar, 2 = one line per epoch.
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions verbose(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + v);
        verbose = v;
        return this;
    }

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions shuffle(boolean v) { shuffle = v; return this; }

    /**
     * Fraction of the data, taken from the end before shuffling, held out for validation.
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions validationSplit(double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("validation_split must be in [0, 1), got " + v);
        validationSplit = v;
        return this;
    }

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions validationData(Tensor x, Tensor y) {
        return validationData(new Tensor[] {x}, new Tensor[] {y});
    }

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions validationData(Tensor[] x, Tensor[] y) {
        validationX = x;
        validationY = y;
        validationSampleWeight = null;
        return this;
    }

    /**
     * Keras's {@code validation_data=(x, y, sample_weight)}.
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions validationData(Tensor x, Tensor y, Tensor sampleWeight) {
        validationData(new Tensor[] {x}, new Tensor[] {y});
        validationSampleWeight = sampleWeight == null ? null : new Tensor[] {sampleWeight};
        return this;
    }

    /**
     * Keras's {@code sample_weight}: per-sample loss weights, shape {@code (samples,)}, or {@code (samples,
     * timesteps)} for sequence outputs; one tensor for all outputs or one per output. The loss of a batch is
     * {@code sum(row_loss * weight) / rows}. Compiled metrics are not weighted (as Keras's {@code metrics}).
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions sampleWeight(Tensor... perOutput) {
        sampleWeight = perOutput == null || perOutput.length == 0 ? null : perOutput.clone();
        return this;
    }

    /**
     * Keras's {@code class_weight}: class index to loss weight, for single-output models; a target's class is its
     * argmax (one-hot) or its value (sparse). Classes not listed weigh 1.
     *
     * <pre>{@code
     * new FitOptions().classWeight(Map.of(0, 1.0, 1, 5.0))
     * }</pre>
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions classWeight(java.util.Map<Integer, ? extends Number> classWeight) {
        this.classWeight = classWeight == null ? null : new java.util.LinkedHashMap<>(classWeight);
        return this;
    }

    /** Not thread-safe: configure on one thread, for one fit call. */
    public FitOptions callbacks(Callback... cbs) {
        callbacks.addAll(Arrays.asList(cbs));
        return this;
    }

    /**
     * Where the progress bar, the per-epoch lines and the callbacks' verbose messages go (standard output by
     * default): {@code new FitOptions().output(myStream)}; {@code Model.evaluate} and {@code Model.predict} take
     * the same as an argument.
     * Not thread-safe: configure on one thread, for one fit call.
     */
    public FitOptions output(PrintStream out) {
        this.out = out;
        return this;
    }
}
