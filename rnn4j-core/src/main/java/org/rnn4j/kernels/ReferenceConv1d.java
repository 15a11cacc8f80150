package org.rnn4j.kernels;

/**
 * The plain loops of a grouped, strided, dilated 1-D convolution, accumulated in double: the yardstick
 * {@link Conv1d} is tested against. {@code y[b, t, o] = sum_j sum_c x[b, t*s + j*d - padLeft, grp*groupIn + c] *
 * w[j, c, o]} with {@code grp = o / groupOut}. Thread-safe: stateless.
 *
 * <pre>{@code
 * ConvGeometry g = ConvGeometry.of("causal", batch, steps, channels, filters, 3, 1, 2, 1);
 * ReferenceConv1d.forward(g, x, kernel, expected);   // the plain loops, in double
 * Conv1d.forward(g, x, kernel, y);                   // the fast kernel: y equals expected to float rounding
 * }</pre>
 *
 * <p>Thread safety: thread-safe: static functions that write only the output arrays they are given.
 */
public final class ReferenceConv1d {
    private ReferenceConv1d() {}

    /** y = conv(x, w). Thread-safe. */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] y) {
        int cin = g.inChannels(), cg = g.groupIn(), f = g.outChannels(), fg = g.groupOut();
        for (int b = 0; b < g.batch(); b++) {
            for (int t = 0; t < g.outLength(); t++) {
                for (int o = 0; o < f; o++) {
                    int c0 = (o / fg) * cg;
                    double s = 0;
                    for (int j = 0; j < g.kernelSize(); j++) {
                        int src = t * g.stride() + j * g.dilation() - g.padLeft();
                        if (src < 0 || src >= g.inLength()) continue;
                        for (int c = 0; c < cg; c++) {
                            s += (double) x[(b * g.inLength() + src) * cin + c0 + c] * w[(j * cg + c) * f + o];
                        }
                    }
                    y[(b * g.outLength() + t) * f + o] = (float) s;
                }
            }
        }
    }

    /** dx = the adjoint of {@link #forward} applied to dy. Thread-safe. */
    public static void backwardData(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        int cin = g.inChannels(), cg = g.groupIn(), f = g.outChannels(), fg = g.groupOut();
        double[] acc = new double[g.batch() * g.inLength() * cin];
        for (int b = 0; b < g.batch(); b++) {
            for (int t = 0; t < g.outLength(); t++) {
                for (int o = 0; o < f; o++) {
                    int c0 = (o / fg) * cg;
                    double d = dy[(b * g.outLength() + t) * f + o];
                    for (int j = 0; j < g.kernelSize(); j++) {
                        int src = t * g.stride() + j * g.dilation() - g.padLeft();
                        if (src < 0 || src >= g.inLength()) continue;
                        for (int c = 0; c < cg; c++) acc[(b * g.inLength() + src) * cin + c0 + c] += d * w[(j * cg + c) * f + o];
                    }
                }
            }
        }
        for (int i = 0; i < acc.length; i++) dx[i] = (float) acc[i];
    }

    /** dw += x^T dy. Thread-safe. */
    public static void backwardKernel(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int cin = g.inChannels(), cg = g.groupIn(), f = g.outChannels(), fg = g.groupOut();
        for (int j = 0; j < g.kernelSize(); j++) {
            for (int c = 0; c < cg; c++) {
                for (int o = 0; o < f; o++) {
                    int c0 = (o / fg) * cg;
                    double s = 0;
                    for (int b = 0; b < g.batch(); b++) {
                        for (int t = 0; t < g.outLength(); t++) {
                            int src = t * g.stride() + j * g.dilation() - g.padLeft();
                            if (src < 0 || src >= g.inLength()) continue;
                            s += (double) x[(b * g.inLength() + src) * cin + c0 + c] * dy[(b * g.outLength() + t) * f + o];
                        }
                    }
                    dw[(j * cg + c) * f + o] += (float) s;
                }
            }
        }
    }
}
