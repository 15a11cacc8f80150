package org.rnn4j.data;

/**
 * A chronological train / validation / test split of {@code n} time steps: the first part trains, the next
 * validates, the last tests; nothing is shuffled across the boundaries, so no future value leaks into training.
 * The test part is cut first from the end ({@code round(n * testFraction)} steps); the validation fraction is then a
 * share of what is left, taken from its end, exactly as Keras's {@code fit(validation_split=...)} (and
 * {@code FitOptions.validationSplit}) would split the data before the test part: training keeps
 * {@code floor(rest * (1 - validationFraction))} steps. The command line's {@code --validation-split} means the same.
 *
 * <pre>{@code
 * ChronologicalSplit s = ChronologicalSplit.of(144, 0.1, 1.0 / 3);   // 144 months: 86 train, 10 val, 48 test
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

    /**
     * Splits {@code n} steps: the last {@code testFraction} of them for test, then the last {@code validationFraction}
     * of the rest for validation (Keras's {@code validation_split} on the data before the test part). Thread-safe.
     */
    public static ChronologicalSplit of(int n, double validationFraction, double testFraction) {
        check("validation fraction", validationFraction);
        check("test fraction", testFraction);
        int test = (int) Math.round(n * testFraction);
        int rest = n - test;
        int train = (int) (rest * (1 - validationFraction)); // Keras: split_at = floor(num_samples * (1 - validation_split))
        if (train == 0 && rest > 0) {
            throw new IllegalArgumentException("validation fraction " + validationFraction + " of the " + rest + " steps before the"
                    + " test part (test fraction " + testFraction + " of " + n + ") leaves nothing to train on");
        }
        return new ChronologicalSplit(n, train, rest);
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
