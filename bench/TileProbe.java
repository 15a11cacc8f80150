import jdk.incubator.vector.*;
/**
 * The register tiles of a packed matrix multiply alone, one thread, A block 24 x 256 and 32 B panels (all in L2, also
 * on Zen 3's 512 KB): GFLOP/s of an 8 x 2-vector tile (rnn4j's VectorTiles.tile8), a 6 x 2 tile (tile6), a 4 x 3
 * tile, a 6 x 2 tile that reads A already broadcast to whole vectors ("tile66"), and a 4 x 2 tile (tile4). Compare
 * with bench/fma_probe.c's one-thread peak.
 *
 *   java --add-modules jdk.incubator.vector bench/TileProbe.java                  # the machine's widest vectors
 *   java -XX:UseAVX=2 --add-modules jdk.incubator.vector bench/TileProbe.java     # AVX2 code, 16 registers
 */
public class TileProbe {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length(), NR = 2 * L;
    static void tile8(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++, ao += 8, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
            x = FloatVector.broadcast(S, ap[ao]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, ap[ao + 6]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ao + 7]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR); c61.intoArray(tile, 6 * NR + L); c70.intoArray(tile, 7 * NR); c71.intoArray(tile, 7 * NR + L);
    }
    static void tile6(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++, ao += 6, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
            x = FloatVector.broadcast(S, ap[ao]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ao + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ao + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
    }
    static void tile4(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += 4, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
            x = FloatVector.broadcast(S, ap[ao]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ao + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ao + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ao + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
    }
    static void tile43(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < kc; p++, ao += 4, bo += 3 * L) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), b2 = FloatVector.fromArray(S, bp, bo + 2 * L), x;
            x = FloatVector.broadcast(S, ap[ao]); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, ap[ao + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, ap[ao + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, ap[ao + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c10.intoArray(tile, 3 * L); c11.intoArray(tile, 4 * L); c12.intoArray(tile, 5 * L);
        c20.intoArray(tile, 6 * L); c21.intoArray(tile, 7 * L); c22.intoArray(tile, 8 * L); c30.intoArray(tile, 9 * L); c31.intoArray(tile, 10 * L); c32.intoArray(tile, 11 * L);
    }
    static void tile6b(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++, ao += 6 * L, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo), b1 = FloatVector.fromArray(S, bp, bo + L), x;
            x = FloatVector.fromArray(S, ap, ao); c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.fromArray(S, ap, ao + L); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.fromArray(S, ap, ao + 2 * L); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.fromArray(S, ap, ao + 3 * L); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.fromArray(S, ap, ao + 4 * L); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.fromArray(S, ap, ao + 5 * L); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c10.intoArray(tile, NR); c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L);
    }
    public static void main(String[] a) {
        int kc = 256, panels = 32, arows = 24; // B: kc x (panels*NR); A: arows x kc (x L for tile66)
        float[] bp = new float[panels * kc * NR], ap = new float[arows * kc * L], tile = new float[8 * NR];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < bp.length; i++) bp[i] = r.nextFloat();
        for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat();
        System.out.println("L=" + L);
        String[] names = {"tile8", "tile6", "tile43", "tile66", "tile4"};
        int[] mrs = {8, 6, 4, 6, 4};
        for (int round = 0; round < 8; round++) {
            for (int v = 0; v < names.length; v++) {
                int mr = mrs[v], rows = arows / mr * mr, np = v == 2 ? panels * 2 / 3 : panels;
                long best = Long.MAX_VALUE; float sink = 0;
                for (int rep = 0; rep < 300; rep++) {
                    long t0 = System.nanoTime();
                    for (int q = 0; q < np; q++) for (int ir = 0; ir < rows; ir += mr) {
                        switch (v) {
                            case 0: tile8(kc, ap, ir * kc, bp, q * kc * NR, tile); break;
                            case 1: tile6(kc, ap, ir * kc, bp, q * kc * NR, tile); break;
                            case 2: tile43(kc, ap, ir * kc, bp, q * kc * 3 * L, tile); break;
                            case 3: tile6b(kc, ap, ir * kc * L, bp, q * kc * NR, tile); break;
                            default: tile4(kc, ap, ir * kc, bp, q * kc * NR, tile);
                        }
                        sink += tile[3];
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                double flops = v == 2 ? 2.0 * rows * np * 3 * L * kc : 2.0 * rows * panels * NR * kc;
                if (round >= 3) System.out.printf("%s %.1f GFLOP/s  ", names[v], flops / best);
            }
            if (round >= 3) System.out.println();
        }
    }
}
