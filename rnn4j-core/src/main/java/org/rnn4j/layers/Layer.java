package org.rnn4j.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.Rnn4j;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The base of every layer. A layer is built once from its input shape (creating its {@link Weight}s in Keras
 * order), then called on concrete tensors: {@link #call} checks the input and returns a {@link Pass} whose
 * {@code backward} runs that call's backward step.
 *
 * <p>Shapes include the batch axis, {@link Shapes#NONE} where it is not fixed: {@code (None, 5, 1)}.
 *
 * <pre>{@code
 * Layer lstm = new LSTM(10).returnSequences(true).inputShape(5, 1);
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread. Stateful layers serialise
 * their calls and {@code resetStates} (arrival order).
 */
public abstract class Layer {
    private String name;
    private final List<Weight> weights = new ArrayList<>();
    private volatile boolean built;
    private boolean trainable = true;
    private List<int[]> builtInputShapes;
    /** Input shape without batch, given by {@code inputShape(...)} on a first layer; null when not given. */
    private int[] declaredInputShape;
    private int declaredBatchSize = Shapes.NONE;
    /** Regularizers and constraints by weight name ({@code kernel}, ...), attached when the weight is created. */
    private final Map<String, org.rnn4j.regularizers.Regularizer> weightRegularizers = new LinkedHashMap<>();
    private final Map<String, org.rnn4j.constraints.Constraint> weightConstraints = new LinkedHashMap<>();
    private org.rnn4j.regularizers.Regularizer activityRegularizer;

    /** Calls of this layer on symbolic tensors, in call order (Keras's {@code _inbound_nodes}). */
    private final List<Node> inboundNodes = new ArrayList<>();

    protected Layer(String namePrefix) {
        this.name = Rnn4j.uniqueName(namePrefix);
    }

    /** With {@code countFromOne}, names run {@code input_1, input_2, ...} as Keras 2 names its inputs. */
    protected Layer(String namePrefix, boolean countFromOne) {
        this.name = countFromOne ? Rnn4j.uniqueNameFromOne(namePrefix) : Rnn4j.uniqueName(namePrefix);
    }

    /**
     * The layer's name, unique in the process unless set explicitly ({@code lstm}, {@code lstm_1}, ...).
     * Thread-safe: reads configuration fixed before sharing.
     */
    public String name() { return name; }

    /**
     * Sets the name (before the layer joins a model).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    @SuppressWarnings("unchecked")
    public <L extends Layer> L name(String newName) {
        if (newName == null || newName.isBlank()) throw new IllegalArgumentException("A layer name must not be empty");
        this.name = newName;
        return (L) this;
    }

    /** Keras's class name, e.g. {@code LSTM}. Thread-safe: a constant. */
    public abstract String className();

    /**
     * Keras's {@code input_shape} (without the batch axis), for the first layer of a model.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    @SuppressWarnings("unchecked")
    public <L extends Layer> L inputShape(int... shape) {
        for (int d : shape) {
            // Shapes.NONE: a free dimension, such as a variable number of timesteps (Keras's None).
            if (d <= 0 && d != Shapes.NONE) {
                throw new IllegalArgumentException("Layer \"" + name + "\": input_shape dimensions must be positive or "
                        + "Shapes.NONE, got " + Shapes.toString(shape));
            }
        }
        this.declaredInputShape = shape.clone();
        return (L) this;
    }

    /**
     * Keras's {@code batch_input_shape}: a fixed batch size then the input shape (needed by stateful layers).
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    @SuppressWarnings("unchecked")
    public <L extends Layer> L batchInputShape(int batchSize, int... shape) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("Layer \"" + name + "\": batch size must be positive, got " + batchSize);
        }
        inputShape(shape);
        this.declaredBatchSize = batchSize;
        return (L) this;
    }

    /**
     * The declared input shape including the batch axis, or null.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public int[] declaredInputShape() {
        return declaredInputShape == null ? null : Shapes.withBatch(declaredBatchSize, declaredInputShape);
    }

    // ---------------------------------------------------------------- shapes and building

    /**
     * The output shape for one input shape (single-input, single-output layers).
     * Thread-safe: a pure function of the configuration.
     */
    public int[] outputShape(int[] inputShape) {
        throw new UnsupportedOperationException(className() + " does not define a single output shape");
    }

    /** Output shapes for the given input shapes. Thread-safe: a pure function of the configuration. */
    public List<int[]> outputShapes(List<int[]> inputShapes) {
        requireInputs(inputShapes.size(), 1);
        return List.of(outputShape(inputShapes.get(0)));
    }

    /** Creates the weights for these input shapes. Called once, by {@link #build}. */
    protected void createWeights(List<int[]> inputShapes) {}

    /**
     * Builds the layer for these input shapes (batch axis included, may be {@link Shapes#NONE}).
     * Thread-safe: the first call builds, concurrent and later calls return once it is built.
     */
    public final synchronized void build(List<int[]> inputShapes) {
        if (built) return;
        validateInputShapes(inputShapes);
        createWeights(inputShapes);
        builtInputShapes = new ArrayList<>(inputShapes);
        // A quantized layer being loaded: its int8 weights take the float ones' places (values from the file next).
        if (quantizeOnBuild != null) quantizeWeights();
        built = true;
    }

    /** {@link #build(List)} for one input. Thread-safe: the first call builds, later calls return once it is built. */
    public final void build(int[] inputShape) { build(List.of(inputShape)); }

    /** Checks the rank and other requirements of the input shapes before building; throws with the layer's name. */
    protected void validateInputShapes(List<int[]> inputShapes) {}

    /** Thread-safe: a volatile read; true once a build finished. */
    public boolean isBuilt() { return built; }

    /**
     * The input shapes the layer was built for (batch axis {@link Shapes#NONE} unless fixed).
     * Thread-safe once built: the shapes are fixed by the build.
     */
    public List<int[]> builtInputShapes() {
        return builtInputShapes == null ? List.of() : Collections.unmodifiableList(builtInputShapes);
    }

    protected void requireInputs(int got, int expected) {
        if (got != expected) {
            throw new IllegalArgumentException("Layer \"" + name + "\" expects " + expected + " input(s), got " + got);
        }
    }

    // ---------------------------------------------------------------- calling on symbolic tensors

    /**
     * Keras's {@code y = layer(x)} for the functional API: calls the layer on symbolic tensors, building it from
     * their shapes on the first call. Calling a layer again shares its weights. For a layer returning several
     * tensors (an RNN with {@code return_state}) use {@link #applyAll}.
     *
     * <pre>{@code
     * Input x = new Input(4, 2);
     * KerasTensor h = new LSTM(3).apply(x);
     * KerasTensor sum = new Add().apply(a, b);      // a merge layer takes several tensors
     * }</pre>
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor apply(KerasTensor... inputs) {
        KerasTensor[] outs = applyAll(inputs);
        if (outs.length != 1) {
            throw new IllegalArgumentException("Layer \"" + name + "\" returns " + outs.length + " tensors; use applyAll(...) "
                    + "to receive all of them");
        }
        return outs[0];
    }

    /**
     * Like {@link #apply}, returning every output ({@code output, state_h, state_c = lstm(x)}).
     * Not thread-safe: graph construction; build a graph on one thread.
     */
    public KerasTensor[] applyAll(KerasTensor... inputs) {
        return Node.create(this, inputs).outputs();
    }

    /**
     * The symbolic calls of this layer so far, in order; node {@code i} is Keras's {@code layer[i]}.
     * Not thread-safe while a graph is being built; thread-safe to read afterwards.
     */
    public List<Node> inboundNodes() { return Collections.unmodifiableList(inboundNodes); }

    void addInboundNode(Node node) { inboundNodes.add(node); }

    /**
     * The mask this layer receives from the masks of its inputs (null entries: unmasked). Keras passes every
     * input's mask; layers here take one, so by default the first input's mask (an RNN's initial states carry none).
     * Merge layers combine them.
     * Thread-safe: a pure function of the configuration.
     */
    public Tensor combineInputMasks(Tensor[] inputs, Tensor[] masks) {
        return masks.length == 0 ? null : masks[0];
    }

    // ---------------------------------------------------------------- computing

    /**
     * Runs the layer forward. Builds it on first use from the inputs' shapes, and checks each input against the
     * shape it was built for.
     *
     * Thread-safe in inference mode (each call exact, as if alone); training calls: the training thread only.
     * @param mask the incoming timestep mask {@code [batch, timesteps]} (1 = keep), or null
     * @param training true in training mode (dropout active)
     */
    public final Pass call(Tensor[] inputs, Tensor mask, boolean training) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException("Input " + i + " of layer \"" + name + "\" is null");
        }
        if (!built) {
            List<int[]> shapes = new ArrayList<>();
            for (Tensor t : inputs) {
                int[] s = t.shape();
                s[0] = declaredBatchSize;
                shapes.add(s);
            }
            build(shapes);
        } else {
            checkInputs(inputs);
        }
        Pass pass = forward(inputs, mask, training);
        return activityRegularizer == null ? pass : org.rnn4j.regularizers.ActivityLosses.apply(activityRegularizer, pass);
    }

    /**
     * Thread-safe in inference mode (each call exact, as if alone); training calls: the training thread only.
     */
    public final Pass call(Tensor input, Tensor mask, boolean training) {
        return call(new Tensor[] {input}, mask, training);
    }

    /** Checks concrete inputs against the built shapes; Keras's wording. */
    protected void checkInputs(Tensor[] inputs) {
        int n = Math.min(inputs.length, builtInputShapes.size());
        for (int i = 0; i < n; i++) {
            int[] expected = builtInputShapes.get(i);
            int[] got = inputs[i].shape();
            if (!acceptsShape(i, expected, got)) {
                throw new IllegalArgumentException("Input " + i + " of layer \"" + name + "\" is incompatible: expected shape "
                        + Shapes.toString(expected) + ", got " + Shapes.toString(got));
            }
        }
    }

    /**
     * Whether input {@code index} of shape {@code got} fits the shape {@code built} the layer was built for, as
     * Keras's {@code input_spec} decides. By default every known dimension must agree; layers whose weights fix only
     * some axes accept more (Dense: the last axis; an RNN: the features, so a layer trained on 5 steps also runs on
     * 1 step, as Keras's step-by-step decoders do).
     */
    protected boolean acceptsShape(int index, int[] built, int[] got) { return Shapes.compatible(built, got); }

    /**
     * For layers without Keras input spec that work on any number of timesteps: the rank and every axis after the
     * time axis must agree with the built shape. Thread-safe: a pure function.
     */
    protected static boolean anyTimesteps(int[] built, int[] got) {
        if (got.length != built.length) return false;
        for (int i = 2; i < got.length; i++) if (built[i] >= 0 && got[i] != built[i]) return false;
        return true;
    }

    /** The computation: outputs, output mask and backward. Inputs are already checked. */
    protected abstract Pass forward(Tensor[] inputs, Tensor mask, boolean training);

    /**
     * Whether the layer consumes or passes on a timestep mask; false means the mask stops here.
     * Thread-safe: a constant.
     */
    public boolean supportsMasking() { return false; }

    /**
     * Whether the layer works timestep by timestep: its output at timestep t depends only on its input at t (Dense,
     * Activation, Dropout, Masking, TimeDistributed of such a layer). Such a layer runs one timestep at a time, so a
     * model made of them and recurrent layers streams ({@code Model.step}) through the layer's own forward pass.
     * Thread-safe: a fixed property of the layer's configuration.
     */
    public boolean timestepwise() { return false; }

    // ---------------------------------------------------------------- weights

    protected Weight addWeight(String weightName, int[] shape, Initializer init, boolean weightTrainable) {
        Tensor value = Tensor.of(init.create(shape), shape);
        Weight w = new Weight(weightName, name + "/" + weightName, value, weightTrainable);
        w.setRegularizer(weightRegularizers.get(weightName));
        w.setConstraint(weightConstraints.get(weightName));
        weights.add(w);
        return w;
    }

    // ---------------------------------------------------------------- regularizers and constraints

    /**
     * Sets the regularizer of the weights named {@code weightName} (Keras's {@code kernel_regularizer} is
     * {@code "kernel"}); layers expose it as {@code kernelRegularizer(...)} and so on. Null removes it.
     */
    protected void setWeightRegularizer(String weightName, org.rnn4j.regularizers.Regularizer r) {
        weightRegularizers.put(weightName, r);
        for (Weight w : weights) if (w.name().equals(weightName)) w.setRegularizer(r);
    }

    /** Sets the constraint of the weights named {@code weightName}; null removes it. */
    protected void setWeightConstraint(String weightName, org.rnn4j.constraints.Constraint c) {
        weightConstraints.put(weightName, c);
        for (Weight w : weights) if (w.name().equals(weightName)) w.setConstraint(c);
    }

    /**
     * Gives {@code other} this layer's weight regularizers, weight constraints and activity regularizer (a wrapper's
     * copies of the wrapped layer keep them all). Not thread-safe: use while building.
     */
    protected void copyRegularizationTo(Layer other) {
        for (Map.Entry<String, org.rnn4j.regularizers.Regularizer> e : weightRegularizers.entrySet()) {
            other.setWeightRegularizer(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, org.rnn4j.constraints.Constraint> e : weightConstraints.entrySet()) {
            other.setWeightConstraint(e.getKey(), e.getValue());
        }
        other.activityRegularizer = activityRegularizer;
    }

    /** The regularizer set for a weight name, or null. Thread-safe: reads configuration fixed before sharing. */
    public org.rnn4j.regularizers.Regularizer weightRegularizer(String weightName) { return weightRegularizers.get(weightName); }

    /** The constraint set for a weight name, or null. Thread-safe: reads configuration fixed before sharing. */
    public org.rnn4j.constraints.Constraint weightConstraint(String weightName) { return weightConstraints.get(weightName); }

    /**
     * Keras's {@code activity_regularizer}: a penalty on every output of each call, added to the training loss.
     * Not thread-safe: configuration; set it before sharing the layer.
     */
    @SuppressWarnings("unchecked")
    public <L extends Layer> L activityRegularizer(org.rnn4j.regularizers.Regularizer r) {
        activityRegularizer = r;
        return (L) this;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public org.rnn4j.regularizers.Regularizer activityRegularizer() { return activityRegularizer; }

    /** Adds Keras's regularizer and constraint config entries for these weight names (null when unset). */
    protected void putRegularizationConfig(Map<String, Object> c, String... weightNames) {
        // Keras names the recurrent kernel's entries recurrent_regularizer and recurrent_constraint.
        for (String n : weightNames) c.put(configPrefix(n) + "_regularizer", serialize(weightRegularizers.get(n)));
        c.put("activity_regularizer", serialize(activityRegularizer));
        for (String n : weightNames) {
            org.rnn4j.constraints.Constraint k = weightConstraints.get(n);
            c.put(configPrefix(n) + "_constraint", k == null ? null : k.serialize());
        }
    }

    private static String configPrefix(String weightName) {
        return weightName.equals("recurrent_kernel") ? "recurrent" : weightName;
    }

    private static Object serialize(org.rnn4j.regularizers.Regularizer r) { return r == null ? null : r.serialize(); }

    /** Adds the weights of an inner layer or cell (TimeDistributed, Bidirectional) to this layer's list. */
    protected void addWeights(List<Weight> inner) { weights.addAll(inner); }

    // ---------------------------------------------------------------- int8 quantization (Keras 3's layer.quantize)

    /** The quantization modes rnn4j runs: Keras 3's {@code int8}. */
    public static final String INT8 = "int8";
    /** Set by a load: quantize the weights as soon as the layer is built (see {@link #quantizeOnBuild}). */
    private String quantizeOnBuild;

    /**
     * Keras's {@code layer.quantize(mode)}: replaces the layer's kernels by int8 weights with per-output-channel
     * scales (Keras 3's scheme; see {@link org.rnn4j.kernels.Int8MatMul}), for inference only. Layers that support
     * it override {@link #quantizable()}. On a model, call {@code Model.quantize}, which also publishes the change.
     * Not thread-safe: changes the weights; no call of the layer may run meanwhile (Model.quantize ensures it).
     * @throws IllegalArgumentException for a mode other than {@code "int8"} or a layer kind that cannot be quantized
     * @throws IllegalStateException when the layer is not built or already quantized
     */
    public final synchronized void quantize(String mode) {
        checkQuantizationMode(mode);
        if (!built) {
            throw new IllegalStateException("Cannot quantize a layer that isn't yet built. Layer \"" + name + "\" (of type "
                    + className() + ") is not built yet.");
        }
        if (quantizationMode() != null) {
            throw new IllegalStateException("Layer \"" + name + "\" is already quantized with dtype_policy='int8_from_float32'. "
                    + "Received: mode=" + mode);
        }
        if (!quantizable()) {
            throw new IllegalArgumentException("Layer \"" + name + "\" (" + className() + ") cannot be quantized to " + mode
                    + ": rnn4j quantizes Dense, Embedding, LSTM, GRU, SimpleRNN and Conv1D layers (also inside "
                    + "TimeDistributed and Bidirectional)");
        }
        quantizeWeights();
    }

    /**
     * Refuses every mode but {@code "int8"}, naming it. Thread-safe: a pure function.
     * @throws IllegalArgumentException for any other mode (Keras 3 also has int4, float8, gptq: not in rnn4j)
     */
    public static void checkQuantizationMode(String mode) {
        if (!INT8.equals(mode)) {
            throw new IllegalArgumentException("Invalid quantization mode: rnn4j supports mode=\"int8\" (Keras 3's int8 "
                    + "scheme); Keras's other modes (int4, float8, gptq) are not implemented. Received: mode=" + mode);
        }
    }

    /**
     * For a loader: quantize the layer's weights to {@code mode} as soon as it is built, so the int8 weights of a
     * saved quantized layer can be assigned to it. Not thread-safe: configuration; call before the layer is built.
     */
    public void quantizeOnBuild(String mode) {
        checkQuantizationMode(mode);
        if (!quantizable()) {
            throw new IllegalArgumentException("Layer \"" + name + "\" (" + className() + ") has dtype policy " + mode
                    + "_from_float32, but rnn4j cannot quantize this kind of layer");
        }
        if (built) throw new IllegalStateException("Layer \"" + name + "\" is already built; quantize it with quantize(mode)");
        quantizeOnBuild = mode;
    }

    /** The mode this layer is set to be quantized to on build, or null. Thread-safe once configured. */
    protected String quantizeOnBuildMode() { return quantizeOnBuild; }

    /**
     * Keras's {@code layer.quantization_mode}: {@code "int8"} when the layer (or a layer it wraps) holds int8
     * weights, else null. Thread-safe: reads the weight list fixed once built and quantized.
     */
    public String quantizationMode() {
        for (Weight w : weights) if (w.isInt8()) return INT8;
        return null;
    }

    /**
     * Whether {@link #quantize} applies to this kind of layer (false by default). Thread-safe: a property of the
     * configuration.
     */
    public boolean quantizable() { return false; }

    /**
     * Replaces the float kernels by their int8 weights and scales (in the weight list, in Keras's order). Called once,
     * by {@link #quantize} or by the build of a layer being loaded quantized.
     */
    protected void quantizeWeights() {
        throw new UnsupportedOperationException(className() + " cannot be quantized");
    }

    /**
     * True when this layer's config says it holds int8 weights itself (Keras's quantized {@code dtype} policy); a
     * wrapper says false (its wrapped layer's config says so), as Keras quantizes the innermost layers.
     */
    protected boolean ownsQuantizedWeights() { return true; }

    /** Puts {@code replacement} in the place of {@code old} in the weight list. */
    void replaceWeight(Weight old, Weight replacement) {
        int i = weights.indexOf(old);
        if (i < 0) throw new IllegalStateException("Weight " + old.path() + " is not a weight of layer \"" + name + "\"");
        weights.set(i, replacement);
    }

    /** Appends a weight made outside {@link #addWeight} (a quantized kernel's scale). */
    void appendWeight(Weight w) { weights.add(w); }

    /** A wrapper's list after its wrapped layers changed theirs (quantized): the wrapped layers' weights, in order. */
    protected void replaceWeights(List<Weight> all) {
        weights.clear();
        weights.addAll(all);
    }

    /**
     * All weights in Keras order.
     * Thread-safe: the list is fixed once built (the values are published by the model).
     */
    public List<Weight> weights() { return Collections.unmodifiableList(weights); }

    /** Weights the optimizer updates. Thread-safe once built and configured: filters the fixed weight list. */
    public List<Weight> trainableWeights() {
        List<Weight> out = new ArrayList<>();
        if (!trainable) return out;
        for (Weight w : weights) if (w.trainable()) out.add(w);
        return out;
    }

    /**
     * Copies of the weight values, in Keras order (Keras's {@code get_weights()}).
     * Thread-safe alongside inference; not atomic against a training step (use Model.getWeights).
     */
    public List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weights) out.add(w.value().copy());
        return out;
    }

    /**
     * Sets the weight values, in Keras order (Keras's {@code set_weights()}).
     * Not thread-safe: not published to concurrent inference; use Model.setWeights on a shared model.
     */
    public void setWeights(List<Tensor> values) {
        if (values.size() != weights.size()) {
            throw new IllegalArgumentException("Layer \"" + name + "\" has " + weights.size() + " weights but got "
                    + values.size());
        }
        for (int i = 0; i < values.size(); i++) weights.get(i).assign(values.get(i), name);
    }

    /** Thread-safe once built: the weight shapes are fixed. */
    public int countParams() {
        int n = 0;
        for (Weight w : weights) n += w.size();
        return n;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    public boolean trainable() { return trainable; }

    /** Not thread-safe: configuration; set it before sharing the layer. */
    public void setTrainable(boolean trainable) { this.trainable = trainable; }

    /**
     * Clears recurrent state; a no-op for layers without state.
     * Thread-safe: a no-op here; stateful layers wait for their running call, then reset.
     */
    public void resetStates() {}

    /**
     * Keras's {@code get_config()}: the constructor arguments, snake_case.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        if (declaredInputShape != null) {
            List<Integer> bis = new ArrayList<>();
            bis.add(declaredBatchSize < 0 ? null : declaredBatchSize);
            for (int d : declaredInputShape) bis.add(d < 0 ? null : d);
            c.put("batch_input_shape", bis);
        }
        c.put("dtype", quantizationMode() != null && ownsQuantizedWeights() ? quantizedPolicy() : "float32");
        return c;
    }

    /** Keras 3's serialized {@code QuantizedDTypePolicy("int8", "float32")}. */
    private static Map<String, Object> quantizedPolicy() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("mode", INT8);
        config.put("source_name", "float32");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("module", "keras");
        p.put("class_name", "QuantizedDTypePolicy");
        p.put("config", config);
        p.put("registered_name", null);
        return p;
    }

    /** Thread-safe: reads configuration fixed before sharing. */
    @Override
    public String toString() { return name + " (" + className() + ")"; }
}
