package org.rnn4j.io;

import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.CellRNN;
import org.rnn4j.layers.recurrent.GRUCell;
import org.rnn4j.layers.recurrent.LSTMCell;
import org.rnn4j.layers.recurrent.RecurrentCell;
import org.rnn4j.layers.recurrent.SimpleRNNCell;
import org.rnn4j.layers.recurrent.StackedRNN;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.layers.recurrent.SimpleRNN;

/**
 * The factories of rnn4j's built-in layers, one line per Keras class in {@link #registerAll}, and the option
 * readers they share. Keras 1 names are accepted where they map one to one ({@code output_dim},
 * {@code init}, {@code inner_init}, {@code inner_activation}, {@code dropout_W}, {@code dropout_U}).
 *
 * <pre>{@code
 * // a new recurrent layer: its own options, then the driver's
 * LayerRegistry.register("GRU", c -> KerasLayers.rnnOptions(new GRU(c.getInt("units", -1)), c));
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class KerasLayers {
    private KerasLayers() {}

    /** Keras options rnn4j does not implement; loading a config that sets one fails rather than computing wrongly. */
    private static final String[] UNSUPPORTED = {"W_constraint", "U_constraint", "b_constraint", "lora_rank", "time_major"};

    static void registerAll() {
        LayerRegistry.register("Dense", KerasLayers::dense);
        LayerRegistry.register("LSTM", KerasLayers::lstm);
        LayerRegistry.register("TimeDistributed", c -> new TimeDistributed(c.layer("layer")));
        // Keras 1's TimeDistributedDense = TimeDistributed(Dense) with the Dense's options on the wrapper.
        LayerRegistry.register("TimeDistributedDense", c -> new TimeDistributed(dense(c)));
        LayerRegistry.register("Dropout", c -> {
            c.refuseIfSet("noise_shape");
            return new Dropout(c.getDouble("rate", Double.NaN, "p"));
        });
        LayerRegistry.register("Activation", c -> new ActivationLayer(c.activation("activation", null).name()));
        LayerRegistry.register("Masking", c -> new Masking((float) c.getDouble("mask_value", 0.0)));
        LayerRegistry.register("Add", c -> new org.rnn4j.layers.merging.Add());
        LayerRegistry.register("Subtract", c -> new org.rnn4j.layers.merging.Subtract());
        LayerRegistry.register("Multiply", c -> new org.rnn4j.layers.merging.Multiply());
        LayerRegistry.register("Average", c -> new org.rnn4j.layers.merging.Average());
        LayerRegistry.register("Concatenate", c -> new org.rnn4j.layers.merging.Concatenate(c.getInt("axis", -1)));
        LayerRegistry.register("Flatten", c -> new org.rnn4j.layers.reshaping.Flatten());
        LayerRegistry.register("Reshape", c -> new org.rnn4j.layers.reshaping.Reshape(intList(c, "target_shape")));
        LayerRegistry.register("RepeatVector", c -> new org.rnn4j.layers.reshaping.RepeatVector(c.getInt("n", -1)));
        LayerRegistry.register("Permute", c -> new org.rnn4j.layers.reshaping.Permute(intList(c, "dims")));
        LayerRegistry.register("GRU", KerasLayers::gru);
        LayerRegistry.register("SimpleRNN", KerasLayers::simpleRnn);
        LayerRegistry.register("Bidirectional", KerasLayers::bidirectional);
        LayerRegistry.register("RNN", KerasLayers::rnn);
        LayerRegistry.register("Embedding", KerasLayers::embedding);
        LayerRegistry.register("Conv1D", org.rnn4j.layers.convolutional.Conv1D::fromConfig);
        LayerRegistry.register("Conv1DTranspose", org.rnn4j.layers.convolutional.Conv1DTranspose::fromConfig);
        LayerRegistry.register("MaxPooling1D", org.rnn4j.layers.pooling.MaxPooling1D::fromConfig);
        LayerRegistry.register("AveragePooling1D", org.rnn4j.layers.pooling.AveragePooling1D::fromConfig);
        LayerRegistry.register("GlobalMaxPooling1D", org.rnn4j.layers.pooling.GlobalMaxPooling1D::fromConfig);
        LayerRegistry.register("GlobalAveragePooling1D", org.rnn4j.layers.pooling.GlobalAveragePooling1D::fromConfig);
        LayerRegistry.register("ZeroPadding1D", org.rnn4j.layers.reshaping.ZeroPadding1D::fromConfig);
        LayerRegistry.register("Cropping1D", org.rnn4j.layers.reshaping.Cropping1D::fromConfig);
        LayerRegistry.register("UpSampling1D", org.rnn4j.layers.reshaping.UpSampling1D::fromConfig);
        LayerRegistry.register("BatchNormalization", org.rnn4j.layers.normalization.BatchNormalization::fromConfig);
        LayerRegistry.register("Attention", org.rnn4j.layers.attention.Attention::fromConfig);
        LayerRegistry.register("MultiHeadAttention", org.rnn4j.layers.attention.MultiHeadAttention::fromConfig);
        LayerRegistry.register("AdditiveAttention", org.rnn4j.layers.attention.AdditiveAttention::fromConfig);
        LayerRegistry.register("LayerNormalization", org.rnn4j.layers.normalization.LayerNormalization::fromConfig);
    }

    /** A list of integers that may hold -1 (Reshape's {@code target_shape}), unlike {@link LayerConfig#getShape}. */
    static int[] intList(LayerConfig c, String key) {
        com.fasterxml.jackson.databind.JsonNode v = c.get(key);
        if (v == null || !v.isArray()) throw c.error("option \"" + key + "\" must be a list of integers, got " + v);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isInt()) throw c.error("option \"" + key + "\" must be a list of integers, got " + v);
            out[i] = v.get(i).asInt();
        }
        return out;
    }

    /**
     * Keras's Dense (Keras 1: {@code output_dim}, {@code init}, {@code bias}).
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Dense dense(LayerConfig c) {
        c.refuseIfSet(UNSUPPORTED);
        Dense d = new Dense(c.getInt("units", -1, "output_dim"));
        d.activation(c.activation("activation", "linear").name());
        d.useBias(c.getBool("use_bias", true, "bias"));
        d.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform", "init"));
        d.biasInitializer(c.initializer("bias_initializer", "zeros"));
        d.kernelRegularizer(c.regularizer("kernel_regularizer", "W_regularizer"));
        d.biasRegularizer(c.regularizer("bias_regularizer", "b_regularizer"));
        d.kernelConstraint(c.constraint("kernel_constraint"));
        d.biasConstraint(c.constraint("bias_constraint"));
        return d;
    }

    /**
     * Keras's LSTM (Keras 1: {@code output_dim}, {@code inner_activation}, {@code init}, {@code inner_init}).
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static LSTM lstm(LayerConfig c) {
        LSTM l = new LSTM(c.getInt("units", -1, "output_dim"));
        l.activation(c.activation("activation", "tanh").name());
        l.recurrentActivation(c.activation("recurrent_activation", defaultRecurrentActivation(c), "inner_activation").name());
        l.useBias(c.getBool("use_bias", true));
        // TensorFlow.js writes null and then leaves the forget bias alone; Keras 1 says forget_bias_init="one".
        boolean forget = c.json().has("unit_forget_bias")
                ? c.getBool("unit_forget_bias", false)
                : c.getString("forget_bias_init", "one").equals("one");
        l.unitForgetBias(forget);
        l.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform", "init"));
        l.recurrentInitializer(c.initializer("recurrent_initializer", "orthogonal", "inner_init"));
        l.biasInitializer(c.initializer("bias_initializer", "zeros"));
        return rnnOptions(l, c);
    }

    /**
     * Keras's GRU. {@code reset_after} defaults to false when the config does not say (Keras 2.0-2.2 and
     * TensorFlow.js have only that variant; tf.keras 2 and Keras 3 always write the option).
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static GRU gru(LayerConfig c) {
        GRU g = new GRU(c.getInt("units", -1, "output_dim"));
        g.activation(c.activation("activation", "tanh").name());
        g.recurrentActivation(c.activation("recurrent_activation", defaultRecurrentActivation(c), "inner_activation").name());
        g.useBias(c.getBool("use_bias", true));
        g.resetAfter(c.getBool("reset_after", false));
        g.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform", "init"));
        g.recurrentInitializer(c.initializer("recurrent_initializer", "orthogonal", "inner_init"));
        g.biasInitializer(c.initializer("bias_initializer", "zeros"));
        return rnnOptions(g, c);
    }

    /** Keras's SimpleRNN. Thread-safe: no shared mutable state; concurrent calls are independent. */
    public static SimpleRNN simpleRnn(LayerConfig c) {
        SimpleRNN s = new SimpleRNN(c.getInt("units", -1, "output_dim"));
        s.activation(c.activation("activation", "tanh").name());
        s.useBias(c.getBool("use_bias", true));
        s.kernelInitializer(c.initializer("kernel_initializer", "glorot_uniform", "init"));
        s.recurrentInitializer(c.initializer("recurrent_initializer", "orthogonal", "inner_init"));
        s.biasInitializer(c.initializer("bias_initializer", "zeros"));
        return rnnOptions(s, c);
    }

    /**
     * Keras's Bidirectional: {@code layer} (the forward layer's config) and {@code merge_mode} ({@code null} = two
     * outputs). Keras 3 also writes {@code backward_layer}, which is the same config with go_backwards flipped;
     * rnn4j derives it from {@code layer} and refuses one of another class.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Bidirectional bidirectional(LayerConfig c) {
        Layer inner = c.layer("layer");
        if (!(inner instanceof RNN<?> rnn)) {
            throw c.error("Bidirectional wraps a recurrent layer (LSTM, GRU, SimpleRNN), got " + inner.className());
        }
        com.fasterxml.jackson.databind.JsonNode backward = c.get("backward_layer");
        if (backward != null && !backward.isNull()
                && !backward.path("class_name").asText(inner.className()).equals(inner.className())) {
            throw c.error("option \"backward_layer\" of class " + backward.path("class_name").asText()
                    + " differs from the forward layer's class " + inner.className() + "; rnn4j supports only the "
                    + "backward layer Keras derives from the forward one");
        }
        // merge_mode null (written out) means two outputs; absent means Keras's default, concat.
        boolean none = c.json().has("merge_mode") && c.json().get("merge_mode").isNull();
        Bidirectional bi = new Bidirectional(rnn, none ? null : c.getString("merge_mode", "concat"));
        // Keras 3 names the backward copy in its backward_layer config ("backward_lstm" beside "forward_lstm").
        String backwardName = backward == null ? "" : backward.path("config").path("name").asText("");
        if (!backwardName.isBlank()) bi.backwardLayer().name(backwardName);
        return bi;
    }

    /**
     * Keras's generic {@code RNN}: {@code cell} is one built-in cell ({@code LSTMCell}, {@code GRUCell},
     * {@code SimpleRNNCell}), a {@code StackedRNNCells} with {@code cells}, or a list of cells (Keras's
     * {@code RNN([c1, c2])}). A cell's regularizers, constraints and dropout live in its own config.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Layer rnn(LayerConfig c) {
        com.fasterxml.jackson.databind.JsonNode spec = c.get("cell");
        if (spec == null || spec.isNull()) throw c.error("missing the \"cell\"");
        com.fasterxml.jackson.databind.JsonNode list = spec.isArray() ? spec
                : "StackedRNNCells".equals(spec.path("class_name").asText()) ? spec.path("config").path("cells") : null;
        if (list == null) {
            LayerConfig cc = cellConfig(c, spec);
            java.util.function.Function<LayerConfig, org.rnn4j.layers.recurrent.ComposedCell> user =
                    LayerRegistry.cellFactory(cc.className());
            String registered = spec.path("registered_name").asText("");
            // Keras 3 writes "package>Name" for registered custom objects.
            if (user == null) user = LayerRegistry.cellFactory(registered.substring(registered.indexOf('>') + 1));
            if (user != null) {
                c.refuseIfSet("stateful", "zero_output_for_mask");
                return new org.rnn4j.layers.recurrent.ComposedRNN(user.apply(cc))
                        .returnSequences(c.getBool("return_sequences", false)).returnState(c.getBool("return_state", false))
                        .goBackwards(c.getBool("go_backwards", false));
            }
            CellRNN l = rnnOptions(new CellRNN(cell(cc)), c);
            return cellOptions(l, cc);
        }
        if (!list.isArray() || list.isEmpty()) throw c.error("StackedRNNCells needs a non-empty list \"cells\", got " + list);
        List<LayerConfig> configs = new ArrayList<>();
        List<RecurrentCell> cells = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode one : list) {
            LayerConfig cc = cellConfig(c, one);
            configs.add(cc);
            cells.add(cell(cc));
        }
        c.refuseIfSet(UNSUPPORTED);
        c.refuseIfSet("zero_output_for_mask");
        StackedRNN s = new StackedRNN(cells).returnSequences(c.getBool("return_sequences", false))
                .returnState(c.getBool("return_state", false)).goBackwards(c.getBool("go_backwards", false))
                .stateful(c.getBool("stateful", false));
        for (int i = 0; i < cells.size(); i++) cellOptions(s.cellLayers().get(i), configs.get(i));
        return s;
    }

    private static LayerConfig cellConfig(LayerConfig c, com.fasterxml.jackson.databind.JsonNode spec) {
        if (!spec.isObject() || !spec.path("class_name").isTextual()) {
            throw c.error("a cell must be {\"class_name\", \"config\"}, got " + LayerRegistry.abbreviate(spec.toString()));
        }
        return new LayerConfig(spec.get("class_name").asText(), spec.path("config"), c.version());
    }

    /** A built-in cell from its config: the options of the equivalent layer. */
    private static RecurrentCell cell(LayerConfig cc) {
        int units = cc.getInt("units", -1);
        RecurrentCell cell;
        switch (cc.className()) {
            case "LSTMCell":
                cell = new LSTMCell(units)
                        .recurrentActivation(cc.activation("recurrent_activation", defaultRecurrentActivation(cc)).name())
                        .unitForgetBias(cc.getBool("unit_forget_bias", true));
                break;
            case "GRUCell":
                cell = new GRUCell(units)
                        .recurrentActivation(cc.activation("recurrent_activation", defaultRecurrentActivation(cc)).name())
                        .resetAfter(cc.getBool("reset_after", cc.version().major() >= 3));
                break;
            case "SimpleRNNCell":
                cell = new SimpleRNNCell(units);
                break;
            default:
                throw cc.error("RNN cell class \"" + cc.className() + "\" is not supported; rnn4j has LSTMCell, GRUCell, "
                        + "SimpleRNNCell and StackedRNNCells of them, and user cells registered with "
                        + "LayerRegistry.registerCell(\"" + cc.className() + "\", ...) (never code from the file)");
        }
        return cell.activation(cc.activation("activation", "tanh").name()).useBias(cc.getBool("use_bias", true))
                .kernelInitializer(cc.initializer("kernel_initializer", "glorot_uniform"))
                .recurrentInitializer(cc.initializer("recurrent_initializer", "orthogonal"))
                .biasInitializer(cc.initializer("bias_initializer", "zeros"));
    }

    /** The options Keras keeps in a cell's config that rnn4j's driver applies: dropout, regularizers, constraints. */
    private static CellRNN cellOptions(CellRNN l, LayerConfig cc) {
        l.dropout(cc.getDouble("dropout", 0.0));
        l.recurrentDropout(cc.getDouble("recurrent_dropout", 0.0));
        l.kernelRegularizer(cc.regularizer("kernel_regularizer"));
        l.recurrentRegularizer(cc.regularizer("recurrent_regularizer"));
        l.biasRegularizer(cc.regularizer("bias_regularizer"));
        l.kernelConstraint(cc.constraint("kernel_constraint"));
        l.recurrentConstraint(cc.constraint("recurrent_constraint"));
        l.biasConstraint(cc.constraint("bias_constraint"));
        return l;
    }

    /**
     * Keras's Embedding ({@code embeddings_initializer} "uniform" = RandomUniform(-0.05, 0.05)).
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Embedding embedding(LayerConfig c) {
        c.refuseIfSet("embeddings_regularizer", "embeddings_constraint", "activity_regularizer", "lora_rank", "sparse");
        Embedding e = new Embedding(c.getInt("input_dim", -1), c.getInt("output_dim", -1), c.getBool("mask_zero", false));
        e.embeddingsInitializer(c.initializer("embeddings_initializer", "random_uniform", "init"));
        return e;
    }

    /** Keras 2.0-2.2 and TensorFlow.js default to hard_sigmoid; Keras 2.3+ and 3 to sigmoid (and write it anyway). */
    static String defaultRecurrentActivation(LayerConfig c) {
        return c.version().major() >= 3 ? "sigmoid" : "hard_sigmoid";
    }

    /**
     * The options of Keras's RNN driver, shared by LSTM, GRU and SimpleRNN: {@code return_sequences},
     * {@code return_state}, {@code go_backwards}, {@code stateful}, {@code dropout}, {@code recurrent_dropout},
     * {@code zero_output_for_mask}. {@code unroll} and {@code implementation} change speed, not results, and are
     * ignored. Also the regularizers and constraints of {@code kernel}, {@code recurrent_kernel} and {@code bias}.
     * Thread-confined: configures a new layer during one load.
     */
    public static <L extends RNN<L>> L rnnOptions(L layer, LayerConfig c) {
        c.refuseIfSet(UNSUPPORTED);
        layer.returnSequences(c.getBool("return_sequences", false));
        layer.returnState(c.getBool("return_state", false));
        layer.goBackwards(c.getBool("go_backwards", false));
        layer.stateful(c.getBool("stateful", false));
        layer.dropout(c.getDouble("dropout", 0.0, "dropout_W"));
        layer.recurrentDropout(c.getDouble("recurrent_dropout", 0.0, "dropout_U"));
        layer.zeroOutputForMask(c.getBool("zero_output_for_mask", false));
        layer.kernelRegularizer(c.regularizer("kernel_regularizer", "W_regularizer"));
        layer.recurrentRegularizer(c.regularizer("recurrent_regularizer", "U_regularizer"));
        layer.biasRegularizer(c.regularizer("bias_regularizer", "b_regularizer"));
        layer.kernelConstraint(c.constraint("kernel_constraint"));
        layer.recurrentConstraint(c.constraint("recurrent_constraint"));
        layer.biasConstraint(c.constraint("bias_constraint"));
        return layer;
    }

    /** The options every layer has: {@code name}, {@code trainable} and the input shape of a first layer. */
    static void commonOptions(Layer layer, LayerConfig c) {
        String name = c.name();
        if (name != null && !name.isBlank()) layer.name(name);
        layer.setTrainable(c.getBool("trainable", true));
        String quantized = DtypePolicy.quantizationMode(c);
        if (quantized != null) {
            try {
                layer.quantizeOnBuild(quantized);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw c.error(e.getMessage());
            }
        }
        org.rnn4j.regularizers.Regularizer activity = c.regularizer("activity_regularizer");
        if (activity != null) layer.activityRegularizer(activity);
        int[] batchShape = c.getShape("batch_input_shape", "batch_shape");
        if (batchShape != null) {
            applyInputShape(layer, c, batchShape[0], java.util.Arrays.copyOfRange(batchShape, 1, batchShape.length));
            return;
        }
        int[] shape = c.getShape("input_shape");
        if (shape == null && layer instanceof org.rnn4j.layers.Embedding) {
            // Embedding's input_dim is its vocabulary; Keras 2's input_length is its one input axis.
            if (c.has("input_length")) shape = new int[] {c.getInt("input_length", -1)};
        } else if (shape == null && c.has("input_dim")) {
            // Keras 1: input_dim (and input_length for recurrent layers).
            int dim = c.getInt("input_dim", -1);
            shape = c.has("input_length") ? new int[] {c.getInt("input_length", -1), dim} : new int[] {dim};
        }
        if (shape != null) applyInputShape(layer, c, -1, shape);
    }

    private static void applyInputShape(Layer layer, LayerConfig c, int batch, int[] shape) {
        // A free dimension (null: a variable number of timesteps) is allowed here; each layer refuses what it cannot
        // build (an RNN needs its features, a Dense its last axis).
        if (shape.length > 0 && shape[shape.length - 1] <= 0) {
            throw c.error("rnn4j needs the last input dimension to be known, got "
                    + org.rnn4j.tensor.Shapes.toString(org.rnn4j.tensor.Shapes.withBatch(batch, shape)));
        }
        if (batch > 0) {
            layer.batchInputShape(batch, shape);
        } else {
            layer.inputShape(shape);
        }
    }
}
