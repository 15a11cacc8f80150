package org.rnn4j.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code orthogonal} (LSTM's and GRU's default recurrent initializer): the rows (when there are fewer rows
 * than columns) or the columns (otherwise) are orthogonal with norm {@code gain}.
 */
class OrthogonalTest {
    @Test
    void rowsOrColumnsAreOrthogonalWithNormGain() {
        for (int[] shape : new int[][] {{6, 6}, {4, 10}, {10, 4}, {3, 24}}) {
            float[] v = new float[shape[0] * shape[1]];
            new Orthogonal(1.5).fill(v, shape, new SplittableRandom(7));
            int rows = shape[0], cols = shape[1];
            boolean byRows = rows <= cols;
            int n = byRows ? rows : cols, len = byRows ? cols : rows;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double dot = 0;
                    for (int k = 0; k < len; k++) dot += (double) at(v, cols, byRows, a, k) * at(v, cols, byRows, b, k);
                    assertEquals(a == b ? 2.25 : 0.0, dot, 1e-5, rows + "x" + cols + " (" + a + ", " + b + ")");
                }
            }
        }
    }

    /** Element k of row (or column) a. */
    private static float at(float[] v, int cols, boolean byRows, int a, int k) {
        return byRows ? v[a * cols + k] : v[k * cols + a];
    }

    @Test
    void theKerasNameGivesGainOneAndSeedsGiveTheirOwnMatrices() {
        Initializer o = Initializer.get("orthogonal");
        assertTrue(o instanceof Orthogonal);
        assertEquals(1.0, ((Orthogonal) o).gain());
        assertEquals("orthogonal", o.name());
        assertEquals(1.0, (double) o.getConfig().get("gain"));
        float[] a = new float[16], b = new float[16], c = new float[16];
        o.fill(a, new int[] {4, 4}, new SplittableRandom(1));
        o.fill(b, new int[] {4, 4}, new SplittableRandom(1));
        o.fill(c, new int[] {4, 4}, new SplittableRandom(2));
        assertTrue(java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, c));
    }
}
