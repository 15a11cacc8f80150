package org.rnn4j.layers.recurrent;

import java.util.List;

/**
 * Keras's {@code StackedRNNCells}: cells run in order at each timestep, cell {@code i+1} taking cell {@code i}'s
 * output. Wrap it in an RNN: {@code RNN.of(new StackedRNNCells(List.of(new LSTMCell(8), new GRUCell(4))))}
 * (the same as {@code RNN.of(List.of(...))}).
 *
 * <pre>{@code
 * model.add(RNN.of(new StackedRNNCells(List.of(new LSTMCell(8), new GRUCell(4)))).inputShape(10, 2));   // output [batch, 4]
 * }</pre>
 *
 * <p>Thread safety: configuration only; build it on one thread (not thread-safe).
 *
 * @param cells the cells, first to last; at least one
 */
public record StackedRNNCells(List<RecurrentCell> cells) {
    /** Thread-safe: the list is copied. */
    public StackedRNNCells {
        if (cells == null || cells.isEmpty()) throw new IllegalArgumentException("StackedRNNCells needs at least one cell");
        for (RecurrentCell c : cells) if (c == null) throw new IllegalArgumentException("StackedRNNCells: a cell is null");
        cells = List.copyOf(cells);
    }
}
