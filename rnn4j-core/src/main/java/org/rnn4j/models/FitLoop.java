package org.rnn4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ProgressBar;
import org.rnn4j.layers.Weight;
import org.rnn4j.metrics.Metric;
import org.rnn4j.tensor.Tensor;

/**
 * One {@code fit} call, as Keras's {@code Model.fit} runs it: the data split into training and validation parts, the
 * callback list (the user's callbacks, then {@code History}, then the progress bar), then epochs of shuffled batches,
 * each a {@link Model#step} that trains and publishes one update, with the running averages the callbacks see, and
 * the validation pass after each epoch. The model keeps the step itself and the concurrency contract.
 *
 * <p>Thread safety: confined to the thread that called {@code fit} (the model's trainer).
 */
final class FitLoop {
    private final Model model;
    private final FitOptions o;
    private final List<Callback> callbacks;
    private final History history;
    private final int n, steps;
    private final Tensor[] trainX, trainY, trainW, valX, valY, valW;

    /** Checks and splits the data and builds the callback list; nothing runs yet. Thread-confined. */
    FitLoop(Model model, Tensor[] x, Tensor[] y, FitOptions o) {
        this.model = model;
        this.o = o;
        if (o.shuffle && model.isStateful() && o.epochs > o.initialEpoch) {
            throw new IllegalArgumentException("fit: shuffle=true would mix the samples of a stateful model, whose sample i of "
                    + "each batch continues sample i of the previous batch. Pass shuffle(false).");
        }
        Tensor[] tx = x, ty = y, vx = o.validationX, vy = o.validationY;
        Tensor[] tw = model.perOutput(o.sampleWeight, y, "fit"), vw = o.validationSampleWeight;
        if (o.classWeight != null) {
            if (model.outputCount() != 1) throw new IllegalArgumentException("fit: `class_weight` is only supported for Models with a single output.");
            if (tw != null) throw new IllegalArgumentException("fit: you cannot use `class_weight` and `sample_weight` at the same time.");
        }
        int rows = x[0].rows();
        if (o.validationSplit > 0) {
            int split = (int) (rows * (1 - o.validationSplit));
            if (split <= 0 || split >= rows) {
                throw new IllegalArgumentException("fit: validation_split " + o.validationSplit + " of " + rows
                        + " samples leaves no training or no validation data");
            }
            tx = Model.sliceAll(x, 0, split);
            ty = Model.sliceAll(y, 0, split);
            vx = Model.sliceAll(x, split, rows);
            vy = Model.sliceAll(y, split, rows);
            if (tw != null) {
                vw = Model.sliceAll(tw, split, rows);
                tw = Model.sliceAll(tw, 0, split);
            }
            rows = split;
        }
        // Class weights apply to the training data only, as Keras maps them onto its training batches.
        if (o.classWeight != null) tw = new Tensor[] {SampleWeights.fromClassWeight(ty[0], o.classWeight)};
        if (vx != null) {
            model.checkData(vx, vy, "fit (validation data)");
            vw = model.perOutput(vw, vy, "fit (validation data)");
        }
        trainX = tx;
        trainY = ty;
        trainW = tw;
        valX = vx;
        valY = vy;
        valW = vw;
        n = rows;
        steps = (n + o.batchSize - 1) / o.batchSize;

        // Keras's CallbackList: the user's callbacks in order, then History (unless given), then the progress bar.
        callbacks = new ArrayList<>(o.callbacks);
        History h = null;
        for (Callback c : callbacks) if (c instanceof History) h = (History) c;
        if (h == null) {
            h = new History();
            callbacks.add(h);
        }
        history = h;
        if (o.verbose > 0) callbacks.add(new ProgressBar(o.out, o.verbose, o.epochs, steps));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("verbose", o.verbose);
        params.put("epochs", o.epochs);
        params.put("steps", steps);
        for (Callback c : callbacks) {
            c.setModel(model);
            c.setParams(params);
            c.setOutput(o.out);
        }
    }

    /** The callbacks of this fit, in the order they are called. Thread-confined. */
    List<Callback> callbacks() { return callbacks; }

    /** Runs the epochs; returns the history. Thread-confined: the model's trainer. */
    History run() {
        model.setStopTraining(false);
        for (Callback c : callbacks) c.onTrainBegin(new LinkedHashMap<>());
        // Collected once per fit, as Keras builds its train function once: a layer frozen by a callback mid-fit
        // takes effect at the next fit, as in Keras.
        List<Weight> trainable = model.trainableWeights();
        Map<String, Double> trainingLogs = new LinkedHashMap<>();
        for (int epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
            Map<String, Double> epochLogs = epoch(epoch, trainable);
            if (valX != null) {
                Map<String, Double> val = model.evaluateInternal(valX, valY, valW, o.batchSize, callbacks);
                for (Map.Entry<String, Double> e : val.entrySet()) epochLogs.put("val_" + e.getKey(), e.getValue());
            }
            for (Callback c : callbacks) c.onEpochEnd(epoch, epochLogs);
            trainingLogs = epochLogs;
            if (model.stopTrainingRequested()) break;
        }
        for (Callback c : callbacks) c.onTrainEnd(trainingLogs);
        return history;
    }

    /**
     * One epoch's batches; returns the epoch's running logs. Its own method, as is {@link #batch}, so the JIT
     * compiles the per-batch work as ordinary methods rather than only inside an on-stack replacement of the epoch
     * loop (which, for the notebook's one-batch epochs, was the only compiled form and ran 3x slower).
     */
    private Map<String, Double> epoch(int epoch, List<Weight> trainable) {
        for (List<Metric> ms : model.metrics()) for (Metric m : ms) m.reset();
        for (Callback c : callbacks) c.onEpochBegin(epoch, new LinkedHashMap<>());
        int[] order = order(n, o.shuffle);
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Double> running = new LinkedHashMap<>();
        for (int b = 0; b < steps; b++) {
            running = batch(epoch, b, order, sums, trainable);
            if (model.stopTrainingRequested()) break;
        }
        return new LinkedHashMap<>(running);
    }

    /** One training batch: hooks, the step, and the running averages the progress bar and callbacks see. */
    private Map<String, Double> batch(int epoch, int b, int[] order, Map<String, Double> sums, List<Weight> trainable) {
        int from = b * o.batchSize, to = Math.min(n, from + o.batchSize);
        int[] idx = java.util.Arrays.copyOfRange(order, from, to);
        for (Callback c : callbacks) c.onTrainBatchBegin(b, new LinkedHashMap<>());
        Map<String, Double> stepLogs = model.step(Model.gatherAll(trainX, idx), Model.gatherAll(trainY, idx),
                trainW == null ? null : Model.gatherAll(trainW, idx), true, false, epoch, b, trainable, model.metrics());
        // The batch's own metric values come from a separate tally; the running ones from the metrics.
        Map<String, Double> running = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : stepLogs.entrySet()) {
            if (Model.isLossKey(e.getKey())) {
                double s = sums.merge(e.getKey(), e.getValue() * idx.length, Double::sum);
                running.put(e.getKey(), s / to);
            }
        }
        model.putMetricResults(running, model.metrics());
        for (Callback c : callbacks) c.onTrainBatchEnd(b, running);
        return running;
    }

    /** The epoch's sample order: 0..n-1, shuffled from the global generator when asked (reproducible under a seed). */
    private static int[] order(int n, boolean shuffle) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (shuffle) {
            Rnn4j.draw(r -> {
                for (int i = n - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                }
                return idx;
            });
        }
        return idx;
    }
}
