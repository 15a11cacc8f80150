package org.rnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NumPy's semantics on small tensors a person can check. */
class NumPyTest {
    // [[[1, 5], [3, 2], [0, -4]], [[7, 1], [-2, 8], [6, 6]]]: shape [2, 3, 2]
    private final Tensor t = Tensor.of(new float[] {1, 5, 3, 2, 0, -4, 7, 1, -2, 8, 6, 6}, 2, 3, 2);

    @Test
    void reductionsAlongEveryAxis() {
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, NumPy.argmax(t, -1).data()); // ties: the first (6, 6)
        assertArrayEquals(new int[] {2, 3}, NumPy.argmax(t, 2).shape());
        assertArrayEquals(new float[] {1, 0, 0, 1}, NumPy.argmax(t, 1).data()); // [1,3,0] [5,2,-4] [7,-2,6] [1,8,6]
        assertArrayEquals(new float[] {3, 5, 7, 8}, NumPy.max(t, 1).data());
        assertArrayEquals(new float[] {8, 6, 1, 10, 6, 2}, NumPy.sum(t, 0).data());
        assertArrayEquals(new float[] {3, 2.5f, -2, 4, 3, 6}, NumPy.mean(t, -1).data());
        assertArrayEquals(new float[] {1, 5, 3, 2, 0, 4, 7, 1, 2, 8, 6, 6}, NumPy.abs(t).data());
        assertThrows(IllegalArgumentException.class, () -> NumPy.sum(t, 3));
    }

    @Test
    void shapesConcatenateStackSliceArange() {
        assertArrayEquals(new int[] {1, 2, 3, 2}, NumPy.expandDims(t, 0).shape());
        assertArrayEquals(new int[] {2, 3, 2, 1}, NumPy.expandDims(t, -1).shape());
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[] {5, 6}, 2, 1);
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, NumPy.concatenate(List.of(a, b), 1).data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, NumPy.concatenate(List.of(a, a), 0).data());
        Tensor s = NumPy.stack(List.of(a, a), 1);
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4}, s.data());
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f}, NumPy.arange(0, 2, 0.5).data());
        assertArrayEquals(new float[] {0, 1, 2}, NumPy.arange(3).data());
        Tensor last2 = NumPy.slice(t, 1, -2, 3); // t[:, -2:, :]
        assertArrayEquals(new float[] {3, 2, 0, -4, -2, 8, 6, 6}, last2.data());
        assertArrayEquals(new int[] {2, 2, 2}, last2.shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NumPy.concatenate(List.of(a, b), 0));
        assertTrue(e.getMessage().contains("(2, 1)"), e.getMessage());
    }
}
