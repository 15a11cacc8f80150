package org.rnn4j.initializers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    /**
     * Keras 3's class name ({@code GlorotUniform}, {@code VarianceScaling}, {@code Zeros}): the snake_case
     * {@link #name()} in CamelCase.
     */
    public String className() {
        StringBuilder sb = new StringBuilder();
        for (String part : name().split("_")) {
            if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    /** Keras's {@code get_config()}: the constructor arguments, snake_case ({@code seed} is always null here). */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("seed", null);
        return c;
    }

    /**
     * Keras 3's {@code serialize_keras_object}: {@code {"module": "keras.initializers", "class_name": ...,
     * "config": ..., "registered_name": null}}, as it appears in layer configs.
     */
    public Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", "keras.initializers");
        m.put("class_name", className());
        m.put("config", getConfig());
        m.put("registered_name", null);
        return m;
    }

    /** A new array of the shape's size, filled from the global generator. */
    public float[] create(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("A weight of shape " + java.util.Arrays.toString(shape)
                        + " has a negative dimension (a size option overflowed?)");
            }
            // Saturating product: a forged shape must not wrap around to a small or negative count.
            n = d == 0 ? 0 : n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        Budget budget = LOADING.get();
        if (budget != null) {
            budget.remaining -= n;
            if (budget.remaining < 0 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(budget.allocateOnly
                        ? "the model config asks for more weight values than the file holds (a weight of shape "
                                + java.util.Arrays.toString(shape) + ")"
                        : "the model config asks for more than " + budget.max + " weight values (a weight of shape "
                                + java.util.Arrays.toString(shape) + "); over LoadLimits.maxWeightValues (raise it with "
                                + "-Drnn4j.load.maxWeightValues=N or LoadLimits.set(...))");
            }
            if (budget.allocateOnly) return new float[(int) n];
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("A weight of shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        float[] v = new float[(int) n];
        Rnn4j.draw(r -> { fill(v, shape, r); return v; });
        return v;
    }

    /** What a model being read may still allocate. */
    private static final class Budget {
        final long max;
        final boolean allocateOnly;
        long remaining;

        Budget(long max, boolean allocateOnly) {
            this.max = max;
            this.allocateOnly = allocateOnly;
            this.remaining = max;
        }
    }

    private static final ThreadLocal<Budget> LOADING = new ThreadLocal<>();

    /**
     * Runs {@code body} (building a model read from a file) with weights allocated but not initialised — the file's
     * values replace them, and the global random generator is left untouched — and at most {@code maxValues} weight
     * values in all, so a config claiming absurd sizes fails fast instead of exhausting memory or time.
     * Thread-safe: the budget belongs to the calling thread.
     */
    public static <T> T allocateOnly(long maxValues, java.util.function.Supplier<T> body) {
        return within(new Budget(maxValues, true), body);
    }

    /**
     * Runs {@code body} (building a model from a JSON config) with at most {@code maxValues} weight values in all,
     * initialised as usual; inside {@link #allocateOnly} the tighter file budget stays. Thread-safe: the budget
     * belongs to the calling thread.
     */
    public static <T> T limited(long maxValues, java.util.function.Supplier<T> body) {
        if (LOADING.get() != null) return body.get();
        return within(new Budget(maxValues, false), body);
    }

    private static <T> T within(Budget budget, java.util.function.Supplier<T> body) {
        Budget previous = LOADING.get();
        LOADING.set(budget);
        try {
            return body.get();
        } finally {
            LOADING.set(previous);
        }
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
            public Map<String, Object> getConfig() {
                Map<String, Object> c = new LinkedHashMap<>();
                if (name.equals("constant")) c.put("value", (double) value);
                return c;
            }
        };
    }

    public static Initializer randomNormal(double mean, double stddev) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) {
                for (int i = 0; i < v.length; i++) v[i] = (float) (mean + stddev * Gaussian.next(r));
            }
            public String name() { return "random_normal"; }
            public Map<String, Object> getConfig() { return args("mean", mean, "stddev", stddev); }
        };
    }

    public static Initializer randomUniform(double min, double max) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) {
                for (int i = 0; i < v.length; i++) v[i] = (float) (min + (max - min) * r.nextDouble());
            }
            public String name() { return "random_uniform"; }
            public Map<String, Object> getConfig() { return args("minval", min, "maxval", max); }
        };
    }

    /** Keras's TruncatedNormal: normal draws beyond two standard deviations are drawn again. */
    public static Initializer truncatedNormal(double mean, double stddev) {
        return new Initializer() {
            public void fill(float[] v, int[] shape, SplittableRandom r) {
                for (int i = 0; i < v.length; i++) v[i] = (float) (mean + stddev * Gaussian.truncated(r));
            }
            public String name() { return "truncated_normal"; }
            public Map<String, Object> getConfig() { return args("mean", mean, "stddev", stddev); }
        };
    }

    private static Map<String, Object> args(String k1, double v1, String k2, double v2) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(k1, v1);
        c.put(k2, v2);
        c.put("seed", null);
        return c;
    }

    /**
     * The Keras initializer of that name with Keras's default arguments.
     * Thread-safe: may be called concurrently; returns a new instance each time.
     */
    public static Initializer get(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "zeros": return zeros();
            case "ones": return ones();
            case "random_normal": return randomNormal(0, 0.05);
            case "random_uniform": return randomUniform(-0.05, 0.05);
            case "truncated_normal": return truncatedNormal(0, 0.05);
            case "glorot_uniform": return new VarianceScaling(1.0, "fan_avg", "uniform", "glorot_uniform");
            case "glorot_normal": return new VarianceScaling(1.0, "fan_avg", "truncated_normal", "glorot_normal");
            case "he_uniform": return new VarianceScaling(2.0, "fan_in", "uniform", "he_uniform");
            case "he_normal": return new VarianceScaling(2.0, "fan_in", "truncated_normal", "he_normal");
            case "lecun_uniform": return new VarianceScaling(1.0, "fan_in", "uniform", "lecun_uniform");
            case "lecun_normal": return new VarianceScaling(1.0, "fan_in", "truncated_normal", "lecun_normal");
            case "orthogonal": case "orthogonal_initializer": return new Orthogonal(1.0);
            case "identity": case "identity_initializer": return new Identity(1.0);
            case "variance_scaling": return new VarianceScaling(1.0, "fan_in", "truncated_normal", "variance_scaling");
            default:
                throw new IllegalArgumentException("Unknown initializer '" + name + "'; expected one of zeros, ones, "
                        + "constant, random_normal, random_uniform, truncated_normal, glorot_uniform, glorot_normal, he_uniform, he_normal, "
                        + "lecun_uniform, lecun_normal, orthogonal, identity, variance_scaling");
        }
    }
}
