package org.rnn4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

/**
 * The regression losses on targets that are not zero (so {@code p - y} and {@code p + y} differ), by hand; and the
 * reduction over rows with sample weights: {@code sum_r w_r loss_r / rows}.
 */
class RegressionLossValuesTest {
    private static Tensor row(float... v) { return Tensor.of(v, 1, v.length); }

    @Test
    void regressionLossesOnNonZeroTargets() {
        Tensor y = row(1f, -2f);
        // mse: d = (2, 2): (4 + 4) / 2
        assertEquals(4f, Loss.get("mse").compute(y, row(3f, 0f), null, null), 0f);
        // mae: (|2| + |2.5|) / 2
        assertEquals(2.25f, Loss.get("mae").compute(y, row(3f, 0.5f), null, null), 0f);
        // huber (delta 1): 0.5 * 0.5^2 = 0.125; 0.5 * 1 + 1 * (3 - 1) = 2.5
        assertEquals(1.3125f, Loss.get("huber").compute(y, row(1.5f, 1f), null, null), 1e-7f);
        // mape: 100 * (|1| / 2 + |3| / 4) / 2
        assertEquals(62.5f, Loss.get("mape").compute(row(2f, -4f), row(3f, -1f), null, null), 1e-5f);
        // poisson: ((2 - 1 log(2 + 1e-7)) + (1 - 2 log(1 + 1e-7))) / 2
        assertEquals(1.1534263f, Loss.get("poisson").compute(row(1f, 2f), row(2f, 1f), null, null), 1e-6f);
    }

    @Test
    void rowsAreWeightedThenAveragedOverAllRows() {
        // Row losses 4 and 1 (mse), weights 1 and 0.5: (4 + 0.5) / 2.
        Tensor y = Tensor.of(new float[] {1f, -2f, 0f, 0f}, 2, 2), p = Tensor.of(new float[] {3f, 0f, 1f, 1f}, 2, 2);
        Loss mse = Loss.get("mse");
        assertEquals(2.25f, mse.compute(y, p, new float[] {1f, 0.5f}, null), 0f);
        assertEquals(2.5f, mse.compute(y, p, null, null), 0f);
        assertArrayEquals(new double[] {4, 1}, mse.perRow(y, p), 0);
        // d loss / d p = w_r * 2 d / cols / rows.
        float[] grad = new float[4];
        mse.compute(y, p, new float[] {1f, 0.5f}, grad);
        assertArrayEquals(new float[] {1f, 1f, 0.25f, 0.25f}, grad, 1e-7f);
    }
}
