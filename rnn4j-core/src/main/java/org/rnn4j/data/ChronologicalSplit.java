package org.rnn4j.data;

/**
 * A chronological train / validation / test split of {@code n} time steps: the first part trains, the next
 * validates, the last tests; nothing is shuffled across the boundaries, so no future value leaks into training.
 * Fractions are of the whole series; the test part is cut first from the end, then validation from what is left.
 *
 * <pre>{@code
 * ChronologicalSplit s = ChronologicalSplit.of(144, 0.1, 1.0 / 3);   // 144 months: 87 train, 9 val, 48 test
 * float[] train = java.util.Arrays.copyOfRange(series, s.trainStart(), s.trainEnd());
 * }</pre>
 *
 * @param n          steps in the series
 * @param trainEnd   first step after the training part (training is {@code [0, trainEnd)})
 * @param testStart  first step of the test part (validation is {@code [trainEnd, testStart)}, test {@code [testStart, n)})
 */
public record ChronologicalSplit(int n, int trainEnd, int testStart) {
    public ChronologicalSplit {
        if (n < 0 || trainEnd < 0 || trainEnd > testStart || testStart > n) {
            throw new IllegalArgumentException("A split needs 0 <= trainEnd <= testStart <= n, got trainEnd=" + trainEnd
                    + ", testStart=" + testStart + ", n=" + n);
        }
    }

    /** Splits {@code n} steps: the last {@code testFraction} for test, the {@code validationFraction} before it for validation. */
    public static ChronologicalSplit of(int n, double validationFraction, double testFraction) {
        check("validation fraction", validationFraction);
        check("test fraction", testFraction);
        if (validationFraction + testFraction >= 1) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " plus test fraction " + testFraction
                    + " must be below 1: nothing would be left to train on");
        }
        int test = (int) Math.round(n * testFraction);
        int val = (int) Math.round(n * validationFraction);
        return new ChronologicalSplit(n, n - test - val, n - test);
    }

    private static void check(String what, double f) {
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException(what + " must be in [0, 1), got " + f);
    }

    public int trainStart() { return 0; }

    public int validationStart() { return trainEnd; }

    public int validationEnd() { return testStart; }

    public int testEnd() { return n; }

    public int trainSize() { return trainEnd; }

    public int validationSize() { return testStart - trainEnd; }

    public int testSize() { return n - testStart; }
}
