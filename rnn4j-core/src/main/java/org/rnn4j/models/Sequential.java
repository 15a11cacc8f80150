package org.rnn4j.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's Sequential: a stack of single-input, single-output layers.
 *
 * <pre>{@code
 * Sequential model = new Sequential();
 * model.add(new LSTM(5).inputShape(1, 1));
 * model.add(new Dense(1));
 * model.compile("mean_squared_error", "adam");
 * model.fit(x, y, new FitOptions().epochs(1000).batchSize(5).verbose(0));
 * }</pre>
 *
 * <p>Thread safety: as {@link Model}; {@code add} and {@code pop} are configuration (not thread-safe: finish the
 * stack before sharing the model); the build runs once under the model's lock.
 */
public class Sequential extends Model {
    private final List<Layer> layers = new ArrayList<>();
    /** The same layers, for a constant-time membership check (a model read from a file may have 10^5 of them). */
    private final java.util.Set<Layer> members = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int[] inputShape; // with batch axis, once known
    /** Written last when building (volatile): a thread that sees it built sees the whole build. */
    private volatile List<int[]> outputShapes;

    /** Not thread-safe: build and configure the model on one thread, then share it. */
    public Sequential() { super("sequential"); }

    /** Not thread-safe: build and configure the model on one thread, then share it. */
    public Sequential(Layer... layers) {
        this();
        for (Layer l : layers) add(l);
    }

    /**
     * Declares the input shape, like {@code model.add(keras.Input(shape))}; only before the first layer.
     * Not thread-safe: configuration; add layers before sharing the model.
     */
    public Sequential add(Input input) {
        if (!layers.isEmpty()) {
            throw new IllegalArgumentException("Sequential \"" + name + "\": an Input can only come before the first layer");
        }
        inputShape = input.batchShape();
        return this;
    }

    /**
     * Appends a layer; builds it at once when the input shape is known.
     * Not thread-safe: configuration; add layers before sharing the model.
     */
    public Sequential add(Layer layer) {
        if (layer == null) throw new IllegalArgumentException("Sequential \"" + name + "\": cannot add a null layer");
        if (members.contains(layer)) {
            throw new IllegalArgumentException("Sequential \"" + name + "\": layer \"" + layer.name() + "\" is already in the model");
        }
        if (layers.isEmpty() && inputShape == null && layer.declaredInputShape() != null) {
            inputShape = layer.declaredInputShape();
        } else if (!layers.isEmpty() && layer.declaredInputShape() != null) {
            int[] expected = outputShapes == null ? null : outputShapes.get(0);
            if (expected != null && !Shapes.compatible(Shapes.dropBatch(layer.declaredInputShape()), Shapes.dropBatch(expected))) {
                throw new IllegalArgumentException("Layer \"" + layer.name() + "\" declares input shape "
                        + Shapes.toString(layer.declaredInputShape()) + " but the previous layer outputs " + Shapes.toString(expected));
            }
        }
        int[] previous = outputShapes == null || layers.isEmpty() ? null : outputShapes.get(0);
        layers.add(layer);
        members.add(layer);
        outputShapes = null;
        if (previous != null) {
            // The layers before are built already: building only the new one keeps adding n layers linear.
            outputShapes = List.of(buildOne(layer, previous));
        } else if (inputShape != null) {
            build(inputShape);
        }
        return this;
    }

    /**
     * Removes the last layer (Keras's {@code pop()}).
     * Not thread-safe: configuration; change layers before sharing the model.
     */
    public Layer pop() {
        if (layers.isEmpty()) throw new IllegalStateException("Sequential \"" + name + "\" has no layers to pop");
        Layer l = layers.remove(layers.size() - 1);
        members.remove(l);
        outputShapes = null;
        if (inputShape != null && !layers.isEmpty()) build(inputShape);
        return l;
    }

    /** Thread-safe: the list is fixed once the model is configured and built. */
    @Override
    public List<Layer> layers() { return Collections.unmodifiableList(layers); }

    /** Thread-safe: fixed by the configuration. */
    @Override
    public int inputCount() { return 1; }

    /** Thread-safe: fixed by the configuration. */
    @Override
    public int outputCount() { return 1; }

    /** Thread-safe: a volatile read; true once a build finished. */
    @Override
    public boolean isBuilt() { return outputShapes != null; }

    /**
     * Builds every layer for an input shape (batch axis included, {@link Shapes#NONE} if free).
     * Thread-safe: concurrent first calls build once.
     */
    public synchronized void build(int[] shape) {
        if (layers.isEmpty()) throw new IllegalStateException("Sequential \"" + name + "\" has no layers");
        int[] s = shape.clone();
        for (Layer l : layers) s = buildOne(l, s);
        inputShape = shape.clone();
        outputShapes = List.of(s);
    }

    /** Builds one layer for its input shape; its output shape. */
    private static int[] buildOne(Layer l, int[] s) {
        l.build(List.of(s));
        List<int[]> outs = l.outputShapes(List.of(s));
        if (outs.size() != 1) {
            throw new IllegalArgumentException("Layer \"" + l.name() + "\" returns " + outs.size() + " tensors "
                    + "(return_state?); a Sequential model needs single-output layers: use the functional API");
        }
        return outs.get(0);
    }

    @Override
    protected void ensureBuilt(Tensor[] inputs) {
        if (isBuilt()) return;
        synchronized (this) {
            ensureBuiltLocked(inputs);
        }
    }

    private void ensureBuiltLocked(Tensor[] inputs) {
        if (layers.isEmpty()) throw new IllegalStateException("Sequential \"" + name + "\" has no layers: add() some first");
        if (isBuilt()) return;
        int[] s = inputs[0].shape();
        s[0] = inputShape != null ? inputShape[0] : Shapes.NONE;
        build(s);
    }

    /** Thread-safe: fixed once built. */
    @Override
    public List<int[]> outputShapes() {
        if (!isBuilt()) throw new IllegalStateException("Sequential \"" + name + "\" is not built yet");
        return outputShapes;
    }

    /**
     * The input shape (batch axis included), or null before it is known.
     * Thread-safe: a copy of the shape fixed by the configuration.
     */
    public int[] inputShape() { return inputShape == null ? null : inputShape.clone(); }

    @Override
    protected Pass forwardModel(Tensor[] inputs, boolean training) {
        Tensor x = inputs[0];
        if (isBuilt() && inputShape[0] == Shapes.NONE && !Shapes.compatible(inputShape, x.shape())) {
            throw new IllegalArgumentException("Input 0 of layer \"" + layers.get(0).name() + "\" is incompatible: expected shape "
                    + Shapes.toString(inputShape) + ", got " + Shapes.toString(x.shape()));
        }
        Pass[] passes = new Pass[layers.size()];
        Tensor mask = null;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            passes[i] = l.call(x, l.supportsMasking() ? mask : null, training);
            x = passes[i].output();
            mask = passes[i].mask;
        }
        return new Pass(x, mask) {
            /** Thread-confined: call on the thread that made this pass, once. */
            @Override
            public Tensor[] backward(Tensor[] grads) {
                Tensor[] g = grads;
                for (int i = passes.length - 1; i >= 0 && g[0] != null; i--) g = passes[i].backward(g);
                return g;
            }

            /** Thread-confined: call on the thread that made this pass. */
            @Override
            public void skipInputGradients() {
                super.skipInputGradients();
                if (passes.length > 0) passes[0].skipInputGradients();
            }
        };
    }

    /** Thread-safe: reads configuration and weight shapes fixed before sharing. */
    @Override
    public String summary() {
        if (!isBuilt()) {
            throw new IllegalStateException("This model has not yet been built. Build it by calling fit() or predict() on data, "
                    + "or give the first layer an input shape, before summary()");
        }
        List<Summary.Row> rows = new ArrayList<>();
        int[] s = inputShape;
        for (Layer l : layers) {
            int[] out = l.outputShapes(List.of(s)).get(0);
            rows.add(new Summary.Row(l.name() + " (" + l.className() + ")", Shapes.toString(out),
                    Integer.toString(l.countParams())));
            s = out;
        }
        long trainable = 0;
        for (var w : trainableWeights()) trainable += w.size();
        return Summary.render(name, new String[] {"Layer (type)", "Output Shape", "Param #"}, new int[] {29, 55, 65},
                rows, countParams(), trainable);
    }
}
