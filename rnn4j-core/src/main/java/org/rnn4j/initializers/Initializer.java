package org.rnn4j.initializers;

import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;

/**
 * Fills a new weight, with Keras's definitions of each initializer. Fan-in and fan-out are computed as Keras does:
 * for a 2-D kernel {@code [in, out]}, fan_in = in and fan_out = out.
 *
 * <pre>{@code
 * Initializer init = Initializer.get("glorot_uniform");
 * float[] kernel = init.create(new int[] {8, 256});
 * }</pre>
 */
public abstract class Initializer {
    /** Fills {@code values} for a weight of {@code shape}. */
    public abstract void fill(float[] values, int[] shape, SplittableRandom random);

    /** Keras's name ({@code glorot_uniform}). */
    public abstract String name();

    /** A new array of the shape's size, filled from the global generator. */
    public float[] create(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        fill(v, shape, Rnn4j.random());
        return v;
    }

    static double fanIn(int[] shape) {
        if (shape.length < 1) return 1;
        if (shape.length == 1) return shape[0];
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        return shape[shape.length - 2] * receptive;
    }

    static double fanOut(int[] shape) {
        if (shape.length < 1) return 1;
        if (shape.length == 1) return shape[0];
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        return shape[shape.length - 1] * receptive;
    }

    public static Initializer zeros() { return constant(0f, "zeros"); }

    public static Initializer ones() { return constant(1f, "ones"); }

    public static Initializer constant(float value) { return constant(value, "constant"); }

    private static Initializer constant(float value, String name) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) { java.util.Arrays.fill(v, value); }
            public String name() { return name; }
        };
    }

    public static Initializer randomNormal(double mean, double stddev) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) {
                for (int i = 0; i < v.length; i++) v[i] = (float) (mean + stddev * Gaussian.next(r));
            }
            public String name() { return "random_normal"; }
        };
    }

    public static Initializer randomUniform(double min, double max) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) {
                for (int i = 0; i < v.length; i++) v[i] = (float) (min + (max - min) * r.nextDouble());
            }
            public String name() { return "random_uniform"; }
        };
    }

    /** The Keras initializer of that name with Keras's default arguments. */
    public static Initializer get(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "zeros": return zeros();
            case "ones": return ones();
            case "random_normal": return randomNormal(0, 0.05);
            case "random_uniform": return randomUniform(-0.05, 0.05);
            case "glorot_uniform": return new VarianceScaling(1.0, "fan_avg", "uniform", "glorot_uniform");
            case "glorot_normal": return new VarianceScaling(1.0, "fan_avg", "truncated_normal", "glorot_normal");
            case "he_uniform": return new VarianceScaling(2.0, "fan_in", "uniform", "he_uniform");
            case "he_normal": return new VarianceScaling(2.0, "fan_in", "truncated_normal", "he_normal");
            case "lecun_uniform": return new VarianceScaling(1.0, "fan_in", "uniform", "lecun_uniform");
            case "lecun_normal": return new VarianceScaling(1.0, "fan_in", "truncated_normal", "lecun_normal");
            case "orthogonal": return new Orthogonal(1.0);
            default:
                throw new IllegalArgumentException("Unknown initializer '" + name + "'; expected one of zeros, ones, "
                        + "constant, random_normal, random_uniform, glorot_uniform, glorot_normal, he_uniform, he_normal, "
                        + "lecun_uniform, lecun_normal, orthogonal");
        }
    }
}
