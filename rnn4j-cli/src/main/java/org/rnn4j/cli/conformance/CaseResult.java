package org.rnn4j.cli.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one reference case: PASS or FAIL with reasons, and the largest absolute errors of the outputs
 * (predict, probes, stateful), the gradients and the trained weights against the reference (NaN when the case has
 * no such phase or it did not run).
 */
public final class CaseResult {
    public final String name;
    final List<String> failures = new ArrayList<>();
    double maxOutputError = Double.NaN;
    double maxGradientError = Double.NaN;
    double maxWeightError = Double.NaN;

    CaseResult(String name) { this.name = name; }

    public boolean passed() { return failures.isEmpty(); }

    /** Why the case failed (empty when it passed). */
    public List<String> failures() { return List.copyOf(failures); }

    public double maxOutputError() { return maxOutputError; }

    public double maxGradientError() { return maxGradientError; }

    public double maxWeightError() { return maxWeightError; }

    void fail(String reason) { failures.add(reason); }

    /** One line: name, the three largest errors, PASS or FAIL and the first reason. */
    public String line() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s outputs %-8s gradients %-8s weights %-8s ",
                name, fmt(maxOutputError), fmt(maxGradientError), fmt(maxWeightError)));
        if (passed()) return sb.append("PASS").toString();
        sb.append("FAIL: ").append(failures.get(0));
        if (failures.size() > 1) sb.append(" (+").append(failures.size() - 1).append(" more)");
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1e", v);
    }
}
