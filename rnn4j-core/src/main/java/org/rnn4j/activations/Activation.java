package org.rnn4j.activations;

import java.util.List;
import java.util.Locale;

/**
 * An activation function by its Keras name. Elementwise activations define {@link #apply(float)} and
 * {@link #derivative(float, float)} side by side; {@code softmax} works on rows of the last axis.
 *
 * <pre>{@code
 * Activation tanh = Activation.get("tanh");
 * float y = tanh.apply(0.5f);
 * }</pre>
 */
public abstract class Activation {
    private final String name;

    protected Activation(String name) { this.name = name; }

    /** The Keras name, e.g. {@code "tanh"}. */
    public String name() { return name; }

    /** The activation of one value (elementwise activations only). */
    public abstract float apply(float x);

    /** d apply(x) / dx, given x and y = apply(x). */
    public abstract float derivative(float x, float y);

    /** True for elementwise activations; false for {@code softmax}. */
    public boolean elementwise() { return true; }

    /** y = act(z) over {@code rows x cols} values. z is not modified; y is modified (may be z). */
    public void forward(float[] z, float[] y, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) y[i] = apply(z[i]);
    }

    /** dz = dy * act'(z), given z, y = act(z). Only dz is modified (it may be dy). */
    public void backward(float[] z, float[] y, float[] dy, float[] dz, int rows, int cols) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) dz[i] = dy[i] * derivative(z[i], y[i]);
    }

    /** True for the identity, so callers can skip work. */
    public boolean isLinear() { return false; }

    @Override
    public String toString() { return name; }

    /** The names {@link #get} accepts. */
    public static List<String> names() {
        return List.of("linear", "relu", "sigmoid", "hard_sigmoid", "tanh", "softmax", "elu", "selu",
                "softplus", "softsign", "swish", "silu", "gelu", "exponential", "relu6");
    }

    /**
     * The activation of that Keras name. {@code hard_sigmoid} is the Keras 1/2 definition
     * {@code clip(0.2x + 0.5, 0, 1)} (also TensorFlow.js's); Keras 3's {@code clip(x/6 + 0.5, 0, 1)} is
     * {@code hard_sigmoid_keras3}, which the importers pick for Keras 3 files.
     */
    public static Activation get(String name) {
        if (name == null) return Activations.LINEAR;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "linear": case "none": case "": return Activations.LINEAR;
            case "relu": return Activations.RELU;
            case "relu6": return Activations.RELU6;
            case "sigmoid": return Activations.SIGMOID;
            case "hard_sigmoid": return Activations.HARD_SIGMOID;
            case "hard_sigmoid_keras3": return Activations.HARD_SIGMOID_KERAS3;
            case "tanh": return Activations.TANH;
            case "softmax": return Activations.SOFTMAX;
            case "elu": return Activations.ELU;
            case "selu": return Activations.SELU;
            case "softplus": return Activations.SOFTPLUS;
            case "softsign": return Activations.SOFTSIGN;
            case "swish": case "silu": return Activations.SWISH;
            case "gelu": return Activations.GELU;
            case "exponential": return Activations.EXPONENTIAL;
            default:
                throw new IllegalArgumentException("Unknown activation '" + name + "'; expected one of " + names());
        }
    }
}
