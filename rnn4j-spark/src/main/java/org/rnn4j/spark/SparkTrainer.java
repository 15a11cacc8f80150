package org.rnn4j.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ProgressBar;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * Trains an rnn4j model on a Spark RDD of {@link Sample}s.
 *
 * <p>Default mode, synchronous data-parallel SGD: for each global batch the driver broadcasts the weights, every
 * partition computes the summed gradient of its rows of that batch, the sums are combined with
 * {@code treeAggregate}, and the driver divides by the batch size and applies one optimizer step. The update is the
 * one single-machine {@code fit} makes on the same global batch (up to float summation order), so Adam, clipping and
 * schedules behave exactly as on one machine. A failed task is simply recomputed by Spark: a gradient is a pure
 * function of the broadcast weights and the partition's rows.
 *
 * <p>{@link Mode#PARAMETER_AVERAGING}: each partition runs {@code k} local optimizer steps on its own rows of the next
 * {@code k} global batches, then the driver averages the weights (weighted by rows). It communicates k times less,
 * but it is not equivalent to single-machine training: local batches are smaller and optimizer state stays local,
 * so convergence per epoch is usually worse. Use it only when communication dominates the step time.
 *
 * <pre>{@code
 * SparkTrainer trainer = new SparkTrainer(sc, factory).epochs(10).batchSize(256);
 * History h = trainer.fit(samples);           // JavaRDD<Sample>
 * Model trained = trainer.model();
 * }</pre>
 */
public final class SparkTrainer {
    /** How partitions contribute to an update. */
    public enum Mode { SYNCHRONOUS_GRADIENTS, PARAMETER_AVERAGING }

    private final JavaSparkContext sc;
    private final ModelFactory factory;
    private final Model model;
    private final String runId = java.util.UUID.randomUUID().toString();
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = false;
    private long seed = 0;
    private int verbose = 0;
    private int treeDepth = 2;
    private Mode mode = Mode.SYNCHRONOUS_GRADIENTS;
    private int averagingFrequency = 1;
    private Tensor[] validationX, validationY;
    private final List<Callback> callbacks = new ArrayList<>();
    private PrintStream out = System.out;
    private TaskHook taskHook;
    private long lastStepBytes;
    private long stepsRun, stepWallNanos, stepComputeNanos, stepMaxComputeNanos;

    /** A hook run at the start of every task (tests use it to make a task fail on its first attempt). */
    @FunctionalInterface
    public interface TaskHook extends java.io.Serializable {
        void beforeTask(int epoch, int step, int partition);
    }

    public SparkTrainer(JavaSparkContext sc, ModelFactory factory) {
        this.sc = Objects.requireNonNull(sc, "spark context");
        this.factory = Objects.requireNonNull(factory, "model factory");
        this.model = factory.create();
        if (!model.isCompiled()) {
            throw new IllegalArgumentException("SparkTrainer: the model factory must return a compiled model (call compile)");
        }
    }

    /** The driver's model: its weights are the trained ones after {@link #fit}. */
    public Model model() { return model; }

    public SparkTrainer epochs(int v) { if (v < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + v); epochs = v; return this; }

    /** The global batch size: rows per optimizer step, across all partitions. */
    public SparkTrainer batchSize(int v) { if (v <= 0) throw new IllegalArgumentException("batch_size must be positive, got " + v); batchSize = v; return this; }

    /** Shuffle the global order each epoch with a seeded permutation (off by default). */
    public SparkTrainer shuffle(boolean v, long seed) { shuffle = v; this.seed = seed; return this; }

    public SparkTrainer verbose(int v) { verbose = v; return this; }

    public SparkTrainer output(PrintStream o) { out = o; return this; }

    public SparkTrainer treeDepth(int v) { if (v < 1) throw new IllegalArgumentException("tree depth must be >= 1, got " + v); treeDepth = v; return this; }

    /** Parameter averaging every {@code localSteps} global batches instead of synchronous gradients. */
    public SparkTrainer parameterAveraging(int localSteps) {
        if (localSteps < 1) throw new IllegalArgumentException("averaging frequency must be >= 1, got " + localSteps);
        mode = Mode.PARAMETER_AVERAGING;
        averagingFrequency = localSteps;
        return this;
    }

    public SparkTrainer validationData(Tensor x, Tensor y) { validationX = new Tensor[] {x}; validationY = new Tensor[] {y}; return this; }

    public SparkTrainer callbacks(Callback... cbs) { callbacks.addAll(List.of(cbs)); return this; }

    public SparkTrainer taskHook(TaskHook hook) { taskHook = hook; return this; }

    /** Bytes moved for the last update: the broadcast weights plus every partition's contribution. */
    public long lastStepBytes() { return lastStepBytes; }

    /**
     * Timing of the synchronous steps of the last {@link #fit}: {wall seconds per step, summed task compute seconds per
     * step, slowest task's compute seconds per step}. The difference between wall and slowest compute is the
     * per-step overhead of distribution (scheduling, serialisation, broadcast, aggregation).
     */
    public double[] stepTimings() {
        long n = Math.max(1, stepsRun);
        return new double[] {stepWallNanos / 1e9 / n, stepComputeNanos / 1e9 / n, stepMaxComputeNanos / 1e9 / n};
    }

    /** Trains on the samples; their order in the RDD is the epoch order when shuffling is off. */
    public History fit(JavaRDD<Sample> samples) {
        JavaRDD<Shard> shards = samples.zipWithIndex().mapPartitions(Shard::pack).persist(StorageLevel.MEMORY_AND_DISK());
        long n = samples.count();
        if (n == 0) throw new IllegalArgumentException("SparkTrainer.fit: the data set is empty");
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("SparkTrainer.fit: more than 2^31 samples are not supported");
        int steps = (int) ((n + batchSize - 1) / batchSize);
        int partitions = shards.getNumPartitions();

        History history = new History();
        List<Callback> cbs = new ArrayList<>();
        cbs.add(history);
        if (verbose > 0) cbs.add(new ProgressBar(out, verbose, epochs, steps));
        cbs.addAll(callbacks);
        for (Callback c : cbs) {
            c.setModel(model);
            c.setOutput(out);
        }
        for (Callback c : cbs) c.onTrainBegin(new LinkedHashMap<>());
        Map<String, Double> logs = new LinkedHashMap<>();
        stepsRun = stepWallNanos = stepComputeNanos = stepMaxComputeNanos = 0;
        try {
            model.setStopTraining(false);
            for (int epoch = 0; epoch < epochs && !model.stopTrainingRequested(); epoch++) {
                for (Callback c : cbs) c.onEpochBegin(epoch, new LinkedHashMap<>());
                Broadcast<int[]> positions = sc.broadcast(positions((int) n, epoch));
                final int e = epoch, bs = batchSize, st = steps;
                JavaRDD<Shard> epochShards = shards.map(s -> s.forEpoch(positions.value(), bs, st))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                double lossSum = 0;
                long seen = 0;
                int span = mode == Mode.PARAMETER_AVERAGING ? averagingFrequency : 1;
                for (int step = 0; step < steps; step += span) {
                    for (Callback c : cbs) c.onTrainBatchBegin(step, new LinkedHashMap<>());
                    Contribution total = mode == Mode.PARAMETER_AVERAGING
                            ? averagingRound(epochShards, e, step, Math.min(steps, step + span))
                            : gradientStep(epochShards, e, step);
                    lossSum += total.lossSum;
                    seen += total.count;
                    logs = new LinkedHashMap<>();
                    logs.put("loss", lossSum / seen);
                    for (Callback c : cbs) c.onTrainBatchEnd(Math.min(steps, step + span) - 1, logs);
                }
                epochShards.unpersist(false);
                positions.destroy();
                if (validationX != null) {
                    for (Map.Entry<String, Double> v : model.evaluate(validationX, validationY, batchSize, 0).entrySet()) {
                        logs.put("val_" + v.getKey(), v.getValue());
                    }
                }
                for (Callback c : cbs) c.onEpochEnd(epoch, logs);
            }
        } finally {
            shards.unpersist(false);
            ReplicaPool.release(runId);
        }
        for (Callback c : cbs) c.onTrainEnd(logs);
        return history;
    }

    private int[] positions(int n, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int[] pos = new int[n];
        for (int p = 0; p < n; p++) pos[order[p]] = p;
        return pos;
    }

    private float[][] weightValues() {
        List<Weight> ws = model.weights();
        float[][] v = new float[ws.size()][];
        for (int i = 0; i < v.length; i++) v[i] = ws.get(i).value().data().clone();
        return v;
    }

    /** One synchronous step: summed gradients of the step's rows, then one optimizer update on the driver. */
    private Contribution gradientStep(JavaRDD<Shard> shards, int epoch, int step) {
        long wallStart = System.nanoTime();
        float[][] values = weightValues();
        Broadcast<float[][]> weights = sc.broadcast(values);
        long version = ((long) epoch << 32) | step;
        ModelFactory f = factory;
        String run = runId;
        TaskHook hook = taskHook;
        Contribution total = shards.map(shard -> {
            if (hook != null) hook.beforeTask(epoch, step, org.apache.spark.TaskContext.getPartitionId());
            return ReplicaPool.gradients(run, f, weights.value(), version, shard, step);
        }).treeAggregate(Contribution.zero(), Contribution::add, Contribution::add, treeDepth);
        weights.destroy();
        if (total.count == 0) return total;
        List<Weight> trainable = model.trainableWeights();
        for (int i = 0; i < trainable.size(); i++) {
            float[] g = trainable.get(i).grad().data();
            double[] s = total.sums[i];
            for (int j = 0; j < g.length; j++) g[j] = (float) (s[j] / total.count);
        }
        model.applyGradients();
        stepsRun++;
        stepWallNanos += System.nanoTime() - wallStart;
        stepComputeNanos += total.computeNanos;
        stepMaxComputeNanos += total.maxComputeNanos;
        lastStepBytes = bytes(values) * shards.getNumPartitions() + total.payloadBytes() * shards.getNumPartitions();
        return total;
    }

    /** One averaging round: local training on each partition's rows of steps [from, to), then a weighted mean. */
    private Contribution averagingRound(JavaRDD<Shard> shards, int epoch, int from, int to) {
        float[][] values = weightValues();
        Broadcast<float[][]> weights = sc.broadcast(values);
        ModelFactory f = factory;
        String run = runId;
        TaskHook hook = taskHook;
        Contribution total = shards.map(shard -> {
            if (hook != null) hook.beforeTask(epoch, from, org.apache.spark.TaskContext.getPartitionId());
            return ReplicaPool.localTraining(run, f, weights.value(), shard, from, to);
        }).treeAggregate(Contribution.zero(), Contribution::add, Contribution::add, treeDepth);
        weights.destroy();
        if (total.count == 0) return total;
        List<Weight> ws = model.weights();
        for (int i = 0; i < ws.size(); i++) {
            float[] w = ws.get(i).value().data();
            double[] s = total.sums[i];
            for (int j = 0; j < w.length; j++) w[j] = (float) (s[j] / total.count);
            ws.get(i).markChanged();
        }
        lastStepBytes = bytes(values) * shards.getNumPartitions() + total.payloadBytes() * shards.getNumPartitions();
        // Loss per row, counted once per round's rows.
        return total;
    }

    private static long bytes(float[][] v) {
        long n = 0;
        for (float[] a : v) n += 4L * a.length;
        return n;
    }
}
