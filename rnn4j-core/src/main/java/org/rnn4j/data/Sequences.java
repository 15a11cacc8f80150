package org.rnn4j.data;

import java.util.List;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's sequence preprocessing: {@code pad_sequences} and {@code to_categorical}.
 *
 * <pre>{@code
 * Tensor x = Sequences.padSequences(tokenLists, 100, "pre", "pre", 0f);  // keras pad_sequences(seqs, maxlen=100)
 * Tensor y = Sequences.toCategorical(labels, 10);
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class Sequences {
    private Sequences() {}

    /**
     * Keras's {@code pad_sequences}: a {@code [n, maxlen]} tensor. Sequences longer than {@code maxlen} lose values
     * at the start ({@code truncating "pre"}, Keras's default) or the end ({@code "post"}); shorter ones are filled
     * with {@code value} before ({@code padding "pre"}, the default) or after ({@code "post"}). {@code maxlen} &lt;= 0
     * means the longest sequence's length.
     */
    public static Tensor padSequences(List<float[]> sequences, int maxlen, String padding, String truncating, float value) {
        if (!"pre".equals(padding) && !"post".equals(padding)) {
            throw new IllegalArgumentException("pad_sequences: padding must be \"pre\" or \"post\", got \"" + padding + "\"");
        }
        if (!"pre".equals(truncating) && !"post".equals(truncating)) {
            throw new IllegalArgumentException("pad_sequences: truncating must be \"pre\" or \"post\", got \"" + truncating + "\"");
        }
        int len = maxlen;
        if (len <= 0) for (float[] s : sequences) len = Math.max(len, s.length);
        float[] out = new float[sequences.size() * len];
        java.util.Arrays.fill(out, value);
        for (int i = 0; i < sequences.size(); i++) {
            float[] s = sequences.get(i);
            if (s == null) throw new IllegalArgumentException("pad_sequences: sequence " + i + " is null");
            int keep = Math.min(len, s.length);
            int from = truncating.equals("pre") ? s.length - keep : 0;
            int to = padding.equals("pre") ? len - keep : 0;
            System.arraycopy(s, from, out, i * len + to, keep);
        }
        return Tensor.of(out, sequences.size(), len);
    }

    /** {@link #padSequences} with Keras's defaults: the longest length, {@code "pre"}, {@code "pre"}, 0. */
    public static Tensor padSequences(List<float[]> sequences) { return padSequences(sequences, 0, "pre", "pre", 0f); }

    /**
     * Keras's {@code to_categorical}: class indices {@code [n]} (or {@code [n, 1]}) to one-hot rows {@code [n, numClasses]};
     * {@code numClasses} &lt;= 0 means the largest label plus one.
     */
    public static Tensor toCategorical(Tensor labels, int numClasses) {
        float[] y = labels.data();
        int classes = numClasses;
        if (classes <= 0) for (float v : y) classes = Math.max(classes, (int) v + 1);
        int[] s = labels.shape();
        int rank = s.length > 0 && s[s.length - 1] == 1 ? s.length - 1 : s.length;
        int[] shape = java.util.Arrays.copyOf(s, rank + 1);
        shape[rank] = classes;
        float[] out = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            int c = (int) y[i];
            if (c != y[i] || c < 0 || c >= classes) {
                throw new IllegalArgumentException("to_categorical: label " + i + " is " + y[i] + ", expected an integer in [0, "
                        + (classes - 1) + "]");
            }
            out[i * classes + c] = 1f;
        }
        return Tensor.of(out, shape);
    }
}
