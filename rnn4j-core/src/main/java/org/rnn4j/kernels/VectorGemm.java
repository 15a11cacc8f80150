package org.rnn4j.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiply on the Vector API ({@code jdk.incubator.vector}): packed panels and a register tile of
 * {@link KernelPlan#tileRows} rows by two vectors ({@link VectorTiles#tile8}: 8 x 32 floats with AVX-512; with AVX2's
 * 16 registers {@link VectorTiles#tile6} or {@link VectorTiles#tile4}, 6 or 4 x 16), the GotoBLAS loop order, and the
 * columns (or rows, for narrow products) cut into up to {@link Parallel#threads()} parts when the product is large
 * enough to pay for the hand-off ({@link #PART} multiply-adds a part). Cutting along m or n never changes the order of
 * any element's sum over k; it may move a row between register tiles, which is why a product's bits depend on the
 * number of parts (and so on the thread setting, never on which threads ran them: see {@link Parallel}).
 *
 * <p>Only loaded when the module is present: {@link Kernels} instantiates it reflectively.
 *
 * <p>Packed layout of {@code op(B) [k, n]}: panels of {@code NR} columns (the last one zero-padded), each
 * {@code [k, NR]} row-major, so the inner loop reads B contiguously. {@code op(A)} is packed per block into
 * row panels of MR (then 4, then single rows), each {@code [kc, rows]}. The tile, the blocks and the thresholds
 * come from {@link KernelPlan#vector()}.
 *
 * <pre>{@code
 * // not constructed directly: with the module present, MatMul runs on it
 * boolean fast = Kernels.vectorActive();       // needs --add-modules jdk.incubator.vector
 * String name = MatMul.kernel().name();        // "vector-512bit" on AVX-512, "vector-256bit" on AVX2
 * }</pre>
 *
 * <p>Thread safety: thread-safe: scratch is per thread; row blocks run on the Parallel pool.
 */
public final class VectorGemm implements GemmKernel {
    private static final KernelPlan PLAN = KernelPlan.vector();
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();
    /** Register tile: MR rows (8, 6 or 4: see {@link KernelPlan}) by NR = two vectors of columns. */
    private static final int MR = PLAN.tileRows(), NR = 2 * L;
    /** Cache blocks: a KC x NR panel of B stays in L1, an MC x KC block of A in L2, a KC x NC block of B in L2. */
    private static final int KC = PLAN.kBlock(), MC = PLAN.rowBlock(), NC = PLAN.columnBlock();
    /** Products below this many multiply-adds run the direct loops: packing would cost more than it saves. */
    private static final long SMALL = PLAN.smallProduct();
    /** The least multiply-adds a part of a split product gets (a hand-off costs a few microseconds). */
    static final long PART = PLAN.partWork();

    static {
        if (NR != PLAN.tileColumns() || MR != 8 && MR != 6 && MR != 4) {
            throw new IllegalStateException("VectorGemm has 8-, 6- and 4-row by 2-vector tiles, not " + PLAN.describe());
        }
    }

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

    /** Thread-safe: writes only {@code dst}. */
    @Override
    public void packStacked(int k1, float[] b1, int k2, float[] b2, int n, PackedMatrix dst) {
        int k = k1 + k2, panels = (n + NR - 1) / NR;
        float[] d = dst.ensure(panels * k * NR);
        // Panel by panel: b1's rows of the panel, then b2's, exactly where pack puts the stacked matrix's rows.
        for (int q = 0, o = 0; q < panels; q++, o += k * NR) {
            int jr = q * NR, cols = Math.min(NR, n - jr);
            panelRows(b1, jr, n, k1, cols, d, o);
            panelRows(b2, jr, n, k2, cols, d, o + k1 * NR);
        }
        dst.k = k;
        dst.n = n;
        dst.packedBy = this;
    }

    /**
     * {@code rows} rows of {@code cols} values of {@code b}, the first at {@code src} and each {@code ldb} after the
     * last, into NR-wide panel rows of {@code d} from {@code o}, zero-padded: one panel's part of a packed B.
     */
    private static void panelRows(float[] b, int src, int ldb, int rows, int cols, float[] d, int o) {
        for (int p = 0; p < rows; p++, o += NR, src += ldb) {
            System.arraycopy(b, src, d, o, cols);
            if (cols < NR) Arrays.fill(d, o + cols, o + NR, 0f);
        }
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
            for (; j + 2 * w <= j1; j += 2 * w) VectorTiles.rowTile8(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j + w <= j1; j += w) VectorTiles.rowTile4(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j + L <= j1; j += L) VectorTiles.rowTile1(k, a, ai, as, b, bOff + j, ldb, c, ci + j);
            for (; j < j1; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ai + p * as] * b[bOff + p * ldb + j];
                c[ci + j] += s;
            }
        }
    }

    /** C[:, panels from..to] += op(A)·B for a packed B, on this thread. */
    private static void packedRange(boolean transA, int m, float[] a, int aOff, int lda, PackedMatrix b,
                                    int from, int to, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        int n = b.n, k = b.k;
        if (!transA && m < 4) {
            // Single rows (batch-1 streaming): nothing of B is reused across rows, so no K-blocks and no packing of
            // A; each row is one pass over the whole k, read in place.
            for (int i = 0; i < m; i++) {
                singleRow(k, a, aOff + i * lda, b.data, 0, k * NR, from, to, n, c, cOff + i * ldc, s.tile);
            }
            return;
        }
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
        int full = mc / MR * MR, tiled = full + (MR > 4 && mc % MR >= 4 ? 4 : 0); // rows in MR- and 4-row tiles
        for (int q = q0; q < q1; q++) {
            int jr = q * NR, cols = Math.min(NR, nc - jr), bo = bBase + q * panelStride;
            int ir = 0, ao = 0;
            for (; ir < full; ir += MR, ao += MR * kc) {
                tileInto(MR, kc, ap, ao, bp, bo, c, co + ir * ldc + jr, ldc, cols, tile);
            }
            if (ir < tiled) tileInto(4, kc, ap, ao, bp, bo, c, co + ir * ldc + jr, ldc, cols, tile);
        }
        for (int ir = tiled, ao = tiled * kc; ir < mc; ir++, ao += kc) {
            singleRow(kc, ap, ao, bp, bBase, panelStride, q0, q1, nc, c, co + ir * ldc, tile);
        }
    }

    /**
     * C[0, panels q0..q1] += A[ao .. ao + kc]·B for one row (a matrix-vector product), four full panels at a time;
     * {@code nc} is the valid column count counted from panel 0.
     */
    private static void singleRow(int kc, float[] ap, int ao, float[] bp, int bBase, int panelStride, int q0, int q1,
                                  int nc, float[] c, int co, float[] tile) {
        int q = q0;
        for (; q + 4 <= q1 && (q + 4) * NR <= nc; q += 4) {
            VectorTiles.tile1x4(kc, ap, ao, bp, bBase + q * panelStride, panelStride, c, co + q * NR);
        }
        for (; q < q1; q++) {
            VectorTiles.tile1(kc, ap, ao, bp, bBase + q * panelStride, tile);
            addTile(tile, 1, c, co + q * NR, 0, Math.min(NR, nc - q * NR));
        }
    }

    /** op(B)[p0:p0+kc, j0:j0+nc] into NR-wide panels [kc, NR], zero-padded. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] d) {
        int o = 0;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            if (!transB) {
                panelRows(b, bOff + p0 * ldb + j0 + jr, ldb, kc, cols, d, o);
                o += kc * NR;
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

    /** op(A)[i0:i0+mc, p0:p0+kc] into row panels of MR rows, then 4, then 1, each [kc, rows]. */
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

    /**
     * C[rows from co, cols] += the register tile of {@code rows} (MR or 4) rows: straight into C for a whole panel,
     * through the zeroed scratch {@code tile} for a narrower last one.
     */
    private static void tileInto(int rows, int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
                                 int cols, float[] tile) {
        if (cols == NR) {
            tile(rows, kc, ap, ao, bp, bo, c, co, ldc);
        } else {
            Arrays.fill(tile, 0, rows * NR, 0f);
            tile(rows, kc, ap, ao, bp, bo, tile, 0, NR);
            addTile(tile, rows, c, co, ldc, cols);
        }
    }

    /** C[rows from co, two vectors] += the register tile of {@code rows} rows (8, 6 or 4). */
    private static void tile(int rows, int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        if (rows == 8) VectorTiles.tile8(kc, ap, ao, bp, bo, c, co, ldc);
        else if (rows == 6) VectorTiles.tile6(kc, ap, ao, bp, bo, c, co, ldc);
        else VectorTiles.tile4(kc, ap, ao, bp, bo, c, co, ldc);
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
