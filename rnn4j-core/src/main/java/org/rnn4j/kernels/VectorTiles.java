package org.rnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorGemm}: each runs the whole k loop of one tile with its accumulators in locals, so
 * C2 keeps them in vector registers. The packed tiles ({@link #tile8}, {@link #tile4}, {@link #tile1},
 * {@link #tile1x4}) read A and B as {@link VectorGemm} packs them; the row tiles ({@link #rowTile8} and smaller) read
 * an unpacked B for products of fewer rows than a tile. Each element's sum runs in order of p in every tile.
 * Only loaded when the module is present.
 *
 * <p>Thread safety: stateless; thread-safe (each call writes only its own {@code tile} or {@code c} range).
 */
final class VectorTiles {
    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final int L = S.length();
    /** Columns of a packed panel: two vectors, as in {@link VectorGemm}. */
    private static final int NR = 2 * L;

    private VectorTiles() {}

    /**
     * Eight vectors of one row of C: eight independent FMA chains instead of four, so the loads of B's rows are
     * not held back by the FMA latency (batch-1 products: about 25% faster). Same summation order per element.
     */
    static void rowTile8(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
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

    static void rowTile4(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
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

    static void rowTile1(int k, float[] a, int ai, int as, float[] b, int bo, int ldb, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < k; p++, ai += as, bo += ldb) c0 = FloatVector.broadcast(S, a[ai]).fma(FloatVector.fromArray(S, b, bo), c0);
        FloatVector.fromArray(S, c, co).add(c0).intoArray(c, co);
    }

    /**
     * One row of C times four adjacent full panels, added into C: eight accumulator chains and four streams of B
     * in flight, where one panel at a time keeps four chains and one stream (a 590 KB matrix-vector product:
     * 5.2 us instead of 7.9 on one core). Summation in order of p, as in the 8- and 4-row tiles.
     */
    static void tile1x4(int kc, float[] ap, int ao, float[] bp, int bo, int ps, float[] c, int co) {
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

    // The register tiles: the whole k loop in one method with the accumulators in locals, so C2 keeps them in
    // vector registers. Each adds its accumulators into whole rows of two vectors, C[r * ldc + co ..] (for a panel
    // narrower than two vectors the caller passes a zeroed scratch tile and adds it into C itself): a branch or a
    // call on the vectors after the loop (a masked edge store, say) made C2 give up the intrinsics and box every
    // vector at every iteration (measured: 10x slower).

    static void tile8(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
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
        FloatVector.fromArray(S, c, co + 0 * ldc).add(c00).intoArray(c, co + 0 * ldc);
        FloatVector.fromArray(S, c, co + 0 * ldc + L).add(c01).intoArray(c, co + 0 * ldc + L);
        FloatVector.fromArray(S, c, co + 1 * ldc).add(c10).intoArray(c, co + 1 * ldc);
        FloatVector.fromArray(S, c, co + 1 * ldc + L).add(c11).intoArray(c, co + 1 * ldc + L);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c20).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + L).add(c21).intoArray(c, co + 2 * ldc + L);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c30).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + L).add(c31).intoArray(c, co + 3 * ldc + L);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c40).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc + L).add(c41).intoArray(c, co + 4 * ldc + L);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c50).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc + L).add(c51).intoArray(c, co + 5 * ldc + L);
        FloatVector.fromArray(S, c, co + 6 * ldc).add(c60).intoArray(c, co + 6 * ldc);
        FloatVector.fromArray(S, c, co + 6 * ldc + L).add(c61).intoArray(c, co + 6 * ldc + L);
        FloatVector.fromArray(S, c, co + 7 * ldc).add(c70).intoArray(c, co + 7 * ldc);
        FloatVector.fromArray(S, c, co + 7 * ldc + L).add(c71).intoArray(c, co + 7 * ldc + L);
    }

    /** Six rows by two vectors: AVX2's tile on JDK 17 (12 accumulators fit its 16 registers; see {@link KernelPlan}). */
    static void tile6(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ao += 6, bo += NR) {
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
        }
        FloatVector.fromArray(S, c, co + 0 * ldc).add(c00).intoArray(c, co + 0 * ldc);
        FloatVector.fromArray(S, c, co + 0 * ldc + L).add(c01).intoArray(c, co + 0 * ldc + L);
        FloatVector.fromArray(S, c, co + 1 * ldc).add(c10).intoArray(c, co + 1 * ldc);
        FloatVector.fromArray(S, c, co + 1 * ldc + L).add(c11).intoArray(c, co + 1 * ldc + L);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c20).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + L).add(c21).intoArray(c, co + 2 * ldc + L);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c30).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + L).add(c31).intoArray(c, co + 3 * ldc + L);
        FloatVector.fromArray(S, c, co + 4 * ldc).add(c40).intoArray(c, co + 4 * ldc);
        FloatVector.fromArray(S, c, co + 4 * ldc + L).add(c41).intoArray(c, co + 4 * ldc + L);
        FloatVector.fromArray(S, c, co + 5 * ldc).add(c50).intoArray(c, co + 5 * ldc);
        FloatVector.fromArray(S, c, co + 5 * ldc + L).add(c51).intoArray(c, co + 5 * ldc + L);
    }

    /** Four rows by two vectors: AVX2's tile on JDKs after 17 (see {@link KernelPlan}), and every width's 4-row remainder. */
    static void tile4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
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
        FloatVector.fromArray(S, c, co + 0 * ldc).add(c00).intoArray(c, co + 0 * ldc);
        FloatVector.fromArray(S, c, co + 0 * ldc + L).add(c01).intoArray(c, co + 0 * ldc + L);
        FloatVector.fromArray(S, c, co + 1 * ldc).add(c10).intoArray(c, co + 1 * ldc);
        FloatVector.fromArray(S, c, co + 1 * ldc + L).add(c11).intoArray(c, co + 1 * ldc + L);
        FloatVector.fromArray(S, c, co + 2 * ldc).add(c20).intoArray(c, co + 2 * ldc);
        FloatVector.fromArray(S, c, co + 2 * ldc + L).add(c21).intoArray(c, co + 2 * ldc + L);
        FloatVector.fromArray(S, c, co + 3 * ldc).add(c30).intoArray(c, co + 3 * ldc);
        FloatVector.fromArray(S, c, co + 3 * ldc + L).add(c31).intoArray(c, co + 3 * ldc + L);
    }

    /** One row: a matrix-vector product, bound by reading B; four accumulators hide the FMA latency. */
    static void tile1(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
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
}
