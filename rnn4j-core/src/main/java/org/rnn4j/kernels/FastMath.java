package org.rnn4j.kernels;

/**
 * Float-precision exp, sigmoid and tanh for the hot loops: within 2 ulp of the correctly rounded float result
 * (exp), several times faster than {@code (float) Math.exp(x)} in double. Not an approximation beyond float
 * rounding: Cody-Waite range reduction and Cephes's degree-6 polynomial for {@code e^r}, {@code |r| <= ln2/2}.
 *
 * <pre>{@code
 * float s = FastMath.sigmoid(x);
 * float t = FastMath.tanh(x);
 * float e = FastMath.exp(-2f);   // within 2 ulp of (float) Math.exp(-2.0)
 * }</pre>
 *
 * <p>Thread safety: thread-safe (pure functions).
 */
public final class FastMath {
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;

    private FastMath() {}

    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer, which lands in its low bits. */
    static final float ROUNDER = 0x1.8p23f;
    /** The bits of {@link #ROUNDER}: the bits of {@code ROUNDER + k} minus these are the integer k. */
    static final int ROUNDER_BITS = 0x4B400000;
    /** Beyond these, e^x overflows to infinity or (here) flushes to zero. */
    static final float MAX_ARG = 88.7228f, MIN_ARG = -87.3365f;

    /**
     * e^x in float; overflows to +Inf above 88.72, flushes to 0 below -87.33 (subnormals are not produced).
     * {@link VectorExp} computes the same steps, so the two agree bit for bit: k = x log2 e rounded to the nearest
     * integer (by adding {@link #ROUNDER}), r = x - k ln 2 in two parts, e^r by the polynomial, then 2^k as two
     * powers of two (2^128 is not a float, and 2^-127 not a normal one; each product is exact until the last).
     * Each multiply-add is one {@link Math#fma} (rounded once, the same in the interpreter, in compiled code and in
     * a vector lane; one instruction on every CPU with FMA, which is every x86-64 since 2013 and every 64-bit ARM).
     * Thread-safe: a pure function.
     */
    public static float exp(float x) {
        if (x != x) return x;
        if (x > MAX_ARG) return Float.POSITIVE_INFINITY;
        if (x < MIN_ARG) return 0f;
        float m = Math.fma(x, LOG2E, ROUNDER);
        float k = m - ROUNDER;
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, x));
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        float e = Math.fma(p, r * r, r) + 1f;
        int ki = Float.floatToRawIntBits(m) - ROUNDER_BITS, a = ki >> 1, b = ki - a;
        return e * Float.intBitsToFloat((a + 127) << 23) * Float.intBitsToFloat((b + 127) << 23);
    }

    /** 1 / (1 + e^-x). Thread-safe: a pure function. */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /**
     * tanh x = 2 sigmoid(2x) - 1: absolute error about 1e-7, which is float rounding at |tanh| near 1.
     * Thread-safe: a pure function.
     */
    public static float tanh(float x) {
        return 2f / (1f + exp(-2f * x)) - 1f;
    }
}
