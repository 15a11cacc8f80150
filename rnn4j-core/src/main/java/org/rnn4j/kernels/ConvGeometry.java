package org.rnn4j.kernels;

/**
 * The shape of one 1-D convolution over time, channels last: {@code x [batch, inLength, inChannels]} to
 * {@code y [batch, outLength, outChannels]} with a kernel {@code [kernelSize, inChannels / groups, outChannels]}.
 * Output step {@code t} reads input steps {@code t * stride + j * dilation - padLeft} for {@code j < kernelSize};
 * steps outside {@code [0, inLength)} are the zero padding.
 *
 * <pre>{@code
 * ConvGeometry g = ConvGeometry.of("same", 2, 7, 2, 3, 3, 2, 1, 1);   // outLength 4, padLeft 1
 * }</pre>
 *
 * <p>Thread safety: immutable, thread-safe.
 */
public record ConvGeometry(int batch, int inLength, int inChannels, int outLength, int outChannels, int kernelSize,
                           int stride, int dilation, int padLeft, int groups) {

    public ConvGeometry {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups must divide the input channels (" + inChannels
                    + ") and the filters (" + outChannels + "), got groups=" + groups);
        }
    }

    /** Input channels per group. Thread-safe: an immutable value. */
    public int groupIn() { return inChannels / groups; }

    /** Output channels per group. Thread-safe: an immutable value. */
    public int groupOut() { return outChannels / groups; }

    /** Rows of the im2col matrix: one per output step of every sample. Thread-safe: an immutable value. */
    public int rows() { return batch * outLength; }

    /** The kernel's extent in input steps: {@code (kernelSize - 1) * dilation + 1}. Thread-safe: an immutable value. */
    public int span() { return (kernelSize - 1) * dilation + 1; }

    /**
     * The geometry of Keras's padding mode ({@code valid}, {@code same} as TensorFlow's SAME, {@code causal}).
     * Thread-safe: a pure function.
     */
    public static ConvGeometry of(String padding, int batch, int inLength, int inChannels, int outChannels,
                                  int kernelSize, int stride, int dilation, int groups) {
        return new ConvGeometry(batch, inLength, inChannels, outputLength(padding, inLength, kernelSize, stride, dilation),
                outChannels, kernelSize, stride, dilation, padLeft(padding, inLength, kernelSize, stride, dilation), groups);
    }

    /**
     * Output length of Keras's {@code conv_output_length}: {@code valid} {@code floor((T - span) / s) + 1},
     * {@code same} {@code ceil(T / s)}, {@code causal} as {@code valid} after {@code span - 1} zeros on the left.
     * An unknown length (negative) stays unknown. Thread-safe: a pure function.
     */
    public static int outputLength(String padding, int inLength, int kernelSize, int stride, int dilation) {
        if (inLength < 0) return inLength;
        int span = (kernelSize - 1) * dilation + 1;
        switch (padding) {
            case "valid": return Math.max(0, Math.floorDiv(inLength - span, stride) + 1);
            case "same": return (inLength + stride - 1) / stride;
            case "causal": return Math.floorDiv(inLength - 1, stride) + 1;
            default: throw new IllegalArgumentException("padding must be valid, same or causal, got \"" + padding + "\"");
        }
    }

    /**
     * Zero steps before the input: TensorFlow's SAME puts the smaller half of the total on the left.
     * Thread-safe: a pure function.
     */
    public static int padLeft(String padding, int inLength, int kernelSize, int stride, int dilation) {
        int span = (kernelSize - 1) * dilation + 1;
        switch (padding) {
            case "valid": return 0;
            case "same": {
                int out = (inLength + stride - 1) / stride;
                return Math.max((out - 1) * stride + span - inLength, 0) / 2;
            }
            case "causal": return span - 1;
            default: throw new IllegalArgumentException("padding must be valid, same or causal, got \"" + padding + "\"");
        }
    }
}
