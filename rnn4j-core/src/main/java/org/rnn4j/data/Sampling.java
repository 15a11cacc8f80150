package org.rnn4j.data;

import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.tensor.Tensor;

/**
 * NumPy's seeded sampling, drawn from rnn4j's global generator so {@link Rnn4j#setRandomSeed} makes it reproducible:
 * {@code permutation}, {@code shuffle} (rows of a tensor), {@code choice} (with or without replacement, optional
 * probabilities) and {@code multinomial}.
 *
 * <pre>{@code
 * Rnn4j.setRandomSeed(1337);
 * int next = Sampling.choice(probs);                  // np.random.choice(len(p), p=p), e.g. the next character
 * int[] order = Sampling.permutation(x.rows());        // the same order for x and y
 * Tensor xs = Sampling.shuffleRows(x, order), ys = Sampling.shuffleRows(y, order);
 * }</pre>
 *
 * <p>Thread-safe: each call takes its own generator from the global one (the sequence of draws then depends on the
 * order of the calls).
 */
public final class Sampling {
    private Sampling() {}

    private static SplittableRandom rng() { return Rnn4j.newRandom(); }

    /** {@code np.random.permutation(n)}: 0..n-1 in random order (Fisher-Yates). */
    public static int[] permutation(int n) {
        if (n < 0) throw new IllegalArgumentException("permutation: n must be non-negative, got " + n);
        SplittableRandom r = rng();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The rows of {@code t} in the given order ({@code t[order]}). */
    public static Tensor shuffleRows(Tensor t, int[] order) { return t.gather(order); }

    /** {@code np.random.shuffle} of the rows: a new tensor in a random row order. */
    public static Tensor shuffle(Tensor t) { return t.gather(permutation(t.rows())); }

    /** {@code np.random.choice(len(p), p=p)}: an index drawn with probabilities {@code p} (normalised if they do not sum to 1). */
    public static int choice(double[] p) {
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0)) throw new IllegalArgumentException("choice: probability " + i + " is " + p[i] + ", expected >= 0");
            total += p[i];
        }
        if (!(total > 0)) throw new IllegalArgumentException("choice: probabilities sum to " + total + ", expected > 0");
        double u = rng().nextDouble() * total, acc = 0;
        for (int i = 0; i < p.length; i++) {
            acc += p[i];
            if (u < acc) return i;
        }
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i; // rounding at the top end
        return p.length - 1;
    }

    /** {@code np.random.choice(n, size, replace)}: uniform draws from 0..n-1. */
    public static int[] choice(int n, int size, boolean replace) {
        if (n <= 0 || size < 0) throw new IllegalArgumentException("choice: needs n > 0 and size >= 0, got n=" + n + ", size=" + size);
        if (!replace && size > n) {
            throw new IllegalArgumentException("choice: cannot take a sample of " + size + " from " + n + " without replacement");
        }
        if (!replace) return java.util.Arrays.copyOf(permutation(n), size);
        SplittableRandom r = rng();
        int[] out = new int[size];
        for (int i = 0; i < size; i++) out[i] = r.nextInt(n);
        return out;
    }

    /** {@code np.random.multinomial(trials, p)}: how often each outcome came up in {@code trials} draws. */
    public static int[] multinomial(int trials, double[] p) {
        int[] counts = new int[p.length];
        for (int k = 0; k < trials; k++) counts[choice(p)]++;
        return counts;
    }
}
