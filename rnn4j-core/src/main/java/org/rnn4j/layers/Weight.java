package org.rnn4j.layers;

import org.rnn4j.tensor.Tensor;

/**
 * A layer's variable: its value, the gradient accumulated by the last backward pass, and whether the optimizer
 * updates it. {@link #name()} is Keras's short variable name ({@code kernel}, {@code recurrent_kernel}, {@code bias}).
 *
 * <pre>{@code
 * Dense d = new Dense(3);
 * d.build(new int[] {Shapes.NONE, 4});
 * for (Weight w : d.weights()) System.out.println(w);   // dense/kernel (4, 3) float32, dense/bias (3,) float32
 * d.weights().get(1).setTrainable(false);                // freeze the bias
 * }</pre>
 *
 * <p>Thread safety: the name, path and shape are fixed; the value is written only by the model's training thread or
 * by {@code Model.setWeights}/{@code loadWeights}, which the model publishes atomically to inference; setters are
 * configuration (not thread-safe).
 */
public final class Weight {
    private final String name;
    private final String path;
    private final Tensor value;
    private final Tensor grad;
    private final boolean int8;
    private boolean trainable;
    private org.rnn4j.regularizers.Regularizer regularizer;
    private org.rnn4j.constraints.Constraint constraint;

    /** Not thread-safe: a weight is configured and built on one thread, then shared by its model. */
    public Weight(String name, String path, Tensor value, boolean trainable) {
        this(name, path, value, trainable, false);
    }

    /**
     * A weight whose values are int8 (a quantized kernel: whole numbers in [-128, 127], held as floats so every
     * weight reads and writes alike; saved as int8). It has no gradient and is never trainable.
     * Not thread-safe: a weight is configured and built on one thread, then shared by its model.
     */
    public static Weight int8(String name, String path, Tensor value) {
        return new Weight(name, path, value, false, true);
    }

    private Weight(String name, String path, Tensor value, boolean trainable, boolean int8) {
        this.name = name;
        this.path = path;
        this.value = value;
        this.int8 = int8;
        this.grad = Tensor.zeros(value.shape());
        this.trainable = trainable && !int8;
        if (int8) checkInt8(value, path);
    }

    /** Keras's dtype of the variable: {@code int8} for a quantized kernel, else {@code float32}. Thread-safe: fixed. */
    public String dtype() { return int8 ? "int8" : "float32"; }

    /** True for an int8 weight (see {@link #int8}). Thread-safe: fixed at construction. */
    public boolean isInt8() { return int8; }

    private static void checkInt8(Tensor values, String path) {
        float[] v = values.data();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= -128 && v[i] <= 127) || v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException("Weight \"" + path + "\" is int8, but value " + i + " is " + v[i]
                        + ": expected a whole number in [-128, 127]");
            }
        }
    }

    /** Keras's variable name, e.g. {@code kernel}. Thread-safe: fixed at construction. */
    public String name() { return name; }

    /** The full path, e.g. {@code lstm/kernel}. Thread-safe: fixed at construction. */
    public String path() { return path; }

    /**
     * Not thread-safe for writes: the live tensor, written by training or the model's published setWeights.
     */
    public Tensor value() { return value; }

    /** Thread-confined: written and read by the model's training thread only. */
    public Tensor grad() { return grad; }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean trainable() { return trainable; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public void setTrainable(boolean trainable) { this.trainable = trainable && !int8; }

    /** Thread-safe: fixed at construction. */
    public int[] shape() { return value.shape(); }

    /** Thread-safe: fixed at construction. */
    public int size() { return value.size(); }

    /**
     * Copies {@code values} into this weight, checking the shape.
     * Not thread-safe: writes the live value; on a shared model use Model.setWeights (published atomically).
     */
    public void assign(Tensor values, String owner) {
        if (!value.sameShape(values)) {
            throw new IllegalArgumentException("Weight \"" + path + "\" of layer \"" + owner + "\" has shape "
                    + org.rnn4j.tensor.Shapes.toString(value.shape()) + " but got "
                    + org.rnn4j.tensor.Shapes.toString(values.shape()));
        }
        if (int8) checkInt8(values, path);
        System.arraycopy(values.data(), 0, value.data(), 0, value.size());
        markChanged();
    }

    private volatile int version;

    /**
     * A counter that moves whenever the value changes through {@link #assign}, an optimizer step, or
     * {@link #markChanged}: derived copies (the streaming path's packed recurrent kernel) compare it to know they
     * are current without reading the values. Code that writes into {@code value().data()} directly calls
     * {@link #markChanged} afterwards.
     * Thread-safe: a volatile read.
     */
    public int version() { return version; }

    /**
     * Records that the value changed (see {@link #version}).
     * Not thread-safe: call from the one thread that changed the value (the increment is not atomic).
     */
    public void markChanged() { version++; }

    /**
     * The penalty this weight adds to the training loss (Keras's {@code variable.regularizer}), or null.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public org.rnn4j.regularizers.Regularizer regularizer() { return regularizer; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public void setRegularizer(org.rnn4j.regularizers.Regularizer r) { regularizer = r; }

    /**
     * The projection applied after each optimizer step (Keras's {@code variable.constraint}), or null.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public org.rnn4j.constraints.Constraint constraint() { return constraint; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public void setConstraint(org.rnn4j.constraints.Constraint c) { constraint = c; }

    /** Thread-confined: the model's training thread only. */
    public void zeroGrad() { java.util.Arrays.fill(grad.data(), 0f); }

    /** Thread-safe: reads fixed fields. */
    @Override
    public String toString() { return path + " " + org.rnn4j.tensor.Shapes.toString(shape()) + " " + dtype(); }
}
