package org.rnn4j.initializers;

import java.util.SplittableRandom;

/** Standard normal draws (Box-Muller) from a {@link SplittableRandom}. */
final class Gaussian {
    private Gaussian() {}

    static double next(SplittableRandom r) {
        double u1 = r.nextDouble();
        while (u1 <= Double.MIN_NORMAL) u1 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * r.nextDouble());
    }

    /** A normal draw truncated to two standard deviations, as Keras's truncated normal. */
    static double truncated(SplittableRandom r) {
        double g;
        do {
            g = next(r);
        } while (Math.abs(g) > 2.0);
        return g;
    }
}
