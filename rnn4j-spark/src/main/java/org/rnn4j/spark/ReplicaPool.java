package org.rnn4j.spark;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Model replicas on an executor, one per concurrently running task, reused across steps of a training run so the
 * factory runs once per task slot rather than once per step. A replica is taken for the duration of one task.
 */
final class ReplicaPool {
    private static final Map<String, Queue<Replica>> POOLS = new ConcurrentHashMap<>();

    private ReplicaPool() {}

    private static final class Replica {
        final Model model;
        long version = -1;

        Replica(Model model) { this.model = model; }
    }

    private static Replica take(String run, ModelFactory factory) {
        Replica r = POOLS.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).poll();
        return r != null ? r : new Replica(factory.create());
    }

    private static void give(String run, Replica r) {
        POOLS.computeIfAbsent(run, k -> new ConcurrentLinkedQueue<>()).add(r);
    }

    static void release(String run) { POOLS.remove(run); }

    private static void load(Replica r, float[][] values, long version) {
        if (r.version == version) return;
        List<Weight> ws = r.model.weights();
        if (ws.size() != values.length) {
            throw new IllegalStateException("Replica has " + ws.size() + " weights but the driver sent " + values.length
                    + ": the model factory must build the same architecture every time");
        }
        for (int i = 0; i < values.length; i++) {
            System.arraycopy(values[i], 0, ws.get(i).value().data(), 0, values[i].length);
            ws.get(i).markChanged();
        }
        r.version = version;
    }

    /** Summed per-row gradients of this shard's rows in the step (mean gradient times row count). */
    static Contribution gradients(String run, ModelFactory factory, float[][] values, long version, Shard shard, int step) {
        Contribution c = Contribution.zero();
        int[] rows = shard.rowsByStep[step];
        if (rows.length == 0) return c;
        long start = System.nanoTime();
        Replica r = take(run, factory);
        try {
            load(r, values, version);
            Tensor x = shard.xBatch(rows), y = shard.yBatch(rows);
            double loss = r.model.computeGradients(new Tensor[] {x}, new Tensor[] {y}, true);
            List<Weight> ws = r.model.trainableWeights();
            c.sums = new double[ws.size()][];
            for (int i = 0; i < ws.size(); i++) {
                float[] g = ws.get(i).grad().data();
                double[] s = new double[g.length];
                for (int j = 0; j < g.length; j++) s[j] = (double) g[j] * rows.length;
                c.sums[i] = s;
            }
            c.lossSum = loss * rows.length;
            c.count = rows.length;
            c.computeNanos = c.maxComputeNanos = System.nanoTime() - start;
            return c;
        } finally {
            give(run, r);
        }
    }

    /** Local optimizer steps on this shard's rows of steps [from, to); returns weights times rows. */
    static Contribution localTraining(String run, ModelFactory factory, float[][] values, Shard shard, int from, int to) {
        Contribution c = Contribution.zero();
        Replica r = take(run, factory);
        try {
            load(r, values, -2);
            r.version = -1; // local training changes the weights
            long rowsSeen = 0;
            for (int s = from; s < to; s++) {
                int[] rows = shard.rowsByStep[s];
                if (rows.length == 0) continue;
                double loss = r.model.trainOnBatch(shard.xBatch(rows), shard.yBatch(rows)).get("loss");
                c.lossSum += loss * rows.length;
                rowsSeen += rows.length;
            }
            if (rowsSeen == 0) return c;
            List<Weight> ws = r.model.weights();
            c.sums = new double[ws.size()][];
            for (int i = 0; i < ws.size(); i++) {
                float[] w = ws.get(i).value().data();
                double[] s = new double[w.length];
                for (int j = 0; j < w.length; j++) s[j] = (double) w[j] * rowsSeen;
                c.sums[i] = s;
            }
            c.count = rowsSeen;
            return c;
        } finally {
            give(run, r);
        }
    }
}
