package org.rnn4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.History;
import org.rnn4j.callbacks.ProgressBar;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.losses.Loss;
import org.rnn4j.metrics.Metric;
import org.rnn4j.optimizers.Optimizer;
import org.rnn4j.tensor.Tensor;

/**
 * What every model shares with Keras's {@code Model}: {@code compile}, {@code fit}, {@code evaluate},
 * {@code predict}, the {@code *_on_batch} methods, weights and summary. Subclasses define the graph:
 * {@link Sequential} a stack of layers, {@link Functional} a graph of layers called on symbolic tensors.
 *
 * <pre>{@code
 * Input x = new Input(4, 2);                        // keras.Input(shape=(4, 2))
 * KerasTensor y = new Dense(1).apply(new LSTM(3).apply(x));
 * Model model = Model.of(x, y);                      // keras.Model(inputs=x, outputs=y)
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * One model may be shared by any number of threads for inference: {@code predict}, {@code predictOnBatch},
 * {@code evaluate}, {@code testOnBatch}, {@code newState}/{@code step} (each call on its own states) and
 * {@code getWeights} may run at the same time, and each returns exactly, bit for bit, what the same call returns
 * when made alone. This is by design rather than by a lock around the model: layers keep no per-call state, each
 * call takes working arrays of its own from a per-layer pool (and gives them back, so steady calls allocate none),
 * and evaluation tallies its metrics per call. Stateful recurrent layers are the exception that the semantics
 * demand: their calls are serialised, each starting from the states the previous one left.
 *
 * <p>Training and inference: {@code fit}, {@code trainOnBatch}, {@code computeGradients} and
 * {@code applyGradients} run on one thread at a time; a second thread's call is refused with an
 * {@link IllegalStateException} naming the training thread. While one thread trains, others may keep predicting:
 * the model publishes its weights, so a prediction sees the weights of one complete optimizer step, never a mix of
 * two (inference holds a read stamp of a {@link java.util.concurrent.locks.StampedLock} for one batch; an update,
 * {@code setWeights} and {@code loadWeights} hold the write stamp, briefly).
 *
 * <p>Configuration ({@code compile}, adding layers, renaming, layer options, {@code attachments()}) is not
 * thread-safe: configure the model before sharing it.
 */
public abstract class Model {
    protected String name;
    private Loss[] losses;
    private double[] lossWeights;
    private Optimizer optimizer;
    private List<String> metricNames = List.of();
    /** The training metrics ({@code fit}, {@code trainOnBatch}); evaluation makes fresh ones per call. */
    private List<List<Metric>> metrics;
    private volatile boolean stopTraining;
    private volatile Map<String, Double> lastStepLogs = Map.of();
    /** Published weights, the one trainer, whole stateful calls: the concurrency contract (ModelGuard). */
    private final ModelGuard guard = new ModelGuard();
    private final Map<String, Object> attachments = new LinkedHashMap<>();

    protected Model(String namePrefix) {
        this.name = Rnn4j.uniqueName(namePrefix);
    }

    /** Thread-safe: reads the name (set it before sharing). */
    public String name() { return name; }

    /**
     * Renames the model (a loaded model keeps the name in its config).
     * Not thread-safe: configuration; rename before sharing the model.
     */
    public void setName(String newName) {
        if (newName == null || newName.isBlank()) throw new IllegalArgumentException("A model name must not be empty");
        this.name = newName;
    }

    /**
     * Keras's {@code Model(inputs, outputs)}: a {@link Functional} model from an input and an output tensor.
     * Thread-safe: makes a new model; configure it on one thread.
     */
    public static Functional of(org.rnn4j.layers.KerasTensor input, org.rnn4j.layers.KerasTensor output) {
        return new Functional(input, output);
    }

    /**
     * Keras's {@code Model(inputs=[...], outputs=[...])}: several inputs and outputs, in this order.
     * Thread-safe: makes a new model; configure it on one thread.
     */
    public static Functional of(List<? extends org.rnn4j.layers.KerasTensor> inputs,
                                List<? extends org.rnn4j.layers.KerasTensor> outputs) {
        return new Functional(inputs, outputs);
    }

    /**
     * Extra JSON-compatible values saved and loaded with the model (strings, numbers, booleans, lists and maps of
     * them): the data scaling a CLI-trained model depends on, say. Mutable.
     * Not thread-safe: a mutable map; fill it before sharing the model.
     */
    public Map<String, Object> attachments() { return attachments; }

    // ---------------------------------------------------------------- saving (formats in org.rnn4j.io)

    /**
     * Saves the whole model ({@code .keras}; {@code .json} for TensorFlow.js); see {@link Models#save}.
     * Thread-safe: writes one published weight version; concurrent saves to one path: the last wins.
     */
    public void save(java.nio.file.Path path) { guard.reading(() -> Models.save(this, path)); }

    /**
     * Saves the weights only, as Keras 3's {@code save_weights("x.weights.h5")}.
     * Thread-safe: writes one published weight version, never half of a training step on another thread.
     */
    public void saveWeights(java.nio.file.Path path) { guard.reading(() -> org.rnn4j.io.KerasArchive.saveWeights(this, path)); }

    /**
     * Loads weights into this built model from a {@code .weights.h5}, a {@code .keras} or a Keras 2 {@code .h5}.
     * Thread-safe: published atomically; concurrent inference sees the old or the new weights, never a mix.
     */
    public void loadWeights(java.nio.file.Path path) { guard.publishing(() -> org.rnn4j.io.KerasArchive.loadWeights(this, path)); }

    // ---------------------------------------------------------------- the graph, defined by subclasses

    /**
     * The layers in order (Keras's {@code model.layers}).
     * Thread-safe: the list is fixed once the model is configured and built.
     */
    public abstract List<Layer> layers();

    /** Number of model inputs and outputs. Thread-safe: fixed by the configuration. */
    public abstract int inputCount();

    /** Thread-safe: fixed by the configuration. */
    public abstract int outputCount();

    /** Builds the model for these inputs if it is not built yet (Keras's deferred build). */
    protected abstract void ensureBuilt(Tensor[] inputs);

    /** Thread-safe: a volatile read; true once a build finished. */
    public abstract boolean isBuilt();

    /** Runs the whole model forward; the pass's backward adds every weight's gradient. */
    protected abstract Pass forwardModel(Tensor[] inputs, boolean training);

    /** Output shapes, batch axis {@code NONE} unless fixed (model must be built). Thread-safe: fixed once built. */
    public abstract List<int[]> outputShapes();

    /**
     * Keras's {@code model.summary()} text (Keras 2 layout).
     * Thread-safe: reads configuration and weight shapes fixed before sharing.
     */
    public abstract String summary();

    /**
     * Prints {@link #summary()} to standard output.
     * Thread-safe: prints one whole summary (lines of concurrent prints may interleave).
     */
    public void printSummary() { printSummary(System.out); }

    /** Writes {@link #summary()} to {@code out} (Keras's {@code print_fn}). Thread-safe as {@link #summary()}. */
    public void printSummary(PrintStream out) { out.println(summary()); }

    // ---------------------------------------------------------------- weights

    /**
     * Every weight once, in layer order then Keras order within a layer.
     * Thread-safe once built: the weight list is fixed (values are published under the model's lock).
     */
    public List<Weight> weights() {
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Weight> out = new ArrayList<>();
        for (Layer l : layers()) for (Weight w : l.weights()) if (seen.add(w)) out.add(w);
        return out;
    }

    /** Thread-safe once built and configured: filters the fixed weight list. */
    public List<Weight> trainableWeights() {
        Set<Weight> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Weight> out = new ArrayList<>();
        for (Layer l : layers()) for (Weight w : l.trainableWeights()) if (seen.add(w)) out.add(w);
        return out;
    }

    /**
     * Copies of all weight values in Keras order ({@code get_weights()}).
     * Thread-safe: the copies are one published weight version, never half of an update.
     */
    public List<Tensor> getWeights() {
        List<Weight> ws = weights();
        List<Tensor> out = new ArrayList<>();
        guard.reading(() -> {
            for (Weight w : ws) out.add(w.value().copy());
        });
        return out;
    }

    /**
     * Sets all weight values in Keras order ({@code set_weights()}).
     * Thread-safe: published atomically; concurrent inference sees the old or the new weights, never a mix.
     */
    public void setWeights(List<Tensor> values) {
        List<Weight> ws = weights();
        if (values.size() != ws.size()) {
            throw new IllegalArgumentException("Model \"" + name + "\" has " + ws.size() + " weights but got " + values.size()
                    + (isBuilt() ? "" : " (the model is not built yet: give the first layer an input shape)"));
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) throw new IllegalArgumentException("setWeights: value " + i + " is null");
        }
        guard.publishing(() -> {
            for (int i = 0; i < ws.size(); i++) ws.get(i).assign(values.get(i), name);
        });
    }

    /** Thread-safe: the weight shapes are fixed once built. */
    public int countParams() {
        int n = 0;
        for (Weight w : weights()) n += w.size();
        return n;
    }

    /**
     * Clears the states of every stateful layer.
     * Thread-safe: waits for a running inference call of the model, then resets every layer before the next starts.
     */
    public void resetStates() {
        synchronized (guard.statefulCalls) {
            for (Layer l : layers()) l.resetStates();
        }
    }

    /**
     * Clears the states of the chosen samples (batch positions) in every stateful layer; the other samples
     * continue. {@code model.resetStates(0, 5)}.
     * Thread-safe: waits for a running inference call of the model, then resets every layer before the next starts.
     */
    public void resetStates(int... sampleIndices) {
        synchronized (guard.statefulCalls) {
            for (Layer l : layers()) {
                if (l instanceof org.rnn4j.layers.recurrent.RNN<?> r && r.stateful()) r.resetStates(sampleIndices);
            }
        }
    }

    // ---------------------------------------------------------------- int8 quantization

    /**
     * Keras 3's {@code model.quantize("int8")}: replaces the kernels of every Dense, Embedding, LSTM, GRU, SimpleRNN
     * and Conv1D layer (also inside TimeDistributed and Bidirectional) by int8 weights with per-output-channel
     * scales ({@code kernel_scale}, ...), a quarter of the weight bytes; {@code predict}, {@code evaluate} and
     * {@code step} then run the int8 kernels. Dense and Embedding follow Keras's scheme exactly (Dense also quantizes
     * its input rows per call, as Keras's int8 Dense does); the recurrent layers and Conv1D keep float activations.
     * The accuracy against float32 is stated in the README ("Quantized inference"). The model runs inference only
     * afterwards: training it is refused. {@code save} keeps it quantized (Keras's variable names and dtype policy).
     *
     * <pre>{@code
     * model.quantize("int8");
     * Tensor y = model.predict(x);      // within the stated bound of the float model's output
     * }</pre>
     * Thread-safe: holds the model's write stamp, so concurrent inference sees the float or the int8 model, never a
     * mix; not while the model trains (refused).
     * @throws IllegalArgumentException for a mode other than {@code "int8"}, or a layer with weights rnn4j cannot
     *         quantize (nothing is changed then)
     * @throws IllegalStateException when the model is not built, already quantized, or training
     */
    public void quantize(String mode) {
        Thread t = guard.trainer();
        if (t != null) {
            throw new IllegalStateException("quantize: model \"" + name + "\" is training on thread \"" + t.getName()
                    + "\"; quantize it after training");
        }
        guard.publishing(() -> Quantizer.quantize(this, mode));
        streamingPlan = null;
    }

    /**
     * Keras's {@code model.quantization_mode}-like: {@code "int8"} when any layer holds int8 weights, else null.
     * Thread-safe: reads the layers' weight lists.
     */
    public String quantizationMode() { return Quantizer.isQuantized(this) ? org.rnn4j.layers.Layer.INT8 : null; }

    // ---------------------------------------------------------------- streaming (one timestep per call)

    private volatile StreamingPlan streamingPlan;

    private StreamingPlan streamingPlan() {
        StreamingPlan p = streamingPlan;
        if (p == null || !p.matches(layers())) {
            p = StreamingPlan.of(this);
            streamingPlan = p;
        }
        return p;
    }

    /**
     * A new stream's state (all zeros) for {@link #step}: each stream keeps its own state, independent of batch
     * positions, so one model serves any number of streams, from any number of threads.
     *
     * <pre>{@code
     * RecurrentState s = model.newState();
     * float[] y = model.step(s, new float[] {0.5f});   // one timestep of one stream
     * }</pre>
     * Thread-safe: each call returns a new, independent state.
     */
    public RecurrentState newState() { return streamingPlan().newState(); }

    /**
     * Advances one stream by one timestep ({@code x}: that timestep's features) in inference mode and returns the
     * model's output for it. Stepping a sequence through equals running it whole. Thread-safe across states.
     */
    public float[] step(RecurrentState state, float[] x) {
        StreamingPlan plan = streamingPlan();
        List<RecurrentState> one = java.util.List.of(requireState(state));
        float[][] out = new float[1][];
        guard.reading(() -> out[0] = plan.step(one, new float[][] {x})[0]);
        return out[0];
    }

    /**
     * Advances many streams by one timestep in one batched call ({@code xs[i]} is stream i's input).
     * Thread-safe across states: distinct states are independent; never step one state from two threads at once.
     */
    public float[][] step(List<RecurrentState> states, float[][] xs) {
        if (states == null) throw new IllegalArgumentException("step: the list of states is null");
        StreamingPlan plan = streamingPlan();
        float[][][] out = new float[1][][];
        guard.reading(() -> out[0] = plan.step(states, xs));
        return out[0];
    }

    /**
     * A state saved by {@link RecurrentState#toBytes()}; refused unless it was saved by this model (same architecture and weights).
     * Thread-safe: each call returns a new, independent state.
     */
    public RecurrentState restoreState(byte[] bytes) { return streamingPlan().restore(bytes); }

    private static RecurrentState requireState(RecurrentState s) {
        if (s == null) throw new IllegalArgumentException("step: state is null; make one with model.newState()");
        return s;
    }

    // ---------------------------------------------------------------- compile

    /**
     * {@code compile(loss="mse", optimizer="adam", metrics=[...])} with Keras's names.
     * Not thread-safe: configuration; compile before sharing the model.
     */
    public void compile(String loss, String optimizer, String... metrics) {
        compile(Loss.get(loss), Optimizer.get(optimizer), metrics);
    }

    /** Not thread-safe: configuration; compile before sharing the model. */
    public void compile(Loss loss, Optimizer optimizer, String... metrics) {
        compile(new Loss[] {loss}, null, optimizer, metrics);
    }

    /**
     * One loss per output (or one for all), with optional per-output weights ({@code loss_weights}).
     * Not thread-safe: configuration; compile before sharing the model.
     */
    public void compile(Loss[] losses, double[] lossWeights, Optimizer optimizer, String... metrics) {
        if (optimizer == null) throw new IllegalArgumentException("compile: optimizer is null");
        if (losses == null || losses.length == 0) throw new IllegalArgumentException("compile: no loss given");
        for (Loss l : losses) if (l == null) throw new IllegalArgumentException("compile: a loss is null");
        int outs = outputCount();
        if (losses.length != 1 && losses.length != outs) {
            throw new IllegalArgumentException("compile: the model has " + outs + " outputs but got " + losses.length + " losses");
        }
        if (lossWeights != null && lossWeights.length != outs) {
            throw new IllegalArgumentException("compile: loss_weights has " + lossWeights.length + " values for " + outs + " outputs");
        }
        for (String m : metrics) Metric.check(m);
        Loss[] perOutput = new Loss[outs];
        for (int i = 0; i < outs; i++) perOutput[i] = losses.length == 1 ? losses[0] : losses[i];
        this.losses = perOutput;
        this.lossWeights = lossWeights == null ? filled(outs, 1.0) : lossWeights.clone();
        this.optimizer = optimizer;
        this.metricNames = List.of(metrics);
        this.metrics = null;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Thread-safe once compiled before sharing. */
    public boolean isCompiled() { return optimizer != null; }

    /** Thread-safe once compiled before sharing. */
    public Optimizer optimizer() { return optimizer; }

    /** Thread-safe once compiled before sharing. */
    public Loss loss() { return losses == null ? null : losses[0]; }

    /** Thread-safe once compiled before sharing. */
    public List<String> metricNames() { return metricNames; }

    private void requireCompiled(String what) {
        if (!isCompiled()) {
            throw new IllegalStateException("You must call compile() before " + what + "(): e.g. model.compile(\"mse\", \"adam\")");
        }
    }

    /**
     * Asks a running {@code fit} to stop after the current epoch (Keras's {@code model.stop_training = True}).
     * Thread-safe: may be called from any thread (a volatile flag the training loop reads).
     */
    public void stopTraining() { stopTraining = true; }

    /** True once {@link #stopTraining()} was called during the current training run. Thread-safe: a volatile read. */
    public boolean stopTrainingRequested() { return stopTraining; }

    /**
     * Sets or clears the stop request (Keras's {@code model.stop_training = ...}); training loops clear it at start.
     * Thread-safe: a volatile write (training loops clear it at start).
     */
    public void setStopTraining(boolean stop) { stopTraining = stop; }

    // ---------------------------------------------------------------- one batch

    /** The training metrics, made on first use; only the training thread touches them. */
    List<List<Metric>> metrics() {
        if (metrics == null) metrics = newMetrics();
        return metrics;
    }

    /** A fresh set of the compiled metrics, one list per output: each evaluation call tallies its own. */
    private List<List<Metric>> newMetrics() {
        List<int[]> shapes = outputShapes();
        List<List<Metric>> out = new ArrayList<>();
        for (int o = 0; o < outputCount(); o++) {
            List<Metric> ms = new ArrayList<>();
            int[] s = shapes.get(o);
            for (String m : metricNames) ms.add(Metric.get(m, losses[o].name(), s[s.length - 1]));
            out.add(ms);
        }
        return out;
    }

    private String outputPrefix(int o) {
        return outputCount() == 1 ? "" : outputName(o) + "_";
    }

    /** Name of output o for logs of multi-output models. */
    protected String outputName(int o) { return "output_" + (o + 1); }

    /** Row weights of an output from its mask, as Keras: masked rows weigh 0, the rest total/valid. */
    private static float[] maskWeights(Tensor m, Tensor pred) {
        if (m == null || pred.rank() != 3 || m.size() != pred.shape(0) * pred.shape(1)) return null;
        float[] w = m.data().clone();
        float total = w.length, valid = 0;
        for (float v : w) valid += v;
        // Keras 3 (losses.loss.apply_mask): valid rows weigh total / (valid + epsilon), in float32, so the mean over
        // all rows is the mean over valid rows.
        float scale = total / (valid + 1e-7f);
        for (int i = 0; i < w.length; i++) w[i] *= scale;
        return w;
    }

    /**
     * Forward, loss, backward and one optimizer update on one batch; returns that batch's loss and metric values
     * (Keras's {@code train_on_batch}).
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public Map<String, Double> trainOnBatch(Tensor x, Tensor y) {
        return trainOnBatch(new Tensor[] {x}, new Tensor[] {y});
    }

    /** Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException. */
    public Map<String, Double> trainOnBatch(Tensor[] x, Tensor[] y) { return trainOnBatch(x, y, null); }

    /**
     * {@code train_on_batch(x, y, sample_weight)}: one sample-weight tensor per output, or one for all; null for none.
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public Map<String, Double> trainOnBatch(Tensor[] x, Tensor[] y, Tensor[] sampleWeight) {
        requireCompiled("trainOnBatch");
        checkData(x, y, "trainOnBatch");
        ensureBuilt(x);
        boolean entered = enterTraining("trainOnBatch");
        try {
            return step(x, y, perOutput(sampleWeight, y, "trainOnBatch"), true, true, -1, -1);
        } finally {
            leaveTraining(entered);
        }
    }

    /**
     * Loss and metrics on one batch without updating weights ({@code test_on_batch}).
     * Thread-safe: metrics are per call; sees one complete weight version.
     */
    public Map<String, Double> testOnBatch(Tensor x, Tensor y) {
        return testOnBatch(new Tensor[] {x}, new Tensor[] {y});
    }

    /** Thread-safe: metrics are per call; sees one complete weight version. */
    public Map<String, Double> testOnBatch(Tensor[] x, Tensor[] y) { return testOnBatch(x, y, null); }

    /**
     * {@code test_on_batch(x, y, sample_weight)}.
     * Thread-safe: metrics are per call; sees one complete weight version.
     */
    public Map<String, Double> testOnBatch(Tensor[] x, Tensor[] y, Tensor[] sampleWeight) {
        requireCompiled("testOnBatch");
        checkData(x, y, "testOnBatch");
        ensureBuilt(x);
        return step(x, y, perOutput(sampleWeight, y, "testOnBatch"), false, true, -1, -1, trainableWeights(), newMetrics());
    }

    /** Sample weights per output: one tensor for all outputs or one each (Keras broadcasts a single one); checked. */
    Tensor[] perOutput(Tensor[] sampleWeight, Tensor[] y, String what) {
        if (sampleWeight == null) return null;
        if (sampleWeight.length != 1 && sampleWeight.length != y.length) {
            throw new IllegalArgumentException(what + ": got " + sampleWeight.length + " sample_weight arrays for "
                    + y.length + " outputs");
        }
        Tensor[] out = new Tensor[y.length];
        for (int o = 0; o < y.length; o++) {
            out[o] = sampleWeight.length == 1 ? sampleWeight[0] : sampleWeight[o];
            SampleWeights.check(out[o], y[o], o, what);
        }
        return out;
    }

    /**
     * One batch. When {@code train}: gradients and an update. Metrics are updated (accumulating) when
     * {@code resetMetrics} is false; otherwise reset first, so the returned values are the batch's own.
     */
    private Map<String, Double> step(Tensor[] x, Tensor[] y, Tensor[] sampleWeight, boolean train, boolean resetMetrics,
            int epoch, int batch) {
        return step(x, y, sampleWeight, train, resetMetrics, epoch, batch, trainableWeights(), metrics());
    }

    /** {@link #step} with the trainable weights given: {@code fit} collects them once, not per batch. */
    Map<String, Double> step(Tensor[] x, Tensor[] y, Tensor[] sampleWeight, boolean train, boolean resetMetrics,
            int epoch, int batch, List<Weight> trainableWeights, List<List<Metric>> ms) {
        List<Weight> trainable = train ? trainableWeights : List.of();
        for (Weight w : trainable) w.zeroGrad();
        Pass pass;
        double total;
        // Moving statistics written by the training forward are held back and published with the update.
        org.rnn4j.layers.StateUpdates.Scope stateUpdates = org.rnn4j.layers.StateUpdates.open();
        // Layers' activity penalties are collected during the forward pass (Keras's layer.losses).
        try (stateUpdates; org.rnn4j.regularizers.ActivityLosses.Scope activity = org.rnn4j.regularizers.ActivityLosses.open()) {
            // The training thread is the only writer of the weights, so its own passes read them without a stamp.
            pass = train ? forwardModel(x, !inferenceGradients) : forwardPublished(x);
            if (train) pass.skipInputGradients(); // the data's gradients are never read
            total = activity.total();
        }
        List<Weight> regularized = null;
        for (Weight w : trainableWeights) {
            if (w.regularizer() == null) continue;
            if (regularized == null) regularized = new ArrayList<>();
            regularized.add(w);
            total += w.regularizer().value(w.value().data());
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        Tensor[] grads = new Tensor[pass.outputs.length];
        for (int o = 0; o < outputCount(); o++) {
            Tensor pred = pass.outputs[o];
            float[] rowWeights = maskWeights(pass.mask(o), pred);
            // The loss sees sample weights times the mask; compiled metrics only the mask (Keras's unweighted metrics).
            float[] rowLossWeights = SampleWeights.combine(sampleWeight == null ? null : sampleWeight[o], rowWeights,
                    pred.size() / pred.shape(-1));
            float[] g = train ? new float[pred.size()] : null;
            double l = losses[o].compute(y[o], pred, rowLossWeights, g);
            if (g != null) {
                if (lossWeights[o] != 1.0) for (int i = 0; i < g.length; i++) g[i] *= (float) lossWeights[o];
                grads[o] = Tensor.of(g, pred.shape());
            }
            total += lossWeights[o] * l;
            if (outputCount() > 1) logs.put(outputPrefix(o) + "loss", l);
            for (Metric m : ms.get(o)) {
                if (resetMetrics) m.reset();
                logs.put(outputPrefix(o) + m.name(), m.update(y[o], pred, rowWeights));
            }
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        ordered.put("loss", total);
        ordered.putAll(logs);
        if (train) {
            if (failOnDivergence && (Double.isNaN(total) || Double.isInfinite(total))) {
                throw new TrainingDivergedException(Math.max(epoch, 0), Math.max(batch, 0), total);
            }
            pass.backward(grads);
            if (regularized != null) {
                for (Weight w : regularized) w.regularizer().addGradient(w.value().data(), w.grad().data());
            }
            guard.publishing(() -> {
                stateUpdates.apply();
                if (applyUpdate) optimizer.apply(trainable);
            });
        }
        lastStepLogs = Collections.unmodifiableMap(ordered);
        return ordered;
    }

    private boolean applyUpdate = true;
    /** False while a TerminateOnNaN callback handles divergence (Keras finishes the batch, then stops). */
    private boolean failOnDivergence = true;

    /**
     * The gradient of the compiled loss on one batch, without updating anything: fills every trainable weight's
     * {@link Weight#grad()} and returns the loss. {@code training} selects training mode (dropout). Used by gradient
     * checks and by distributed training, which sums gradients before one optimizer step.
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public double computeGradients(Tensor[] x, Tensor[] y, boolean training) {
        requireCompiled("computeGradients");
        checkData(x, y, "computeGradients");
        ensureBuilt(x);
        boolean entered = enterTraining("computeGradients");
        applyUpdate = false;
        try {
            if (!training) {
                // Inference-mode forward, but gradients still wanted: run step's training path with dropout off.
                return stepNoDropout(x, y);
            }
            return step(x, y, null, true, true, -1, -1).get("loss");
        } finally {
            applyUpdate = true;
            leaveTraining(entered);
        }
    }

    private double stepNoDropout(Tensor[] x, Tensor[] y) {
        inferenceGradients = true;
        try {
            return step(x, y, null, true, true, -1, -1).get("loss");
        } finally {
            inferenceGradients = false;
        }
    }

    private boolean inferenceGradients;

    /**
     * Applies one optimizer step from the gradients currently in the weights (after {@link #computeGradients}).
     * Not thread-safe: one training call per model at a time; the update is published atomically to inference.
     */
    public void applyGradients() {
        requireCompiled("applyGradients");
        boolean entered = enterTraining("applyGradients");
        try {
            List<Weight> trainable = trainableWeights();
            guard.publishing(() -> optimizer.apply(trainable));
        } finally {
            leaveTraining(entered);
        }
    }

    /**
     * The loss and metric values of the most recent batch (not averaged), for batch-level logging.
     * Thread-safe: the logs of one whole batch, the latest any thread finished.
     */
    public Map<String, Double> lastStepLogs() { return lastStepLogs; }

    // ---------------------------------------------------------------- concurrency

    /**
     * An inference-mode forward pass on weights of one complete update: it holds a read stamp, which an optimizer
     * step or {@link #setWeights} waits for (and which waits for them), so it never sees half of an update.
     */
    private Pass forwardPublished(Tensor[] x) {
        Pass[] out = new Pass[1];
        if (isStateful()) {
            // A stateful model's calls go through its layers one at a time as a whole: with two stateful layers, two
            // calls interleaved layer by layer would each see states the other left, matching no order of the calls.
            synchronized (guard.statefulCalls) {
                guard.reading(() -> out[0] = forwardModel(x, false));
            }
        } else {
            guard.reading(() -> out[0] = forwardModel(x, false));
        }
        return out[0];
    }

    /**
     * Makes this thread the model's trainer for one training call (see {@link ModelGuard#enterTraining}); a quantized
     * model is refused first, as its int8 weights are not trainable.
     */
    private boolean enterTraining(String what) {
        if (Quantizer.isQuantized(this)) {
            throw new IllegalStateException(what + ": model \"" + name + "\" is quantized to int8 and runs inference only "
                    + "(predict, evaluate, step): its int8 weights are not trainable (as in Keras). Train the float model, "
                    + "then quantize it.");
        }
        return guard.enterTraining(what, name);
    }

    private void leaveTraining(boolean entered) { guard.leaveTraining(entered); }

    /**
     * Outputs of one batch in inference mode ({@code predict_on_batch}).
     * Thread-safe: exactly the result of the call made alone, on one complete weight version.
     */
    public Tensor predictOnBatch(Tensor x) {
        return predictOnBatch(new Tensor[] {x})[0];
    }

    /** Thread-safe: exactly the result of the call made alone, on one complete weight version. */
    public Tensor[] predictOnBatch(Tensor[] x) {
        checkInputs(x, "predictOnBatch");
        ensureBuilt(x);
        return forwardPublished(x).outputs;
    }

    // ---------------------------------------------------------------- fit, evaluate, predict

    /**
     * {@code fit(x, y, epochs, batch_size)} with verbose 1 and shuffling, as Keras.
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public History fit(Tensor x, Tensor y, int epochs, int batchSize) {
        return fit(x, y, new FitOptions().epochs(epochs).batchSize(batchSize));
    }

    /**
     * {@code fit(x, y, epochs, batch_size, verbose)}.
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public History fit(Tensor x, Tensor y, int epochs, int batchSize, int verbose) {
        return fit(x, y, new FitOptions().epochs(epochs).batchSize(batchSize).verbose(verbose));
    }

    /** Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException. */
    public History fit(Tensor x, Tensor y, FitOptions o) {
        return fit(new Tensor[] {x}, new Tensor[] {y}, o);
    }

    /**
     * Trains for {@code o.epochs} epochs; returns the per-epoch history.
     * Not thread-safe: one training call per model at a time; another thread's call gets IllegalStateException.
     */
    public History fit(Tensor[] x, Tensor[] y, FitOptions o) {
        requireCompiled("fit");
        checkData(x, y, "fit");
        ensureBuilt(x);
        FitLoop loop = new FitLoop(this, x, y, o);
        boolean entered = enterTraining("fit");
        boolean failBefore = failOnDivergence;
        for (Callback c : loop.callbacks()) if (c instanceof org.rnn4j.callbacks.TerminateOnNaN) failOnDivergence = false;
        try {
            return loop.run();
        } finally {
            failOnDivergence = failBefore;
            leaveTraining(entered);
        }
    }

    static boolean isLossKey(String key) {
        return key.equals("loss") || key.endsWith("_loss");
    }

    void putMetricResults(Map<String, Double> logs, List<List<Metric>> ms) {
        for (int o = 0; o < ms.size(); o++) for (Metric m : ms.get(o)) logs.put(outputPrefix(o) + m.name(), m.result());
    }

    /** True when any layer carries state between batches. Thread-safe: reads configuration fixed before sharing. */
    public boolean isStateful() {
        for (Layer l : layers()) {
            if (l instanceof org.rnn4j.layers.recurrent.RNN && ((org.rnn4j.layers.recurrent.RNN<?>) l).stateful()) return true;
            if (l instanceof org.rnn4j.layers.recurrent.Bidirectional b && b.stateful()) return true;
        }
        return false;
    }

    /**
     * Loss and metrics over the data in batches ({@code evaluate}), silent.
     * Thread-safe: metrics per call; each batch sees one complete weight version; callbacks confined to this call.
     */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(new Tensor[] {x}, new Tensor[] {y}, batchSize, 0);
    }

    /**
     * Loss and metrics over the data in batches; verbose 1 shows a progress bar. Keys as Keras's {@code return_dict}.
     * Thread-safe: metrics per call; each batch sees one complete weight version; callbacks confined to this call.
     */
    public Map<String, Double> evaluate(Tensor[] x, Tensor[] y, int batchSize, int verbose) {
        return evaluate(x, y, null, batchSize, verbose);
    }

    /**
     * {@code evaluate(x, y, sample_weight=w, batch_size)}, silent; {@code sampleWeight} may be null.
     * Thread-safe: metrics per call; each batch sees one complete weight version; callbacks confined to this call.
     */
    public Map<String, Double> evaluate(Tensor x, Tensor y, Tensor sampleWeight, int batchSize) {
        return evaluate(new Tensor[] {x}, new Tensor[] {y}, sampleWeight == null ? null : new Tensor[] {sampleWeight},
                batchSize, 0);
    }

    /**
     * Loss and metrics with sample weights (one tensor per output or one for all; null for none) and callbacks,
     * which get Keras's test hooks. Keys as Keras's {@code return_dict}.
     * Thread-safe: metrics per call; each batch sees one complete weight version; callbacks confined to this call.
     */
    public Map<String, Double> evaluate(Tensor[] x, Tensor[] y, Tensor[] sampleWeight, int batchSize, int verbose,
            Callback... callbacks) {
        return evaluate(x, y, sampleWeight, batchSize, verbose, System.out, callbacks);
    }

    /**
     * {@link #evaluate(Tensor[], Tensor[], Tensor[], int, int, Callback...)} with the progress bar and the callbacks'
     * messages written to {@code out} instead of standard output. Thread-safety: as that overload.
     */
    public Map<String, Double> evaluate(Tensor[] x, Tensor[] y, Tensor[] sampleWeight, int batchSize, int verbose,
            PrintStream out, Callback... callbacks) {
        requireCompiled("evaluate");
        checkData(x, y, "evaluate");
        checkBatchSize(batchSize);
        ensureBuilt(x);
        Tensor[] w = perOutput(sampleWeight, y, "evaluate");
        int steps = (x[0].rows() + batchSize - 1) / batchSize;
        List<Callback> cbs = new ArrayList<>(java.util.Arrays.asList(callbacks));
        if (verbose > 0) cbs.add(new ProgressBar(out, verbose, 0, steps));
        for (Callback c : cbs) {
            c.setModel(this);
            c.setOutput(out);
        }
        return evaluateInternal(x, y, w, batchSize, cbs);
    }

    Map<String, Double> evaluateInternal(Tensor[] x, Tensor[] y, Tensor[] sampleWeight, int batchSize,
            List<Callback> cbs) {
        int n = x[0].rows();
        Map<String, Double> sums = new LinkedHashMap<>();
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Callback c : cbs) c.onTestBegin(new LinkedHashMap<>());
        List<List<Metric>> ms = newMetrics(); // this call's own tally: evaluations may run concurrently
        List<Weight> regularized = trainableWeights(); // their penalties count in the loss, as in training
        int steps = (n + batchSize - 1) / batchSize;
        for (int b = 0; b < steps; b++) {
            int from = b * batchSize, to = Math.min(n, from + batchSize);
            for (Callback c : cbs) c.onTestBatchBegin(b, new LinkedHashMap<>());
            Map<String, Double> stepLogs = step(sliceAll(x, from, to), sliceAll(y, from, to),
                    sampleWeight == null ? null : sliceAll(sampleWeight, from, to), false, false, -1, b, regularized, ms);
            logs = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : stepLogs.entrySet()) {
                if (isLossKey(e.getKey())) {
                    double s = sums.merge(e.getKey(), e.getValue() * (to - from), Double::sum);
                    logs.put(e.getKey(), s / to);
                }
            }
            putMetricResults(logs, ms);
            for (Callback c : cbs) c.onTestBatchEnd(b, logs);
        }
        for (Callback c : cbs) c.onTestEnd(logs);
        return logs;
    }

    /**
     * Outputs for the inputs, in batches of 32, in inference mode.
     * Thread-safe: exactly the result of the call made alone; each batch sees one complete weight version.
     */
    public Tensor predict(Tensor x) { return predict(x, 32); }

    /**
     * Outputs for the inputs in batches ({@code predict(x, batch_size)}), in inference mode.
     * Thread-safe: exactly the result of the call made alone; each batch sees one complete weight version.
     */
    public Tensor predict(Tensor x, int batchSize) {
        return predict(new Tensor[] {x}, batchSize)[0];
    }

    /** Thread-safe: exactly the result of the call made alone; each batch sees one complete weight version. */
    public Tensor[] predict(Tensor[] x, int batchSize) {
        return predict(x, batchSize, 0);
    }

    /**
     * {@code predict(x, batch_size, verbose)}: verbose 1 or 2 shows Keras's progress bar on standard output.
     * Thread-safe: exactly the result of the call made alone; each batch sees one complete weight version.
     */
    public Tensor[] predict(Tensor[] x, int batchSize, int verbose) { return predict(x, batchSize, verbose, new Callback[0]); }

    /**
     * Outputs in batches, calling Keras's predict hooks of the callbacks (then of the progress bar when verbose).
     * Thread-safe: exactly the result of the call made alone; each batch sees one complete weight version.
     */
    public Tensor[] predict(Tensor[] x, int batchSize, int verbose, Callback... callbacks) {
        return predict(x, batchSize, verbose, System.out, callbacks);
    }

    /**
     * {@link #predict(Tensor[], int, int, Callback...)} with the progress bar and the callbacks' messages written to
     * {@code progress} instead of standard output. Thread-safety: as that overload.
     */
    public Tensor[] predict(Tensor[] x, int batchSize, int verbose, PrintStream progress, Callback... callbacks) {
        checkInputs(x, "predict");
        checkBatchSize(batchSize);
        ensureBuilt(x);
        int n = x[0].rows();
        List<Callback> cbs = new ArrayList<>(java.util.Arrays.asList(callbacks));
        if (verbose > 0) cbs.add(new ProgressBar(progress, verbose, 0, (n + batchSize - 1) / batchSize));
        for (Callback c : cbs) {
            c.setModel(this);
            c.setOutput(progress);
        }
        for (Callback c : cbs) c.onPredictBegin(new LinkedHashMap<>());
        List<Tensor[]> parts = new ArrayList<>();
        for (int from = 0, b = 0; from < n; from += batchSize, b++) {
            for (Callback c : cbs) c.onPredictBatchBegin(b, new LinkedHashMap<>());
            parts.add(forwardPublished(sliceAll(x, from, Math.min(n, from + batchSize))).outputs);
            for (Callback c : cbs) c.onPredictBatchEnd(b, new LinkedHashMap<>());
        }
        for (Callback c : cbs) c.onPredictEnd(new LinkedHashMap<>());
        Tensor[] out = new Tensor[outputCount()];
        for (int o = 0; o < out.length; o++) {
            int[] shape = parts.get(0)[o].shape();
            shape[0] = n;
            float[] d = new float[parts.get(0)[o].rowSize() * n];
            int off = 0;
            for (Tensor[] p : parts) {
                System.arraycopy(p[o].data(), 0, d, off, p[o].size());
                off += p[o].size();
            }
            out[o] = Tensor.of(d, shape);
        }
        return out;
    }

    // ---------------------------------------------------------------- argument checks

    private static void checkBatchSize(int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be a positive integer, got " + batchSize);
    }

    private void checkInputs(Tensor[] x, String what) {
        if (x == null || x.length != inputCount()) {
            throw new IllegalArgumentException(what + ": the model takes " + inputCount() + " input(s), got "
                    + (x == null ? 0 : x.length));
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) throw new IllegalArgumentException(what + ": input " + i + " is null");
            if (x[i].rank() == 0 || x[i].rows() == 0) {
                throw new IllegalArgumentException(what + ": input " + i + " has no samples (shape "
                        + org.rnn4j.tensor.Shapes.toString(x[i].shape()) + ")");
            }
            if (x[i].rows() != x[0].rows()) {
                throw new IllegalArgumentException(what + ": input " + i + " has " + x[i].rows() + " samples but input 0 has "
                        + x[0].rows());
            }
        }
    }

    void checkData(Tensor[] x, Tensor[] y, String what) {
        checkInputs(x, what);
        if (y == null || y.length != outputCount()) {
            throw new IllegalArgumentException(what + ": the model has " + outputCount() + " output(s), got "
                    + (y == null ? 0 : y.length) + " target array(s)");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] == null) throw new IllegalArgumentException(what + ": target " + i + " is null");
            if (y[i].rows() != x[0].rows()) {
                throw new IllegalArgumentException(what + ": x and y must have the same number of samples, got "
                        + x[0].rows() + " input samples and " + y[i].rows() + " target samples");
            }
        }
    }

    static Tensor[] sliceAll(Tensor[] ts, int from, int to) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = from == 0 && to == ts[i].rows() ? ts[i] : ts[i].slice(from, to);
        return out;
    }

    static Tensor[] gatherAll(Tensor[] ts, int[] idx) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = ts[i].gather(idx);
        return out;
    }
}
