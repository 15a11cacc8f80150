package org.rnn4j.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample for distributed training: the input and the target of one row, each with its shape
 * without the batch axis (e.g. {@code [timesteps, features]} and {@code [outputs]}).
 *
 * <pre>{@code
 * Sample s = new Sample(new float[] {0f, .2f, .4f}, new int[] {3, 1}, new float[] {.6f}, new int[] {1});
 * }</pre>
 */
public final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;
    final float[] x;
    final int[] xShape;
    final float[] y;
    final int[] yShape;

    public Sample(float[] x, int[] xShape, float[] y, int[] yShape) {
        if (x == null || y == null || xShape == null || yShape == null) {
            throw new IllegalArgumentException("Sample: x, y and their shapes must not be null");
        }
        check("x", x, xShape);
        check("y", y, yShape);
        this.x = x;
        this.xShape = xShape.clone();
        this.y = y;
        this.yShape = yShape.clone();
    }

    private static void check(String what, float[] v, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != v.length) {
            throw new IllegalArgumentException("Sample: " + what + " has " + v.length + " values but shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
    }

    public float[] x() { return x; }

    public float[] y() { return y; }

    public int[] xShape() { return xShape.clone(); }

    public int[] yShape() { return yShape.clone(); }
}
