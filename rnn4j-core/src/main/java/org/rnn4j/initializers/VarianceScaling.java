package org.rnn4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras's VarianceScaling: variance {@code scale / n} with n = fan_in, fan_out or their mean. The uniform variant
 * draws from [-limit, limit] with limit = sqrt(3 scale / n); the truncated normal divides the standard deviation by
 * 0.87962566 (the standard deviation of a unit normal truncated at two), as Keras does.
 *
 * <pre>{@code
 * model.add(new Dense(64).kernelInitializer(new VarianceScaling(2.0, "fan_in", "truncated_normal")));  // he_normal
 * Initializer glorot = Initializer.get("glorot_uniform");   // VarianceScaling(1.0, "fan_avg", "uniform")
 * }</pre>
 */
public final class VarianceScaling extends Initializer {
    private final double scale;
    private final String mode;
    private final String distribution;
    private final String name;

    /**
     * Keras's {@code VarianceScaling(scale, mode, distribution)}: mode {@code fan_in}, {@code fan_out} or
     * {@code fan_avg}; distribution {@code truncated_normal} (also {@code normal}), {@code untruncated_normal} or
     * {@code uniform}. Thread-safe: the initializer is immutable.
     */
    public VarianceScaling(double scale, String mode, String distribution) {
        this(scale, mode, "normal".equals(distribution) ? "truncated_normal" : distribution, "variance_scaling");
    }

    public VarianceScaling(double scale, String mode, String distribution, String name) {
        if (!(scale > 0)) throw new IllegalArgumentException("VarianceScaling: scale must be positive, got " + scale);
        if (!java.util.List.of("fan_in", "fan_out", "fan_avg").contains(mode)) {
            throw new IllegalArgumentException("VarianceScaling: mode must be fan_in, fan_out or fan_avg, got \"" + mode + "\"");
        }
        if (!java.util.List.of("uniform", "truncated_normal", "untruncated_normal").contains(distribution)) {
            throw new IllegalArgumentException("VarianceScaling: distribution must be uniform, truncated_normal or "
                    + "untruncated_normal, got \"" + distribution + "\"");
        }
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
        this.name = name;
    }

    @Override
    public void fill(float[] v, int[] shape, SplittableRandom r) {
        double fanIn = fanIn(shape), fanOut = fanOut(shape);
        double n = mode.equals("fan_in") ? fanIn : mode.equals("fan_out") ? fanOut : (fanIn + fanOut) / 2.0;
        double s = scale / Math.max(1.0, n);
        if (distribution.equals("uniform")) {
            double limit = Math.sqrt(3.0 * s);
            for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * limit);
        } else if (distribution.equals("untruncated_normal")) {
            double std = Math.sqrt(s);
            for (int i = 0; i < v.length; i++) v[i] = (float) (std * Gaussian.next(r));
        } else {
            double std = Math.sqrt(s) / 0.87962566103423978;
            for (int i = 0; i < v.length; i++) v[i] = (float) (std * Gaussian.truncated(r));
        }
    }

    @Override
    public String name() { return name; }

    public double scale() { return scale; }

    public String mode() { return mode; }

    public String distribution() { return distribution; }

    /** Keras writes the named variants ({@code GlorotUniform}) with only a seed; VarianceScaling with all three. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (name.equals("variance_scaling")) {
            c.put("scale", scale);
            c.put("mode", mode);
            c.put("distribution", distribution);
        }
        c.put("seed", null);
        return c;
    }
}
