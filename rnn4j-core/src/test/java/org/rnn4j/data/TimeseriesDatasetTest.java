package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.tensor.Tensor;

class TimeseriesDatasetTest {
    private static Tensor range(int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return Tensor.of(d, n);
    }

    private static float[] row(Tensor t, int i) {
        return Arrays.copyOfRange(t.data(), i * t.rowSize(), (i + 1) * t.rowSize());
    }

    @Test
    void kerasExample1StrideAndSamplingRate() {
        // Keras docs: indices 0..98, sequence_length=10, sampling_rate=2, sequence_stride=3.
        TimeseriesDataset ds = TimeseriesDataset.fromArray(range(99), null, 10).samplingRate(2).sequenceStride(3).build();
        assertEquals(27, ds.size());
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18}, row(ds.inputs(), 0));
        assertArrayEquals(new float[] {3, 5, 7, 9, 11, 13, 15, 17, 19, 21}, row(ds.inputs(), 1));
        assertArrayEquals(new float[] {6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, row(ds.inputs(), 2));
        assertArrayEquals(new float[] {78, 80, 82, 84, 86, 88, 90, 92, 94, 96}, row(ds.inputs(), 26));
        assertArrayEquals(new int[] {27, 10}, ds.inputs().shape());
        assertNull(ds.targets());
    }

    @Test
    void kerasExample2TemporalRegression() {
        // input_data = data[:-10]; targets = data[10:]; first window data[0:10] -> target data[10].
        Tensor data = range(30);
        Tensor input = data.slice(0, 20), targets = data.slice(10, 30);
        TimeseriesDataset ds = TimeseriesDataset.fromArray(input, targets, 10).build();
        assertEquals(11, ds.size());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, row(ds.inputs(), 0));
        assertEquals(10f, ds.targets().data()[0]);
        assertEquals(20f, ds.targets().data()[10]);
    }

    @Test
    void targetsAheadGiveTheNextHorizonValues() {
        float[] s = {10, 11, 12, 13, 14, 15, 16};
        Tensor y = TimeseriesDataset.targetsAhead(s, 3, 2);
        assertArrayEquals(new int[] {3, 2}, y.shape());
        assertArrayEquals(new float[] {13, 14, 14, 15, 15, 16}, y.data());
        // The whole series as data, 2-D (time, features): windows stop where the targets stop.
        TimeseriesDataset ds = TimeseriesDataset.fromArray(Tensor.of(s, 7, 1), y, 3).build();
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {3, 3, 1}, ds.inputs().shape());
        assertArrayEquals(new float[] {12, 13, 14}, row(ds.inputs(), 2));
        assertArrayEquals(new float[] {15, 16}, row(ds.targets(), 2));
    }

    @Test
    void startAndEndIndexReserveData() {
        // Windows use only [5, 15); targets are taken from start_index on, as in Keras.
        TimeseriesDataset ds = TimeseriesDataset.fromArray(range(20), range(20), 4).startIndex(5).endIndex(15).build();
        assertEquals(7, ds.size());
        assertArrayEquals(new float[] {5, 6, 7, 8}, row(ds.inputs(), 0));
        assertArrayEquals(new float[] {11, 12, 13, 14}, row(ds.inputs(), 6));
        assertEquals(5f, ds.targets().data()[0]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, ds.startPositions());
    }

    @Test
    void shuffleIsASeededPermutation() {
        TimeseriesDataset a = TimeseriesDataset.fromArray(range(50), range(50), 5).shuffle(true).seed(42).build();
        TimeseriesDataset b = TimeseriesDataset.fromArray(range(50), range(50), 5).shuffle(true).seed(42).build();
        TimeseriesDataset c = TimeseriesDataset.fromArray(range(50), range(50), 5).shuffle(true).seed(43).build();
        assertArrayEquals(a.startPositions(), b.startPositions());
        assertNotEquals(Arrays.toString(a.startPositions()), Arrays.toString(c.startPositions()));
        int[] sorted = a.startPositions();
        Arrays.sort(sorted);
        int[] expected = new int[46];
        for (int i = 0; i < expected.length; i++) expected[i] = i;
        assertArrayEquals(expected, sorted);
        // Windows and targets stay paired: the window starting at p starts with value p, its target is p.
        for (int i = 0; i < a.size(); i++) assertEquals(a.inputs().data()[i * 5], a.targets().data()[i]);
    }

    @Test
    void batchesKeepTheOrderAndALastSmallerBatch() {
        TimeseriesDataset ds = TimeseriesDataset.fromArray(range(12), range(12), 3).batchSize(4).build();
        List<Tensor[]> batches = ds.batches();
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {4, 3}, batches.get(0)[0].shape());
        assertArrayEquals(new int[] {2, 3}, batches.get(2)[0].shape());
        assertArrayEquals(new float[] {8, 9}, batches.get(2)[1].data());
    }

    @Test
    void tooShortDataGivesNoWindows() {
        TimeseriesDataset ds = TimeseriesDataset.fromArray(range(5), range(5), 8).build();
        assertEquals(0, ds.size());
        assertArrayEquals(new int[] {0, 8}, ds.inputs().shape());
    }

    @Test
    void argumentErrorsUseKerasWording() {
        assertEquals("`sampling_rate` must be higher than 0. Received: sampling_rate=0",
                assertThrows(IllegalArgumentException.class,
                        () -> TimeseriesDataset.fromArray(range(10), null, 3).samplingRate(0).build()).getMessage());
        assertEquals("`sequence_stride` must be lower than the length of the data. Received: sequence_stride=10, for data of length 10",
                assertThrows(IllegalArgumentException.class,
                        () -> TimeseriesDataset.fromArray(range(10), null, 3).sequenceStride(10).build()).getMessage());
        assertEquals("`start_index` must be lower than the length of the data. Received: start_index=12, for data of length 10",
                assertThrows(IllegalArgumentException.class,
                        () -> TimeseriesDataset.fromArray(range(10), null, 3).startIndex(12).build()).getMessage());
        assertEquals("`end_index` must be higher than `start_index`. Received: start_index=5, and end_index=4",
                assertThrows(IllegalArgumentException.class,
                        () -> TimeseriesDataset.fromArray(range(10), null, 3).startIndex(5).endIndex(4).build()).getMessage());
    }
}
