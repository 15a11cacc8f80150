package org.rnn4j.kernels;

/**
 * Adam's update of elements {@code [from, to)} of one weight, in one pass over its arrays (Keras's rule, see
 * {@code org.rnn4j.optimizers.Adam}): {@code m += (g - m) * (1 - beta1)}, {@code v += (g*g - v) * (1 - beta2)},
 * with amsgrad {@code vMax = max(vMax, v)} and {@code u = vMax} (else {@code u = v}), then
 * {@code w -= alpha * m / (sqrt(u) + epsilon)}. {@code w}, {@code m}, {@code v} and {@code vMax} are modified,
 * {@code g} is not; {@code vMax} is null without amsgrad.
 *
 * <p>Every implementation gives the same bits: each operation is a float32 add, subtract, multiply, divide, max or
 * square root, all correctly rounded, in the order written above and never fused into an FMA.
 */
interface AdamKernel {
    void update(float[] w, float[] g, float[] m, float[] v, float[] vMax, int from, int to,
                float alpha, float beta1, float beta2, float epsilon);
}
