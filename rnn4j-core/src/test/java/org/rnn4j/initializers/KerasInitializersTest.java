package org.rnn4j.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Identity, TruncatedNormal and VarianceScaling (every mode and distribution) against Keras's definitions. */
class KerasInitializersTest {
    @Test
    void identityIsGainTimesEyeAlsoWhenNotSquare() {
        float[] v = new float[2 * 3];
        new Identity(0.5).fill(v, new int[] {2, 3}, new SplittableRandom(1));
        assertArrayEquals(new float[] {0.5f, 0, 0, 0, 0.5f, 0}, v);
        float[] lstm = new float[2 * 8]; // [u, 4u]: the identity in the first block only
        Initializer.get("identity").fill(lstm, new int[] {2, 8}, new SplittableRandom(1));
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, lstm);
        assertThrows(IllegalArgumentException.class, () -> new Identity().fill(new float[8], new int[] {2, 2, 2}, null));
        assertEquals("Identity", new Identity().className());
        assertEquals(0.5, (double) new Identity(0.5).getConfig().get("gain"));
    }

    /** Sample mean and standard deviation of many draws for a {@code [fanIn, fanOut]} weight, and the largest |value|. */
    private static double[] moments(Initializer init, int fanIn, int fanOut) {
        int reps = 400;
        double sum = 0, sq = 0, max = 0;
        SplittableRandom r = new SplittableRandom(11);
        float[] v = new float[fanIn * fanOut];
        long n = 0;
        for (int k = 0; k < reps; k++) {
            init.fill(v, new int[] {fanIn, fanOut}, r);
            for (float x : v) {
                sum += x;
                sq += (double) x * x;
                max = Math.max(max, Math.abs(x));
                n++;
            }
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sq / n - mean * mean), max};
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"fan_in, truncated_normal", "fan_in, untruncated_normal", "fan_in, uniform",
            "fan_out, truncated_normal", "fan_out, untruncated_normal", "fan_out, uniform",
            "fan_avg, truncated_normal", "fan_avg, untruncated_normal", "fan_avg, uniform"})
    void varianceScalingHasVarianceScaleOverN(String mode, String distribution) {
        int fanIn = 4, fanOut = 12;
        double scale = 1.5;
        double n = mode.equals("fan_in") ? fanIn : mode.equals("fan_out") ? fanOut : (fanIn + fanOut) / 2.0;
        double[] m = moments(new VarianceScaling(scale, mode, distribution), fanIn, fanOut);
        // Every variant has variance scale / n (the truncated normal's stddev is divided by 0.8796 to get there).
        double std = Math.sqrt(scale / n);
        assertEquals(0, m[0], 0.02 * std, "mean");
        assertEquals(std, m[1], 0.02 * std, "stddev");
        double bound = distribution.equals("uniform") ? Math.sqrt(3 * scale / n)
                : distribution.equals("truncated_normal") ? 2 * std / 0.87962566103423978 : Double.POSITIVE_INFINITY;
        assertTrue(m[2] <= bound, "max |value| " + m[2] + " beyond " + bound);
        if (!distribution.equals("untruncated_normal")) assertTrue(m[2] > 0.95 * bound, "max |value| " + m[2]);
        else assertTrue(m[2] > 3 * std, "an untruncated normal reaches beyond 3 stddev: " + m[2]);
    }

    @Test
    void truncatedNormalStaysWithinTwoStddev() {
        double[] m = moments(Initializer.truncatedNormal(0, 0.2), 4, 8);
        assertTrue(m[2] <= 0.4 && m[2] > 0.39, "max " + m[2]);
        assertEquals(0.2 * 0.87962566, m[1], 0.004); // a normal cut at 2 sigma keeps 88% of its stddev
    }

    @Test
    void varianceScalingNamesAndValidation() {
        VarianceScaling d = (VarianceScaling) Initializer.get("variance_scaling");
        assertEquals(1.0, d.scale());
        assertEquals("fan_in", d.mode());
        assertEquals("truncated_normal", d.distribution());
        assertEquals("truncated_normal", new VarianceScaling(1, "fan_in", "normal").distribution());
        assertEquals("fan_out", new VarianceScaling(2, "fan_out", "uniform").getConfig().get("mode"));
        assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(1, "fan_sum", "uniform"));
        assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(1, "fan_in", "cauchy"));
        assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(0, "fan_in", "uniform"));
    }
}
