package org.rnn4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.tensor.Tensor;

/**
 * Sliding windows over a time series: Keras's {@code timeseries_dataset_from_array}, with its arguments and its
 * rules. Sample {@code i} is the window of {@code sequenceLength} steps starting at {@code start + p_i}, taking
 * every {@code samplingRate}-th step; start positions {@code p_i} are {@code 0, stride, 2*stride, ...}; its target
 * is {@code targets[start + p_i]} (so {@code targets[j]} belongs to the window that <em>starts</em> at {@code j},
 * as in Keras). Windows that would run past {@code endIndex} (or past the end of {@code targets}) are dropped.
 *
 * <pre>{@code
 * // 12 months in, the next month out: the target of the window starting at i is series[i + 12].
 * Tensor series = Tensor.of(values, values.length, 1);                      // (time, features)
 * TimeseriesDataset ds = TimeseriesDataset.fromArray(series, TimeseriesDataset.targetsAhead(values, 12, 1), 12)
 *         .batchSize(32).shuffle(true).seed(42).build();
 * model.fit(ds.inputs(), ds.targets(), new FitOptions().shuffle(false));  // (n, 12, 1) and (n, 1)
 * }</pre>
 *
 * <p>Shapes follow Keras: inputs are {@code (n, sequenceLength) + data.shape[1:]}, targets
 * {@code (n,) + targets.shape[1:]}. Shuffling is reproducible for a seed, but the order is not TensorFlow's (Keras
 * shuffles with NumPy's generator and then again in a {@code tf.data} buffer).
 */
public final class TimeseriesDataset {
    private final Tensor inputs;
    private final Tensor targets;
    private final int[] startPositions;
    private final int batchSize;

    private TimeseriesDataset(Tensor inputs, Tensor targets, int[] startPositions, int batchSize) {
        this.inputs = inputs;
        this.targets = targets;
        this.startPositions = startPositions;
        this.batchSize = batchSize;
    }

    /**
     * Starts a dataset over {@code data} (axis 0 is time). {@code targets} may be null (inputs only); otherwise its
     * row {@code j} is the target of the window starting at {@code j}.
     */
    public static Builder fromArray(Tensor data, Tensor targets, int sequenceLength) {
        return new Builder(data, targets, sequenceLength);
    }

    /**
     * Targets for forecasting {@code horizon} steps after a window of {@code windowSpan} steps (the span is
     * {@code (sequenceLength - 1) * samplingRate + 1}): row {@code j} holds {@code series[j + windowSpan + k]} for
     * {@code k = 0 .. horizon-1}, i.e. the {@code horizon} values that follow the window starting at {@code j}.
     * Shape {@code (len - windowSpan - horizon + 1, horizon)}; pass it to {@link #fromArray} with the whole series.
     */
    public static Tensor targetsAhead(float[] series, int windowSpan, int horizon) {
        if (windowSpan <= 0) throw new IllegalArgumentException("windowSpan must be higher than 0. Received: windowSpan=" + windowSpan);
        if (horizon <= 0) throw new IllegalArgumentException("horizon must be higher than 0. Received: horizon=" + horizon);
        int rows = Math.max(0, series.length - windowSpan - horizon + 1);
        float[] d = new float[rows * horizon];
        for (int j = 0; j < rows; j++) System.arraycopy(series, j + windowSpan, d, j * horizon, horizon);
        return Tensor.of(d, rows, horizon);
    }

    /** Number of windows. */
    public int size() { return startPositions.length; }

    /** All windows in the order they are served (shuffled if asked). */
    public Tensor inputs() { return inputs; }

    /** Their targets, row for row (null when built without targets). */
    public Tensor targets() { return targets; }

    /** Each window's first step, relative to {@code startIndex}, in the order served. */
    public int[] startPositions() { return startPositions.clone(); }

    /** The windows (and targets) in batches of {@code batchSize}, the last one possibly smaller. */
    public List<Tensor[]> batches() {
        List<Tensor[]> out = new ArrayList<>();
        int n = size();
        int b = batchSize == 0 ? 1 : batchSize;
        for (int from = 0; from < n; from += b) {
            int to = Math.min(n, from + b);
            out.add(targets == null ? new Tensor[] {inputs.slice(from, to)}
                    : new Tensor[] {inputs.slice(from, to), targets.slice(from, to)});
        }
        return out;
    }

    /** The arguments of {@code timeseries_dataset_from_array}, with Keras's defaults. */
    public static final class Builder {
        private final Tensor data;
        private final Tensor targets;
        private final int sequenceLength;
        private int sequenceStride = 1;
        private int samplingRate = 1;
        private int batchSize = 128;
        private boolean shuffle;
        private Long seed;
        private Integer startIndex;
        private Integer endIndex;

        private Builder(Tensor data, Tensor targets, int sequenceLength) {
            if (data == null) throw new IllegalArgumentException("`data` is null");
            if (data.rank() == 0) throw new IllegalArgumentException("`data` must have a time axis (rank >= 1), got a scalar");
            this.data = data;
            this.targets = targets;
            this.sequenceLength = sequenceLength;
        }

        /** Period between successive windows' first steps (Keras's {@code sequence_stride}, default 1). */
        public Builder sequenceStride(int v) { sequenceStride = v; return this; }

        /** Period between the steps inside a window (Keras's {@code sampling_rate}, default 1). */
        public Builder samplingRate(int v) { samplingRate = v; return this; }

        /** Windows per batch (default 128); 0 for no batching (Keras's {@code batch_size=None}). */
        public Builder batchSize(int v) {
            if (v < 0) throw new IllegalArgumentException("`batch_size` must be positive (or 0 for None). Received: batch_size=" + v);
            batchSize = v;
            return this;
        }

        /** Serve the windows in a random order instead of chronologically (default false). */
        public Builder shuffle(boolean v) { shuffle = v; return this; }

        /** Seed for the shuffle; without one the order differs from run to run, as in Keras. */
        public Builder seed(long v) { seed = v; return this; }

        /** Data points before this index are not used (Keras's {@code start_index}). */
        public Builder startIndex(int v) { startIndex = v; return this; }

        /** Data points from this index on are not used (Keras's {@code end_index}, exclusive). */
        public Builder endIndex(int v) { endIndex = v; return this; }

        public TimeseriesDataset build() {
            int len = data.rows();
            // Keras's checks, with its wording; like Keras, a start or end index of 0 means "not given".
            if (sequenceLength <= 0) {
                throw new IllegalArgumentException("`sequence_length` must be higher than 0. Received: sequence_length=" + sequenceLength);
            }
            if (startIndex != null && startIndex != 0) {
                if (startIndex < 0) {
                    throw new IllegalArgumentException("`start_index` must be 0 or greater. Received: start_index=" + startIndex);
                }
                if (startIndex >= len) {
                    throw new IllegalArgumentException("`start_index` must be lower than the length of the data. Received: start_index="
                            + startIndex + ", for data of length " + len);
                }
            }
            if (endIndex != null && endIndex != 0) {
                if (startIndex != null && startIndex != 0 && endIndex <= startIndex) {
                    throw new IllegalArgumentException("`end_index` must be higher than `start_index`. Received: start_index="
                            + startIndex + ", and end_index=" + endIndex);
                }
                if (endIndex >= len) {
                    throw new IllegalArgumentException("`end_index` must be lower than the length of the data. Received: end_index="
                            + endIndex + ", for data of length " + len);
                }
                if (endIndex < 0) {
                    throw new IllegalArgumentException("`end_index` must be higher than 0. Received: end_index=" + endIndex);
                }
            }
            if (samplingRate <= 0) {
                throw new IllegalArgumentException("`sampling_rate` must be higher than 0. Received: sampling_rate=" + samplingRate);
            }
            if (samplingRate >= len) {
                throw new IllegalArgumentException("`sampling_rate` must be lower than the length of the data. Received: sampling_rate="
                        + samplingRate + ", for data of length " + len);
            }
            if (sequenceStride <= 0) {
                throw new IllegalArgumentException("`sequence_stride` must be higher than 0. Received: sequence_stride=" + sequenceStride);
            }
            if (sequenceStride >= len) {
                throw new IllegalArgumentException("`sequence_stride` must be lower than the length of the data. Received: sequence_stride="
                        + sequenceStride + ", for data of length " + len);
            }
            int start = startIndex == null ? 0 : startIndex;
            int end = endIndex == null || endIndex == 0 ? len : endIndex;

            // Windows that fit in [start, end), and no more than there are targets (targets are taken from start on).
            long numSeqs = (long) end - start - (long) (sequenceLength - 1) * samplingRate;
            if (targets != null) numSeqs = Math.min(numSeqs, targets.rows() - start);
            int count = numSeqs <= 0 ? 0 : (int) ((numSeqs + sequenceStride - 1) / sequenceStride);
            int[] positions = new int[count];
            for (int i = 0; i < count; i++) positions[i] = i * sequenceStride;
            if (shuffle) {
                SplittableRandom r = seed == null ? new SplittableRandom() : new SplittableRandom(seed);
                for (int i = count - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = positions[i];
                    positions[i] = positions[j];
                    positions[j] = t;
                }
            }

            int[] dataShape = data.shape();
            int step = data.rowSize();
            int[] inShape = new int[dataShape.length + 1];
            inShape[0] = count;
            inShape[1] = sequenceLength;
            System.arraycopy(dataShape, 1, inShape, 2, dataShape.length - 1);
            float[] in = new float[count * sequenceLength * step];
            float[] src = data.data();
            for (int i = 0; i < count; i++) {
                for (int t = 0; t < sequenceLength; t++) {
                    int row = start + positions[i] + t * samplingRate;
                    System.arraycopy(src, row * step, in, (i * sequenceLength + t) * step, step);
                }
            }
            Tensor y = null;
            if (targets != null) {
                int[] rowIdx = new int[count];
                for (int i = 0; i < count; i++) rowIdx[i] = start + positions[i];
                y = count == 0 ? Tensor.zeros(withRows(targets.shape(), 0)) : targets.gather(rowIdx);
            }
            return new TimeseriesDataset(Tensor.of(in, inShape), y, positions, batchSize);
        }

        private static int[] withRows(int[] shape, int rows) {
            int[] s = Arrays.copyOf(shape, shape.length);
            s[0] = rows;
            return s;
        }
    }
}
