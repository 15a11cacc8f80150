package org.rnn4j.spark;

import java.io.Serializable;

/**
 * What one partition sends back for a step: the sum over its rows of the per-sample gradients (or, when averaging
 * parameters, of its weights times its row count), the summed loss and the row count. Summing two contributions is
 * associative, which is what {@code treeAggregate} needs.
 */
final class Contribution implements Serializable {
    private static final long serialVersionUID = 1L;
    double[][] sums;
    double lossSum;
    long count;
    /** Task compute time: summed over partitions, and the slowest partition's. */
    long computeNanos, maxComputeNanos;

    static Contribution zero() { return new Contribution(); }

    Contribution add(Contribution o) {
        if (o.sums != null) {
            if (sums == null) {
                sums = new double[o.sums.length][];
                for (int i = 0; i < o.sums.length; i++) sums[i] = o.sums[i].clone();
            } else {
                for (int i = 0; i < sums.length; i++) {
                    double[] a = sums[i], b = o.sums[i];
                    for (int j = 0; j < a.length; j++) a[j] += b[j];
                }
            }
        }
        lossSum += o.lossSum;
        count += o.count;
        computeNanos += o.computeNanos;
        maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
        return this;
    }

    /** Bytes this contribution occupies on the wire (the payload, ignoring serialization framing). */
    long payloadBytes() {
        long n = 16;
        if (sums != null) for (double[] s : sums) n += 8L * s.length;
        return n;
    }
}
