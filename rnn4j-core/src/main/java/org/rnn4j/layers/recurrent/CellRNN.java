package org.rnn4j.layers.recurrent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's generic {@code RNN(cell)} layer with one built-in cell ({@link LSTMCell}, {@link GRUCell},
 * {@link SimpleRNNCell}): the same driver and fused kernels as {@link LSTM}, {@link GRU}, {@link SimpleRNN}, so the
 * same numbers; only the class name ({@code RNN}) and the config (the cell's options nested under {@code cell}) differ.
 * For several cells see {@link StackedRNN}.
 *
 * <pre>{@code
 * model.add(RNN.of(new LSTMCell(16).recurrentActivation("hard_sigmoid")).returnSequences(true).inputShape(20, 3));
 * }</pre>
 *
 * <p>Thread safety: configure the layer (constructor and option setters) on one thread before sharing it; not
 * thread-safe meanwhile. Once built, inference-mode calls are thread-safe: each call keeps its intermediates in its
 * own {@link org.rnn4j.layers.Pass} (thread-confined) and only reads the weights, so concurrent calls return exactly
 * what each returns alone. Training-mode calls run on the model's one training thread.
 */
public final class CellRNN extends RNN<CellRNN> {
    /** Keys of {@link RNN#getConfig} that Keras keeps in the cell's config. */
    private static final List<String> CELL_KEYS = List.of("units", "kernel_regularizer", "recurrent_regularizer",
            "bias_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout");

    /** Not thread-safe: build and configure on one thread. */
    public CellRNN(RecurrentCell cell) {
        this("rnn", cell);
    }

    /** With a naming prefix other than {@code rnn} (the layers of a {@link StackedRNN}). */
    CellRNN(String name, RecurrentCell cell) {
        super(name, checked(cell));
    }

    private static RecurrentCell checked(RecurrentCell cell) {
        if (cell == null) throw new IllegalArgumentException("RNN needs a cell, got null");
        return cell;
    }

    @Override
    protected CellRNN newLayerLikeThis(String name) { return new CellRNN(name, cell.copy()); }

    /** Thread-safe: a constant. */
    @Override
    public String className() { return "RNN"; }

    /** Keras's {@code to_snake_case}: {@code SimpleRNNCell} -> {@code simple_rnn_cell}. */
    static String snake(String className) {
        return className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Keras 3's config: the driver's options, and {@code cell: {"class_name": "LSTMCell", "config": {...}}}.
     * Thread-safe: reads configuration fixed before sharing.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> all = super.getConfig();
        Map<String, Object> cellConfig = new LinkedHashMap<>();
        cellConfig.put("name", snake(cell.className()));
        cellConfig.put("trainable", trainable());
        cellConfig.put("dtype", "float32");
        cellConfig.put("units", cell.units());
        cellConfig.putAll(cell.config());
        for (String k : CELL_KEYS) if (all.containsKey(k)) cellConfig.put(k, all.remove(k));
        for (String k : cell.config().keySet()) all.remove(k);
        all.remove("seed");
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("module", "keras.layers");
        wrapped.put("class_name", cell.className());
        wrapped.put("config", cellConfig);
        wrapped.put("registered_name", null);
        all.put("cell", wrapped);
        return all;
    }
}
