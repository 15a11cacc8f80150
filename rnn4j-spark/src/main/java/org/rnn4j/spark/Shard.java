package org.rnn4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.rnn4j.tensor.Tensor;
import scala.Tuple2;

/**
 * The samples of one partition packed into flat arrays, with their global row index (their position in the
 * data set before any shuffling), and, once an epoch's order is known, the local rows of each global step.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[] index;
    final float[] x, y;
    final int[] xShape, yShape;
    final int xSize, ySize;
    /** rowsByStep[s] = local rows in global step s of the current epoch (null before {@link #forEpoch}). */
    final int[][] rowsByStep;

    private Shard(long[] index, float[] x, float[] y, int[] xShape, int[] yShape, int[][] rowsByStep) {
        this.index = index;
        this.x = x;
        this.y = y;
        this.xShape = xShape;
        this.yShape = yShape;
        this.xSize = size(xShape);
        this.ySize = size(yShape);
        this.rowsByStep = rowsByStep;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Packs a partition of (sample, global index) pairs; every sample must have the same shapes. */
    static Iterator<Shard> pack(Iterator<Tuple2<Sample, Long>> it) {
        List<Tuple2<Sample, Long>> rows = new ArrayList<>();
        it.forEachRemaining(rows::add);
        if (rows.isEmpty()) return List.<Shard>of().iterator();
        Sample first = rows.get(0)._1();
        int xs = first.x.length, ys = first.y.length;
        long[] index = new long[rows.size()];
        float[] x = new float[rows.size() * xs], y = new float[rows.size() * ys];
        for (int i = 0; i < rows.size(); i++) {
            Sample s = rows.get(i)._1();
            if (!java.util.Arrays.equals(s.xShape, first.xShape) || !java.util.Arrays.equals(s.yShape, first.yShape)) {
                throw new IllegalArgumentException("Sample " + rows.get(i)._2() + " has shapes x" + java.util.Arrays.toString(s.xShape)
                        + " y" + java.util.Arrays.toString(s.yShape) + " but sample " + rows.get(0)._2() + " has x"
                        + java.util.Arrays.toString(first.xShape) + " y" + java.util.Arrays.toString(first.yShape)
                        + ": all samples must have the same shapes");
            }
            index[i] = rows.get(i)._2();
            System.arraycopy(s.x, 0, x, i * xs, xs);
            System.arraycopy(s.y, 0, y, i * ys, ys);
        }
        return List.of(new Shard(index, x, y, first.xShape, first.yShape, null)).iterator();
    }

    /**
     * The same shard with its rows grouped by global step: position p of the epoch's order belongs to step
     * p / batchSize, and {@code positions[globalIndex]} is the position of a sample.
     */
    Shard forEpoch(int[] positions, int batchSize, int steps) {
        int[] counts = new int[steps];
        for (long g : index) counts[positions[(int) g] / batchSize]++;
        int[][] byStep = new int[steps][];
        for (int s = 0; s < steps; s++) byStep[s] = new int[counts[s]];
        int[] fill = new int[steps];
        // Keep rows in epoch order within a step, as single-machine training does.
        Integer[] order = new Integer[index.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(positions[(int) index[a]], positions[(int) index[b]]));
        for (int r : order) {
            int s = positions[(int) index[r]] / batchSize;
            byStep[s][fill[s]++] = r;
        }
        return new Shard(index, x, y, xShape, yShape, byStep);
    }

    /** Inputs of the given local rows as a batch tensor. */
    Tensor xBatch(int[] rows) { return gather(x, xSize, xShape, rows); }

    Tensor yBatch(int[] rows) { return gather(y, ySize, yShape, rows); }

    private static Tensor gather(float[] src, int size, int[] shape, int[] rows) {
        float[] d = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) System.arraycopy(src, rows[i] * size, d, i * size, size);
        int[] s = new int[shape.length + 1];
        s[0] = rows.length;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return Tensor.of(d, s);
    }
}
