package org.rnn4j.models;

import java.util.Map;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's sample and class weights as per-row loss weights. A loss row is one sample (2-D outputs) or one
 * sample-timestep (3-D outputs); a sample weight is one value per sample (broadcast over timesteps) or one per row
 * ({@code [samples, timesteps]}, Keras's temporal weights). With a mask, the mask's row weights
 * ({@code total/valid} for kept rows, 0 for masked) multiply the sample weights, as Keras's {@code apply_mask}.
 */
final class SampleWeights {
    private SampleWeights() {}

    /** Checks a sample weight against a target: one value per sample, or one per loss row. */
    static void check(Tensor sw, Tensor y, int output, String what) {
        if (sw == null) return;
        int n = y.rows();
        if (sw.rows() != n) {
            throw new IllegalArgumentException(what + ": sample_weight for output " + output + " has " + sw.rows()
                    + " samples but the targets have " + n);
        }
        int perSample = sw.size() / Math.max(1, n);
        int rowsPerSample = y.rank() >= 3 ? y.shape(1) : 1;
        if (perSample != 1 && perSample != rowsPerSample) {
            throw new IllegalArgumentException(what + ": sample_weight for output " + output + " has shape "
                    + Shapes.toString(sw.shape()) + "; expected (" + n + ",) or (" + n + ", " + rowsPerSample
                    + ") for targets of shape " + Shapes.toString(y.shape()));
        }
    }

    /**
     * The loss row weights of a batch: sample weights expanded to rows, times the mask weights; null when both are
     * absent.
     */
    static float[] combine(Tensor sw, float[] maskWeights, int rows) {
        if (sw == null) return maskWeights;
        float[] s = sw.data();
        float[] w = new float[rows];
        int per = rows / Math.max(1, sw.rows());
        if (s.length == rows) {
            System.arraycopy(s, 0, w, 0, rows);
        } else {
            for (int r = 0; r < rows; r++) w[r] = s[r / per];
        }
        if (maskWeights != null) for (int r = 0; r < rows; r++) w[r] *= maskWeights[r];
        return w;
    }

    /**
     * Keras's class weights as sample weights: the class of each target is its argmax when the last axis has more
     * than one entry, else its rounded value; the weight is {@code classWeight[class]}, 1 for classes not listed.
     * The result has the target's shape without its last axis (rank-1 targets keep theirs).
     */
    static Tensor fromClassWeight(Tensor y, Map<Integer, ? extends Number> classWeight) {
        int[] shape = y.shape();
        float[] d = y.data();
        int last = shape.length >= 2 ? shape[shape.length - 1] : 1;
        int rows = d.length / last;
        float[] w = new float[rows];
        for (int r = 0; r < rows; r++) {
            int cls;
            if (last > 1) {
                int best = 0;
                for (int j = 1; j < last; j++) if (d[r * last + j] > d[r * last + best]) best = j;
                cls = best;
            } else {
                cls = (int) Math.rint(d[r]); // numpy's round: half to even
            }
            Number v = classWeight.get(cls);
            w[r] = v == null ? 1f : v.floatValue();
        }
        int[] out = shape.length >= 2 ? java.util.Arrays.copyOf(shape, shape.length - 1) : shape.clone();
        return Tensor.of(w, out);
    }
}
