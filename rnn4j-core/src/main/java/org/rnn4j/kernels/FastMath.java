package org.rnn4j.kernels;

/**
 * Float-precision exp, sigmoid and tanh for the hot loops: within 2 ulp of the correctly rounded float result
 * (exp), several times faster than {@code (float) Math.exp(x)} in double. Not an approximation beyond float
 * rounding: Cody-Waite range reduction and Cephes's degree-6 polynomial for {@code e^r}, {@code |r| <= ln2/2}.
 */
public final class FastMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;

    private FastMath() {}

    /** e^x in float; overflows to +Inf above 88.72, flushes to 0 below -87.33 (subnormals are not produced). */
    public static float exp(float x) {
        if (x != x) return x;
        if (x > 88.7228f) return Float.POSITIVE_INFINITY;
        if (x < -87.3365f) return 0f;
        float k = (float) Math.floor(x * LOG2E + 0.5f);
        float r = x - k * LN2_HI - k * LN2_LO;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float e = p * r * r + r + 1f;
        int ki = (int) k;
        if (ki == 128) return e * 2f * Float.intBitsToFloat(254 << 23); // 2^128 is not a float: 2 * 2^127
        return e * Float.intBitsToFloat((ki + 127) << 23);
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** tanh x = 2 sigmoid(2x) - 1: absolute error about 1e-7, which is float rounding at |tanh| near 1. */
    public static float tanh(float x) {
        return 2f / (1f + exp(-2f * x)) - 1f;
    }
}
