package org.rnn4j.kernels;

import java.util.Arrays;

/**
 * Plain-Java matrix multiply: the fallback when the Vector API module is absent. {@code op(B)} is copied into a
 * contiguous row-major block when it is transposed, then four rows of C are updated together from each row of B,
 * so B is read once per four rows and the innermost loop runs over contiguous memory, which C2 auto-vectorises.
 * Large products are cut by rows, in groups of four, into up to {@link Parallel#threads()} parts; every element is
 * computed by the same operations in the same order however the rows are cut. The thresholds and the K-block come
 * from {@link KernelPlan#scalar()}.
 *
 * <pre>{@code
 * // C [m, n] = A [m, k] · B [k, n]; the kernel MatMul uses without the Vector API (or with -Drnn4j.noVector=true)
 * new JavaGemm().gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
 * }</pre>
 *
 * <p>Thread safety: thread-safe: scratch is per call or per thread; row blocks run on the Parallel pool.
 */
public final class JavaGemm implements GemmKernel {
    private static final KernelPlan PLAN = KernelPlan.scalar();
    /** Products below this many multiply-adds run the direct loops. */
    private static final long SMALL = PLAN.smallProduct();
    /** The least multiply-adds a part of a split product gets. */
    private static final long PART = PLAN.partWork();
    private static final int KC = PLAN.kBlock();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    /** Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly. */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (!accumulate) {
            for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
        }
        if (k <= 0) return;
        long work = (long) m * n * k;
        if (work < SMALL) {
            direct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int groups = (m + 3) / 4, parts = Parallel.parts(work, PART, groups);
        if (parts > 1) {
            Job job = JOBS.get();
            job.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            job.parts = parts;
            job.groups = groups;
            try {
                Parallel.run(parts, job);
            } finally {
                job.a = job.b = job.c = null;
            }
        } else {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    private static final class Job implements Parallel.Task {
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, parts, groups;
        float[] a, b, c;

        void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
            this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k;
            this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
            this.c = c; this.cOff = cOff; this.ldc = ldc;
        }

        /** Thread-confined: one part of one call, run by that call's Parallel.run. */
        @Override
        public void run(int part) {
            // Part p: row groups [p * groups / parts, (p + 1) * groups / parts), four rows each.
            int i0 = (int) ((long) part * groups / parts) * 4, i1 = Math.min(m, (int) ((long) (part + 1) * groups / parts) * 4);
            int mm = i1 - i0;
            if (mm <= 0) return;
            int ao = transA ? aOff + i0 : aOff + i0 * lda;
            blocked(transA, transB, mm, n, k, a, ao, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc);
        }
    }

    /** C += op(A)·op(B) in blocks of KC rows of op(B), four rows of C at a time. */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc) {
        float[][] holder = SCRATCH.get();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float[] bb;
            int bo, ldbb;
            if (transB) {
                if (holder[0].length < kc * n) holder[0] = new float[kc * n];
                bb = holder[0];
                for (int j = 0; j < n; j++) {
                    int src = bOff + j * ldb + pc;
                    for (int p = 0; p < kc; p++) bb[p * n + j] = b[src + p];
                }
                bo = 0;
                ldbb = n;
            } else {
                bb = b;
                bo = bOff + pc * ldb;
                ldbb = ldb;
            }
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                int c0 = cOff + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
                for (int p = 0; p < kc; p++) {
                    float a0 = aAt(transA, a, aOff, lda, i, pc + p), a1 = aAt(transA, a, aOff, lda, i + 1, pc + p);
                    float a2 = aAt(transA, a, aOff, lda, i + 2, pc + p), a3 = aAt(transA, a, aOff, lda, i + 3, pc + p);
                    int br = bo + p * ldbb;
                    for (int j = 0; j < n; j++) {
                        float bv = bb[br + j];
                        c[c0 + j] += a0 * bv;
                        c[c1 + j] += a1 * bv;
                        c[c2 + j] += a2 * bv;
                        c[c3 + j] += a3 * bv;
                    }
                }
            }
            for (; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < kc; p++) {
                    float av = aAt(transA, a, aOff, lda, i, pc + p);
                    int br = bo + p * ldbb;
                    for (int j = 0; j < n; j++) c[ci + j] += av * bb[br + j];
                }
            }
        }
    }

    private static float aAt(boolean transA, float[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /** C += op(A)·op(B) with the plain loops: best for tiny products, where any set-up costs more than it saves. */
    static void direct(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc) {
        if (transB) {
            // C[i,j] += sum_p A[i,p] * B[j,p]: dot products over contiguous rows of B.
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    if (!transA) {
                        int ai = aOff + i * lda;
                        for (int p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
                    } else {
                        for (int p = 0; p < k; p++) s += a[aOff + p * lda + i] * b[bj + p];
                    }
                    c[ci + j] += s;
                }
            }
            return;
        }
        if (n == 1) {
            // One column (a Dense(1) head): the sum in a register, not read and written back through C per p.
            for (int i = 0; i < m; i++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * b[bOff + p * ldb];
                c[cOff + i * ldc] += s;
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
            }
        }
    }

    /** Thread-safe: a constant. */
    @Override
    public String name() { return "java"; }
}
