package org.rnn4j.kernels;

/**
 * Adam's update of one weight in one pass over its arrays: {@code m += (g - m) * (1 - beta1)},
 * {@code v += (g*g - v) * (1 - beta2)}, with amsgrad {@code vMax = max(vMax, v)}, then
 * {@code w -= alpha * m / (sqrt(vMax or v) + epsilon)} (Keras's rule; the optimizer folds the bias corrections into
 * {@code alpha}). The Vector API kernel when the Vector kernels are active, else plain Java: both give the same
 * bits. A weight of at least twice {@link KernelPlan#updatePartFloats()} floats is cut into parts over
 * {@link Parallel#threads()} threads; each element's update depends only on that element, so the result is the same
 * bits at every thread count. Allocates nothing.
 *
 * <pre>{@code
 * // t-th step, as org.rnn4j.optimizers.Adam computes it
 * float alpha = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
 * AdamUpdate.apply(w, g, m, v, null, alpha, 0.9f, 0.999f, 1e-7f);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: calls on different arrays may run at once from any threads.
 */
public final class AdamUpdate {
    private static final AdamKernel KERNEL = Kernels.adam();
    /** Part boundaries fall on multiples of 16 floats (64-byte cache lines): no two threads write one line. */
    private static final int LINE = 16;
    private static final ThreadLocal<Parts> PARTS = ThreadLocal.withInitial(Parts::new);

    private AdamUpdate() {}

    /**
     * Updates {@code w}, {@code m}, {@code v} and {@code vMax} (all modified) from gradient {@code g} (not modified);
     * {@code vMax} is null without amsgrad. All arrays have the same length, else IllegalArgumentException.
     * Thread-safe: calls on different arrays may run at once; the arrays must not change during the call.
     */
    public static void apply(float[] w, float[] g, float[] m, float[] v, float[] vMax,
                             float alpha, float beta1, float beta2, float epsilon) {
        apply(KERNEL, w, g, m, v, vMax, alpha, beta1, beta2, epsilon);
    }

    /** {@link #apply} with the given kernel (tests hold the kernels equal through it). */
    static void apply(AdamKernel kernel, float[] w, float[] g, float[] m, float[] v, float[] vMax,
                      float alpha, float beta1, float beta2, float epsilon) {
        int n = w.length;
        if (g.length != n || m.length != n || v.length != n || (vMax != null && vMax.length != n)) {
            throw new IllegalArgumentException("Adam update: weight has " + n + " values but gradient " + g.length
                    + ", m " + m.length + ", v " + v.length + (vMax == null ? "" : ", v_max " + vMax.length)
                    + ": the slots must be made for this weight");
        }
        int parts = Parallel.parts(n, KernelPlan.active().updatePartFloats(), n / LINE);
        if (parts == 1) {
            kernel.update(w, g, m, v, vMax, 0, n, alpha, beta1, beta2, epsilon);
            return;
        }
        // A reused task per calling thread: a capturing lambda would allocate at every step.
        Parts p = PARTS.get();
        p.set(kernel, w, g, m, v, vMax, alpha, beta1, beta2, epsilon, parts);
        try {
            Parallel.run(parts, p);
        } finally {
            p.set(null, null, null, null, null, null, 0, 0, 0, 0, 0); // holds no weight past the call
        }
    }

    /** The name of the kernel in use ({@code VectorAdamKernel} or {@code JavaAdamKernel}). Thread-safe: fixed. */
    public static String kernelName() { return KERNEL.getClass().getSimpleName(); }

    /** One call's arguments, cut into {@code parts} ranges that depend only on the length and the part count. */
    private static final class Parts implements Parallel.Task {
        private AdamKernel kernel;
        private float[] w, g, m, v, vMax;
        private float alpha, beta1, beta2, epsilon;
        private int parts;

        void set(AdamKernel kernel, float[] w, float[] g, float[] m, float[] v, float[] vMax,
                 float alpha, float beta1, float beta2, float epsilon, int parts) {
            this.kernel = kernel;
            this.w = w;
            this.g = g;
            this.m = m;
            this.v = v;
            this.vMax = vMax;
            this.alpha = alpha;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
            this.parts = parts;
        }

        /** Thread-safe: parts write disjoint ranges, whole cache lines each. */
        @Override
        public void run(int part) {
            kernel.update(w, g, m, v, vMax, start(part), start(part + 1), alpha, beta1, beta2, epsilon);
        }

        private int start(int part) {
            int n = w.length;
            return part == parts ? n : (int) ((long) n * part / parts) / LINE * LINE;
        }
    }
}
