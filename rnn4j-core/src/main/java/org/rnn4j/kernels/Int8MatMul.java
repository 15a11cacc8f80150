package org.rnn4j.kernels;

import org.slf4j.LoggerFactory;

/**
 * The int8 products of quantized inference ({@code Model.quantize("int8")}), and Keras 3's abs-max quantizer.
 *
 * <p>Keras's scheme ({@code keras.quantizers.abs_max_quantize}, value range [-127, 127]): over the reduced axis,
 * {@code scale = 127 / (max|x| + 1e-7)}, {@code q = clip(round(x·scale), -127, 127)} with round half to even, all in
 * float32; the value {@code q} stands for is {@code q / scale}. Weights are quantized per output channel (over the
 * input axis), activations of a Dense layer per row at every call ({@link #gemmDynamic}).
 *
 * <p>Accuracy: a quantized weight stands for its float value within half a step, {@code |w - q/scale| <= (max|w| +
 * 1e-7) / 254} of its channel, so a weight-only product moves by at most {@code sum_p |a_p| · (max_p |w_pj| + 1e-7)
 * / 254}, and {@link #gemmDynamic} by at most {@code sum_p (|a_p| d_j + (|w_pj| + d_j) e)} with {@code d_j} that
 * half step and {@code e = (max_p |a_p| + 1e-7) / 254} the row's (plus float rounding); the README's "Quantized
 * inference" carries these through each layer.
 *
 * <p>Two products: {@link #gemm} (int8 weights, float activations; the recurrent layers and Conv1D) and
 * {@link #gemmDynamic} (Keras's Dense: the input rows quantized too, the dot products exact in int32). Each output
 * element is computed the same way whatever the batch size, the row split across threads or the kernel (Vector API
 * or plain Java, chosen once like {@link MatMul}'s): the results are reproducible bit for bit.
 *
 * <pre>{@code
 * QuantizedMatrix w = QuantizedMatrix.quantize(kernel, inputDim, units);
 * Int8MatMul.gemm(rows, x, 0, inputDim, w, y, 0, units, false);          // y = x · (Q / scale)
 * }</pre>
 *
 * <p>Thread safety: thread-safe; the kernel is chosen once when the class is initialised.
 */
public final class Int8MatMul {
    private static final Int8Kernel KERNEL = choose();
    /** int32 sums of k products of two int8 values cannot overflow below this k (k·127·128 < 2^31). */
    static final int MAX_K = 131_000;
    /** The least multiply-adds a part of a split product gets. */
    private static final long PART = 96 * 1024;
    /** Below this many rows a product is cut by columns, in blocks of {@link #COLUMN_BLOCK} (four 512-bit vectors). */
    private static final int FEW_ROWS = 4, COLUMN_BLOCK = 64;
    /** Keras's {@code backend.epsilon()}, as float32. */
    private static final float EPSILON = 1e-7f;

    private Int8MatMul() {}

    private static Int8Kernel choose() {
        if (Kernels.vectorActive()) {
            try {
                return (Int8Kernel) Class.forName("org.rnn4j.kernels.VectorInt8Kernel").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                LoggerFactory.getLogger(Int8MatMul.class).info("rnn4j: plain-Java int8 kernel active ({})", e.toString());
            }
        }
        return new JavaInt8Kernel();
    }

    /** The kernel in use, for the kernels of this package that call it per chunk. */
    static Int8Kernel kernel() { return KERNEL; }

    /** The kernel in use ({@code vector-int8-512bit}, {@code java-int8}). Thread-safe: fixed at class initialisation. */
    public static String kernelName() { return KERNEL.name(); }

    /**
     * {@code C = (accumulate ? C : 0) + A · (Q / scale)}: float {@code A [m, k]} (rows at {@code aOff}, {@code lda}
     * apart) times the int8 matrix {@code w [k, n]}, into {@code C [m, n]} at {@code cOff}, {@code ldc} apart.
     * a: not modified; c: modified. Thread-safe: writes only {@code c}.
     */
    public static void gemm(int m, float[] a, int aOff, int lda, QuantizedMatrix w, float[] c, int cOff, int ldc,
                            boolean accumulate) {
        int n = w.cols, k = w.rows;
        if (m <= 0 || n == 0) return;
        gemm(KERNEL, m, n, k, a, aOff, lda, w.values, 0, n, w.scale, 0, c, cOff, ldc, accumulate);
    }

    /**
     * {@link #gemm} on columns {@code j0 <= j < j0 + n} of {@code w} (a group's slice of a grouped convolution's
     * kernel), into columns of {@code c} starting at {@code cOff}. Thread-safe: writes only {@code c}.
     */
    public static void gemmColumns(int m, float[] a, int aOff, int lda, QuantizedMatrix w, int j0, int n,
                                   float[] c, int cOff, int ldc, boolean accumulate) {
        if (j0 < 0 || n < 0 || j0 + n > w.cols) {
            throw new IllegalArgumentException("columns " + j0 + ".." + (j0 + n) + " outside a matrix of " + w.cols);
        }
        if (m <= 0 || n == 0) return;
        gemm(KERNEL, m, n, w.rows, a, aOff, lda, w.values, j0, w.cols, w.scale, j0, c, cOff, ldc, accumulate);
    }

    /** The weight-only product on a given kernel (tests hold the kernels equal). */
    static void gemm(Int8Kernel kernel, int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff, int ldq,
                     float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate) {
        long work = (long) m * n * k;
        if (m < FEW_ROWS) {
            // A streaming step's one row: cut the columns instead, in whole blocks (a column's value does not
            // depend on the block it falls in).
            int blocks = (n + COLUMN_BLOCK - 1) / COLUMN_BLOCK, parts = Parallel.parts(work, PART, blocks);
            if (parts > 1) {
                Parallel.run(parts, p -> {
                    int j0 = Math.min(n, (int) ((long) blocks * p / parts) * COLUMN_BLOCK);
                    int j1 = Math.min(n, (int) ((long) blocks * (p + 1) / parts) * COLUMN_BLOCK);
                    kernel.gemmWeights(m, j1 - j0, k, a, aOff, lda, q, qOff + j0, ldq, scale, sOff + j0, c, cOff + j0, ldc,
                            accumulate);
                });
                return;
            }
        }
        int parts = Parallel.parts(work, PART, m);
        if (parts <= 1) {
            kernel.gemmWeights(m, n, k, a, aOff, lda, q, qOff, ldq, scale, sOff, c, cOff, ldc, accumulate);
            return;
        }
        // Whole rows per part: a row's elements are computed the same way in any part.
        Parallel.run(parts, p -> {
            int r0 = (int) ((long) m * p / parts), r1 = (int) ((long) m * (p + 1) / parts);
            kernel.gemmWeights(r1 - r0, n, k, a, aOff + r0 * lda, lda, q, qOff, ldq, scale, sOff, c, cOff + r0 * ldc, ldc,
                    accumulate);
        });
    }

    /**
     * Keras 3's Dense int8 call: each row of {@code A [m, k]} quantized on the fly ({@code abs_max_quantize(x,
     * axis=-1)}), the int8 rows times {@code w} exactly in int32, then {@code C = (accumulate ? C : 0) +
     * acc / (rowScale · scale)}. a: not modified; c: modified. Thread-safe: writes only {@code c}.
     */
    public static void gemmDynamic(int m, float[] a, int aOff, int lda, QuantizedMatrix w, float[] c, int cOff, int ldc,
                                   boolean accumulate) {
        int n = w.cols, k = w.rows;
        if (m <= 0 || n == 0) return;
        if (k > MAX_K) throw new IllegalArgumentException("int8 products sum at most " + MAX_K + " terms, got " + k);
        byte[] aq = new byte[m * k];
        float[] as = new float[m];
        quantizeRows(m, k, a, aOff, lda, aq, as);
        gemmDynamic(KERNEL, m, n, k, aq, as, w.values, n, w.scale, c, cOff, ldc, accumulate);
    }

    /** The int8 product on a given kernel, rows quantized already (tests hold the kernels equal). */
    static void gemmDynamic(Int8Kernel kernel, int m, int n, int k, byte[] aq, float[] as, byte[] q, int ldq,
                            float[] scale, float[] c, int cOff, int ldc, boolean accumulate) {
        int parts = Parallel.parts((long) m * n * k, PART, m);
        if (parts <= 1) {
            kernel.gemmInt8(m, n, k, aq, 0, k, as, 0, q, 0, ldq, scale, 0, c, cOff, ldc, accumulate);
            return;
        }
        Parallel.run(parts, p -> {
            int r0 = (int) ((long) m * p / parts), r1 = (int) ((long) m * (p + 1) / parts);
            kernel.gemmInt8(r1 - r0, n, k, aq, r0 * k, k, as, r0, q, 0, ldq, scale, 0, c, cOff + r0 * ldc, ldc, accumulate);
        });
    }

    /** Keras's abs-max scale for a largest magnitude: {@code 127 / (amax + 1e-7)} in float32. Thread-safe. */
    public static float scaleFor(float amax) { return 127f / (amax + EPSILON); }

    /** Keras's quantization of one value: {@code clip(round(x·scale), -127, 127)}, round half to even. Thread-safe. */
    public static byte quantize(float x, float scale) {
        float v = (float) Math.rint(x * scale);
        return (byte) Math.max(-127f, Math.min(127f, v));
    }

    /**
     * {@code abs_max_quantize(a, axis=-1)} of each row of {@code a [m, k]}: q {@code [m, k]} (dense) and
     * {@code scale [m]}. a: not modified; q, scale: written. Thread-safe: writes only q and scale.
     */
    public static void quantizeRows(int m, int k, float[] a, int aOff, int lda, byte[] q, float[] scale) {
        for (int r = 0; r < m; r++) {
            int ar = aOff + r * lda;
            float amax = 0f;
            for (int p = 0; p < k; p++) amax = Math.max(amax, Math.abs(a[ar + p]));
            float s = scaleFor(amax);
            scale[r] = s;
            for (int p = 0; p < k; p++) q[r * k + p] = quantize(a[ar + p], s);
        }
    }

    /**
     * {@code abs_max_quantize(w, axis=0)} of {@code w [k, n]}: q {@code [k, n]} (dense) and {@code scale [n]}, one
     * per column (Keras's {@code kernel_scale}). w: not modified; q, scale: written. Thread-safe.
     */
    public static void quantizeColumns(int k, int n, float[] w, int wOff, int ldw, byte[] q, float[] scale) {
        float[] amax = new float[n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) amax[j] = Math.max(amax[j], Math.abs(w[wOff + p * ldw + j]));
        }
        for (int j = 0; j < n; j++) scale[j] = scaleFor(amax[j]);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) q[p * n + j] = quantize(w[wOff + p * ldw + j], scale[j]);
        }
    }
}
