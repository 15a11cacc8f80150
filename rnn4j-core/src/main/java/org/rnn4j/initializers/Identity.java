package org.rnn4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras's Identity initializer: {@code gain * eye(rows, cols)} for a 2-D weight, also when it is not square (an LSTM
 * recurrent kernel {@code [u, 4u]} gets the identity in its first block only). Draws nothing from the generator.
 *
 * <pre>{@code
 * new SimpleRNN(4).recurrentInitializer(new Identity(0.5));   // or "identity"
 * }</pre>
 */
public final class Identity extends Initializer {
    private final double gain;

    /** Keras's default gain 1. */
    public Identity() { this(1.0); }

    public Identity(double gain) { this.gain = gain; }

    public double gain() { return gain; }

    @Override
    public void fill(float[] v, int[] shape, SplittableRandom r) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("Identity initializer can only be used for 2D matrices, received shape "
                    + java.util.Arrays.toString(shape));
        }
        java.util.Arrays.fill(v, 0f);
        int rows = shape[0], cols = shape[1];
        for (int i = 0; i < Math.min(rows, cols); i++) v[i * cols + i] = (float) gain;
    }

    @Override public String name() { return "identity"; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("gain", gain);
        return c;
    }
}
