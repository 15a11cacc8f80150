package org.rnn4j.kernels;

/**
 * 1-D convolution over time as im2col plus the GEMM of {@link MatMul}: for each group, the input windows are laid
 * out as rows {@code cols [batch * outLength, kernelSize * groupIn]} and multiplied by that group's slice of the
 * kernel {@code [kernelSize * groupIn, outChannels]}. The three products of a convolution layer:
 * {@link #forward} ({@code y = x * W}), {@link #backwardData} ({@code dx = dy * W^T}, also the forward pass of a
 * transposed convolution) and {@link #backwardKernel} ({@code dW += x^T dy}). {@link ReferenceConv1d} computes the
 * same with plain loops; a test holds them equal.
 *
 * <p>Stateless and thread-safe: every call allocates its own im2col buffer.
 *
 * <pre>{@code
 * ConvGeometry g = ConvGeometry.of("causal", batch, steps, channels, filters, 3, 1, 2, 1);
 * float[] y = new float[g.rows() * filters];
 * Conv1d.forward(g, x, kernel, y);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions that write only the output arrays they are given.
 */
public final class Conv1d {
    private Conv1d() {}

    /**
     * {@code y = conv(x, W)} without bias. x {@code [batch, inLength, inChannels]}, w {@code [kernelSize, groupIn,
     * outChannels]}: not modified; y {@code [batch, outLength, outChannels]}: overwritten. Thread-safe.
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        int kc = g.kernelSize() * g.groupIn(), rows = g.rows(), f = g.outChannels(), fg = g.groupOut();
        float[] cols = new float[rows * kc];
        for (int grp = 0; grp < g.groups(); grp++) {
            im2col(g, x, grp, cols);
            MatMul.gemm(false, false, rows, fg, kc, cols, 0, kc, w, grp * fg, f, y, grp * fg, f, false);
        }
    }

    /**
     * {@link #forward} with an int8 kernel {@code w [kernelSize * groupIn, outChannels]} (its float value
     * {@code Q / scale} per output channel), through {@link Int8MatMul}; x: not modified; y: overwritten. Thread-safe.
     */
    public static void forwardInt8(ConvGeometry g, float[] x, QuantizedMatrix w, float[] y) {
        int kc = g.kernelSize() * g.groupIn(), rows = g.rows(), f = g.outChannels(), fg = g.groupOut();
        float[] cols = new float[rows * kc];
        for (int grp = 0; grp < g.groups(); grp++) {
            im2col(g, x, grp, cols);
            Int8MatMul.gemmColumns(rows, cols, 0, kc, w, grp * fg, fg, y, grp * fg, f, false);
        }
    }

    /**
     * {@code dx = dy * W^T} scattered back over the input steps (col2im). dy, w: not modified; dx
     * {@code [batch, inLength, inChannels]}: overwritten. Thread-safe.
     */
    public static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int kc = g.kernelSize() * g.groupIn(), rows = g.rows(), f = g.outChannels(), fg = g.groupOut();
        float[] cols = new float[rows * kc];
        java.util.Arrays.fill(dx, 0, g.batch() * g.inLength() * g.inChannels(), 0f);
        for (int grp = 0; grp < g.groups(); grp++) {
            MatMul.gemm(false, true, rows, kc, fg, dy, grp * fg, f, w, grp * fg, f, cols, 0, kc, false);
            col2im(g, cols, grp, dx);
        }
    }

    /** {@code dW += x^T dy} per group. x, dy: not modified; dw: accumulated into. Thread-safe. */
    public static void backwardKernel(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int kc = g.kernelSize() * g.groupIn(), rows = g.rows(), f = g.outChannels(), fg = g.groupOut();
        float[] cols = new float[rows * kc];
        for (int grp = 0; grp < g.groups(); grp++) {
            im2col(g, x, grp, cols);
            MatMul.gemm(true, false, kc, fg, rows, cols, 0, kc, dy, grp * fg, f, dw, grp * fg, f, true);
        }
    }

    /** Row {@code b * outLength + t}, column {@code j * groupIn + c} = the padded input at step t*s + j*d - padLeft. */
    static void im2col(ConvGeometry g, float[] x, int grp, float[] cols) {
        int cin = g.inChannels(), cg = g.groupIn(), k = g.kernelSize(), kc = k * cg, c0 = grp * cg;
        for (int b = 0; b < g.batch(); b++) {
            for (int t = 0; t < g.outLength(); t++) {
                int row = (b * g.outLength() + t) * kc;
                for (int j = 0; j < k; j++) {
                    int src = t * g.stride() + j * g.dilation() - g.padLeft();
                    int dst = row + j * cg;
                    if (src < 0 || src >= g.inLength()) {
                        java.util.Arrays.fill(cols, dst, dst + cg, 0f);
                    } else {
                        System.arraycopy(x, (b * g.inLength() + src) * cin + c0, cols, dst, cg);
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds each column entry back onto the input step it came from. */
    static void col2im(ConvGeometry g, float[] cols, int grp, float[] dx) {
        int cin = g.inChannels(), cg = g.groupIn(), k = g.kernelSize(), kc = k * cg, c0 = grp * cg;
        for (int b = 0; b < g.batch(); b++) {
            for (int t = 0; t < g.outLength(); t++) {
                int row = (b * g.outLength() + t) * kc;
                for (int j = 0; j < k; j++) {
                    int src = t * g.stride() + j * g.dilation() - g.padLeft();
                    if (src < 0 || src >= g.inLength()) continue;
                    int o = (b * g.inLength() + src) * cin + c0, s = row + j * cg;
                    for (int c = 0; c < cg; c++) dx[o + c] += cols[s + c];
                }
            }
        }
    }
}
