package org.rnn4j.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiply on the Vector API ({@code jdk.incubator.vector}): packed panels and an 8-row by two-vector
 * register tile (8 x 32 floats with AVX-512), the GotoBLAS loop order, and the columns (or rows, for narrow
 * products) cut into up to {@link Parallel#threads()} parts when the product is large enough to pay for the hand-off
 * ({@link #PART} multiply-adds a part). Cutting along m or n never changes the order of any element's sum over k;
 * it may move a row between register tiles, which is why a product's bits depend on the number of parts (and so on
 * the thread setting, never on which threads ran them: see {@link Parallel}).
 *
 * <p>Only loaded when the module is present: {@link Kernels} instantiates it reflectively.
 *
 * <p>Packed layout of {@code op(B) [k, n]}: panels of {@code NR} columns (the last one zero-padded), each
 * {@code [k, NR]} row-major, so the inner loop reads B contiguously. {@code op(A)} is packed per block into
 * row panels of 8 (then 4, then single rows), each {@code [kc, rows]}.
 *
 * <p>Thread safety: thread-safe: scratch is per thread; row blocks run on the Parallel pool.
 */
public final class VectorGemm implements GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Register tile: MR rows by NR = two vectors of columns. */
    private static final int MR = 8, NR = 2 * L;
    /** Cache blocks: a KC x NR panel of B stays in L1, an MC x KC block of A in L2. */
    private static final int KC = 256, MC = 96, NC = 1024;
    /** Products below this many multiply-adds run the direct loops: packing would cost more than it saves. */
    private static final long SMALL = 8 * 1024;
    /** The least multiply-adds a part of a split product gets (a hand-off costs a few microseconds). */
    static final long PART = 96 * 1024;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);

    private static final class Scratch {
        final float[] ap = new float[MC * KC];
        final float[] bp = new float[KC * (NC + NR)];
        final float[] tile = new float[MR * NR];
    }

    /** Thread-safe: a constant. */
    @Override
    public String name() { return "vector-" + S.vectorBitSize() + "bit"; }

    /** Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly. */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (!accumulate) zero(c, cOff, ldc, m, n);
        if (k <= 0) return;
        long work = (long) m * n * k;
        if (work < SMALL) {
            JavaGemm.direct(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        boolean fewRows = !transB && m < MR;
        // Narrow products by rows (in whole register tiles), the rest by columns (in whole panels, or vectors).
        boolean byColumns = fewRows || n >= 2 * NR;
        int units = fewRows ? (n + L - 1) / L : byColumns ? (n + NR - 1) / NR : (m + MR - 1) / MR;
        int parts = Parallel.parts(work, PART, units);
        if (parts > 1) {
            Job job = JOBS.get();
            job.set(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, null, c, cOff, ldc);
            job.fewRows = fewRows;
            job.byColumns = byColumns;
            job.parts = parts;
            job.units = units;
            try {
                Parallel.run(parts, job);
            } finally {
                job.clear();
            }
            return;
        }
        if (fewRows) {
            fewRows(transA, m, 0, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        } else {
            serial(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }
    }

    /** Thread-safe: writes only {@code dst}. */
    @Override
    public void pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedMatrix dst) {
        int panels = (n + NR - 1) / NR;
        float[] d = dst.ensure(panels * k * NR);
        packB(transB, b, bOff, ldb, 0, k, 0, n, d);
        dst.k = k;
        dst.n = n;
        dst.packedBy = this;
    }

    /** Thread-safe: writes only {@code c}; concurrent calls share the Parallel pool fairly. */
    @Override
    public void gemmPacked(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                           float[] c, int cOff, int ldc, boolean accumulate) {
        int n = b.n, k = b.k;
        if (m <= 0 || n <= 0) return;
        if (!accumulate) zero(c, cOff, ldc, m, n);
        if (k <= 0) return;
        long work = (long) m * n * k;
        int panels = (n + NR - 1) / NR, parts = Parallel.parts(work, PART, panels);
        if (parts > 1) {
            Job job = JOBS.get();
            job.set(transA, false, m, n, k, a, aOff, lda, null, 0, 0, b, c, cOff, ldc);
            job.parts = parts;
            job.units = panels;
            try {
                Parallel.run(parts, job);
            } finally {
                job.clear();
            }
            return;
        }
        packedRange(transA, m, a, aOff, lda, b, 0, (n + NR - 1) / NR, c, cOff, ldc);
    }

    /**
     * The arguments of one split product: part p of {@code parts} takes units (panels of NR columns, vectors of
     * columns for few rows, or tiles of MR rows) {@code [p * units / parts, (p + 1) * units / parts)}.
     */
    private static final class Job implements Parallel.Task {
        boolean transA, transB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, parts, units;
        float[] a, b, c;
        PackedMatrix packed;
        boolean fewRows, byColumns;

        void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, PackedMatrix packed, float[] c, int cOff, int ldc) {
            this.transA = transA; this.transB = transB; this.m = m; this.n = n; this.k = k;
            this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
            this.packed = packed; this.c = c; this.cOff = cOff; this.ldc = ldc;
        }

        void clear() { a = b = c = null; packed = null; fewRows = byColumns = false; }

        /** Thread-confined: one part of one call, run by that call's Parallel.run. */
        @Override
        public void run(int part) {
            int u0 = (int) ((long) part * units / parts), u1 = (int) ((long) (part + 1) * units / parts);
            if (u0 >= u1) return;
            if (packed != null) {
                packedRange(transA, m, a, aOff, lda, packed, u0, u1, c, cOff, ldc);
            } else if (fewRows) {
                fewRows(transA, m, u0 * L, Math.min(u1 * L, n), k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            } else if (byColumns) {
                // Columns in whole panels: each thread packs its own part of B.
                int j0 = u0 * NR, nn = Math.min(u1 * NR, n) - j0;
                int bo = transB ? bOff + j0 * ldb : bOff + j0;
                serial(transA, transB, m, nn, k, a, aOff, lda, b, bo, ldb, c, cOff + j0, ldc);
            } else {
                int i0 = u0 * MR, mm = Math.min(u1 * MR, m) - i0;
                int ao = transA ? aOff + i0 : aOff + i0 * lda;
                serial(transA, transB, mm, n, k, a, ao, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc);
            }
        }
    }

    private static void zero(float[] c, int cOff, int ldc, int m, int n) {
        for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
    }

    /** C += op(A)·op(B) on this thread, blocked for cache. */
    private static void serial(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, s.bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, s.ap);
                    block(mc, nc, kc, s.ap, s.bp, 0, kc * NR, 0, (nc + NR - 1) / NR, c, cOff + ic * ldc + jc, ldc, s.tile);
                }
            }
        }
    }

    /**
     * C[:, j0..j1] += op(A)·B for fewer than MR rows and B not transposed, straight from B's rows without packing:
     * a matrix-vector product per row (batch-1 inference, the per-step product of a small batch), where packing
     * B would cost as much as the product.
     */
    private static void fewRows(boolean transA, int m, int j0, int j1, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int w = 4 * L;
        for (int i = 0; i < m; i++) {
            // A(i, p) = a[ai + p * as].
            int ai = transA ? aOff + i : aOff + i * lda, as = transA ? lda : 1, ci = cOff + i * ldc;
            int j = j0;
            for (; j + 2 * w <= j1; j += 2 * w) rowTile8(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j + w <= j1; j += w) rowTile4(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j + L <= j1; j += L) rowTile1(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j < j1; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ai + p * as] * b[bOff + p * ldb + j];
                c[ci + j] += s;
            }
        }
    }

    /**
     * Eight vectors of one row of C: eight independent FMA chains instead of four, so the loads of B's rows are
     * not held back by the FMA latency (batch-1 products: about 25% faster). Same summation order per element.
     */
    private static void rowTile8(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, ai += as, bo += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c0 = x.fma(FloatVector.fromArray(S, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bo + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bo + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, bo + 3 * L), c3);
            c4 = x.fma(FloatVector.fromArray(S, b, bo + 4 * L), c4);
            c5 = x.fma(FloatVector.fromArray(S, b, bo + 5 * L), c5);
            c6 = x.fma(FloatVector.fromArray(S, b, bo + 6 * L), c6);
            c7 = x.fma(FloatVector.fromArray(S, b, bo + 7 * L), c7);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + L).add(c1).intoArray(c, co + L);
        FloatVector.fromArray(S, c, co + 2 * L).add(c2).intoArray(c, co + 2 * L);
        FloatVector.fromArray(S, c, co + 3 * L).add(c3).intoArray(c, co + 3 * L);
        FloatVector.fromArray(S, c, co + 4 * L).add(c4).intoArray(c, co + 4 * L);
        FloatVector.fromArray(S, c, co + 5 * L).add(c5).intoArray(c, co + 5 * L);
        FloatVector.fromArray(S, c, co + 6 * L).add(c6).intoArray(c, co + 6 * L);
        FloatVector.fromArray(S, c, co + 7 * L).add(c7).intoArray(c, co + 7 * L);
    }

    private static void rowTile4(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, ai += as, bo += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c0 = x.fma(FloatVector.fromArray(S, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(S, b, bo + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, b, bo + 2 * L), c2);
            c3 = x.fma(FloatVector.fromArray(S, b, bo + 3 * L), c3);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + L).add(c1).intoArray(c, co + L);
        FloatVector.fromArray(S, c, co + 2 * L).add(c2).intoArray(c, co + 2 * L);
        FloatVector.fromArray(S, c, co + 3 * L).add(c3).intoArray(c, co + 3 * L);
    }

    private static void rowTile1(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, ai += as, bo += ldb) c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bo), c0);
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
    }

    /** C[:, panels from..to] += op(A)·B for a packed B, on this thread. */
    private static void packedRange(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                                    int from, int to, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        int n = b.n, k = b.k;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                packA(transA, a, aOff, lda, ic, mc, pc, kc, s.ap);
                block(mc, n, kc, s.ap, b.data, pc * NR, k * NR, from, to, c, cOff + ic * ldc, ldc, s.tile);
            }
        }
    }

    /**
     * C[mc, panels q0..q1] += Ap·Bp, where panel q of B starts at {@code bBase + q * panelStride} and holds
     * {@code kc} rows of NR values; {@code nc} is the valid column count counted from panel 0.
     */
    private static void block(int mc, int nc, int kc, float[] ap, float[] bp, int bBase, int panelStride,
                              int q0, int q1, float[] c, int co, int ldc, float[] tile) {
        int tiled = mc / MR * MR + (mc % MR >= 4 ? 4 : 0); // rows in 8- and 4-row tiles
        for (int q = q0; q < q1; q++) {
            int jr = q * NR, cols = Math.min(NR, nc - jr), bo = bBase + q * panelStride;
            int ir = 0, ao = 0;
            for (; ir + MR <= mc; ir += MR, ao += MR * kc) {
                tile8(kc, ap, ao, bp, bo, tile);
                addTile(tile, MR, c, co + ir * ldc + jr, ldc, cols);
            }
            if (ir < tiled) {
                tile4(kc, ap, ao, bp, bo, tile);
                addTile(tile, 4, c, co + ir * ldc + jr, ldc, cols);
            }
        }
        // Single rows (a matrix-vector product: batch-1 streaming), four full panels at a time.
        for (int ir = tiled, ao = tiled * kc; ir < mc; ir++, ao += kc) {
            int q = q0;
            for (; q + 4 <= q1 && (q + 4) * NR <= nc; q += 4) {
                tile1x4(kc, ap, ao, bp, bBase + q * panelStride, panelStride, c, co + ir * ldc + q * NR);
            }
            for (; q < q1; q++) {
                tile1(kc, ap, ao, bp, bBase + q * panelStride, tile);
                addTile(tile, 1, c, co + ir * ldc + q * NR, ldc, Math.min(NR, nc - q * NR));
            }
        }
    }

    /**
     * One row of C times four adjacent full panels, added into C: eight accumulator chains and four streams of B
     * in flight, where one panel at a time keeps four chains and one stream (a 590 KB matrix-vector product:
     * 5.2 us instead of 7.9 on one core). Summation in order of p, as in the 8- and 4-row tiles.
     */
    private static void tile1x4(int kc, float[] ap, int ao, float[] bp, int bo, int ps, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, bo += NR) {
            FloatVector x = FloatVector.broadcast(S, ap[ao + p]);
            c0 = x.fma(FloatVector.fromArray(S, bp, bo), c0);
            c1 = x.fma(FloatVector.fromArray(S, bp, bo + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, bp, bo + ps), c2);
            c3 = x.fma(FloatVector.fromArray(S, bp, bo + ps + L), c3);
            c4 = x.fma(FloatVector.fromArray(S, bp, bo + 2 * ps), c4);
            c5 = x.fma(FloatVector.fromArray(S, bp, bo + 2 * ps + L), c5);
            c6 = x.fma(FloatVector.fromArray(S, bp, bo + 3 * ps), c6);
            c7 = x.fma(FloatVector.fromArray(S, bp, bo + 3 * ps + L), c7);
        }
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
        FloatVector.fromArray(S, c, co + L).add(c1).intoArray(c, co + L);
        FloatVector.fromArray(S, c, co + NR).add(c2).intoArray(c, co + NR);
        FloatVector.fromArray(S, c, co + NR + L).add(c3).intoArray(c, co + NR + L);
        FloatVector.fromArray(S, c, co + 2 * NR).add(c4).intoArray(c, co + 2 * NR);
        FloatVector.fromArray(S, c, co + 2 * NR + L).add(c5).intoArray(c, co + 2 * NR + L);
        FloatVector.fromArray(S, c, co + 3 * NR).add(c6).intoArray(c, co + 3 * NR);
        FloatVector.fromArray(S, c, co + 3 * NR + L).add(c7).intoArray(c, co + 3 * NR + L);
    }

    /** op(B)[p0:p0+kc, j0:j0+nc] into NR-wide panels [kc, NR], zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] d) {
        int o = 0;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            if (!transB) {
                int src = bOff + p0 * ldb + j0 + jr;
                if (cols == NR) {
                    for (int p = 0; p < kc; p++, o += NR, src += ldb) System.arraycopy(b, src, d, o, NR);
                } else {
                    for (int p = 0; p < kc; p++, o += NR, src += ldb) {
                        System.arraycopy(b, src, d, o, cols);
                        Arrays.fill(d, o + cols, o + NR, 0f);
                    }
                }
            } else {
                // B(p, j) = b[j * ldb + p]: walk each stored row once, scattering into the panel's column.
                for (int cI = 0; cI < cols; cI++) {
                    int src = bOff + (j0 + jr + cI) * ldb + p0;
                    for (int p = 0; p < kc; p++) d[o + p * NR + cI] = b[src + p];
                }
                for (int cI = cols; cI < NR; cI++) for (int p = 0; p < kc; p++) d[o + p * NR + cI] = 0f;
                o += kc * NR;
            }
        }
    }

    /** op(A)[i0:i0+mc, p0:p0+kc] into row panels of 8, then 4, then 1, each [kc, rows]. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] d) {
        int o = 0, ir = 0;
        while (ir < mc) {
            int rows = mc - ir >= MR ? MR : mc - ir >= 4 ? 4 : 1;
            if (transA) {
                // A(i, p) = a[p * lda + i]: each p contributes `rows` contiguous values.
                int src = aOff + p0 * lda + i0 + ir;
                for (int p = 0; p < kc; p++, src += lda, o += rows) System.arraycopy(a, src, d, o, rows);
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0; p < kc; p++) d[o + p * rows + r] = a[src + p];
                }
                o += kc * rows;
            }
            ir += rows;
        }
    }

    // The register tiles: the whole k loop in one method with the accumulators in locals, so C2 keeps them in
    // vector registers. Each only stores its accumulators to `tile`: a branch or a call on the vectors after the
    // loop (a masked edge store, say) made C2 give up the intrinsics and box every vector at every iteration
    // (measured: 10x slower), so the caller adds the tile into C (addTile).

    private static void tile8(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 8, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ao + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    private static void tile4(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 4, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector x;
            x = FloatVector.broadcast(S, ap[ao + 0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /** One row: a matrix-vector product, bound by reading B; four accumulators hide the FMA latency. */
    private static void tile1(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        int p = 0;
        for (; p + 1 < kc; p += 2, ao += 2, bo += 2 * NR) {
            FloatVector x = FloatVector.broadcast(S, ap[ao]);
            c00 = x.fma(FloatVector.fromArray(S, bp, bo), c00);
            c01 = x.fma(FloatVector.fromArray(S, bp, bo + L), c01);
            FloatVector y = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = y.fma(FloatVector.fromArray(S, bp, bo + NR), c10);
            c11 = y.fma(FloatVector.fromArray(S, bp, bo + NR + L), c11);
        }
        FloatVector x = FloatVector.broadcast(S, p < kc ? ap[ao] : 0f);
        int last = p < kc ? bo : 0;
        c00 = x.fma(FloatVector.fromArray(S, bp, last), c00).add(c10);
        c01 = x.fma(FloatVector.fromArray(S, bp, last + L), c01).add(c11);
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
    }

    /** C[rows, cols] += tile. */
    private static void addTile(float[] tile, int rows, float[] c, int co, int ldc, int cols) {
        if (cols == NR) {
            for (int r = 0; r < rows; r++) {
                int o = co + r * ldc;
                FloatVector.fromArray(S, c, o).add(FloatVector.fromArray(S, tile, r * NR)).intoArray(c, o);
                FloatVector.fromArray(S, c, o + L).add(FloatVector.fromArray(S, tile, r * NR + L)).intoArray(c, o + L);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) c[co + r * ldc + j] += tile[r * NR + j];
            }
        }
    }
}
