package org.rnn4j.kernels;

/**
 * One implementation of the two int8 products of quantized inference ({@link Int8MatMul}), on row-major arrays with
 * leading dimensions. The int8 matrix {@code Q [k, n]} (Keras's kernel layout, input axis first) comes with one
 * scale per column: the float value of {@code Q[p, j]} is {@code Q[p, j] / scale[j]} (Keras 3's {@code kernel_scale}).
 *
 * <p>Every element is computed by one fixed sequence of float operations, whatever {@code m}, {@code n}, the offsets,
 * the implementation or the thread count: implementations and row splits give the same bits. That is what lets the
 * streaming step of a quantized model equal its {@code predict} exactly.
 *
 * <p>Thread safety: implementations are thread-safe: a call writes only {@code c} and keeps no state.
 */
interface Int8Kernel {
    /**
     * Weight-only product, float activations: {@code c[r, j] = (accumulate ? c[r, j] : 0) + acc / scale[j]} with
     * {@code acc = fma(a[r, 1], Q[1, j], fma(a[r, 0], Q[0, j], 0)) ...} in float, one fused multiply-add per term in
     * order of p (one rounding each, {@link Math#fma}).
     * a, q, scale: not modified; c: modified. Thread-safe: writes only {@code c}.
     */
    void gemmWeights(int m, int n, int k, float[] a, int aOff, int lda, byte[] q, int qOff, int ldq,
                     float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Int8 by int8 (Keras 3's Dense int8 call): {@code acc = sum_p A[r, p]·Q[p, j]} exactly in int32, then
     * {@code c[r, j] = (accumulate ? c[r, j] : 0) + (float) acc / (aScale[r]·scale[j])}. a, aScale, q, scale: not
     * modified; c: modified. Thread-safe: writes only {@code c}.
     */
    void gemmInt8(int m, int n, int k, byte[] a, int aOff, int lda, float[] aScale, int asOff, byte[] q, int qOff,
                  int ldq, float[] scale, int sOff, float[] c, int cOff, int ldc, boolean accumulate);

    /** A short name for logs and tests. Thread-safe: a constant. */
    String name();
}
