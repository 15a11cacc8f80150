package org.rnn4j.layers.recurrent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.autodiff.WeightFactory;
import org.rnn4j.layers.Weight;

/**
 * A recurrent cell written by composing {@link Var} primitives, Keras's custom-cell pattern: declare the state
 * sizes, create weights in {@link #build}, compute one step in {@link #call}. Gradients come from the primitives; no
 * backward is written. Run it with {@link ComposedRNN} ({@code RNN.of(cell)}); for save and load, register a
 * factory under {@link #className()} with {@code LayerRegistry.registerCell}.
 *
 * <pre>{@code
 * class MinimalRNNCell extends ComposedCell {
 *     final int units; Weight kernel, recurrentKernel;
 *     MinimalRNNCell(int units) { this.units = units; }
 *     public String className() { return "MinimalRNNCell"; }
 *     public int[] stateSizes() { return new int[] {units}; }
 *     public void build(WeightFactory w, int inputDim) {
 *         kernel = w.add("kernel", new int[] {inputDim, units}, "random_uniform");
 *         recurrentKernel = w.add("recurrent_kernel", new int[] {units, units}, "random_uniform");
 *     }
 *     public Var[] call(Var x, Var[] states, Params p) {
 *         Var out = x.matmul(p.of(kernel)).add(states[0].matmul(p.of(recurrentKernel)));
 *         return new Var[] {out, out};
 *     }
 *     public Map<String, Object> getConfig() { return Map.of("units", units); }
 * }
 * }</pre>
 *
 * <p>Thread safety: a cell keeps only its configuration and its {@link Weight}s (set once in {@link #build});
 * {@link #call} must not write fields, so one cell may serve concurrent calls.
 */
public abstract class ComposedCell {
    /** The class name it is saved and registered under ({@code MinimalRNNCell}). Thread-safe: a constant. */
    public abstract String className();

    /**
     * Keras's {@code state_size}: the width of each state; the first is also the output width by default.
     * Thread-safe: a pure function of the configuration.
     */
    public abstract int[] stateSizes();

    /** Keras's {@code output_size}: the width of the output. Thread-safe: a pure function of the configuration. */
    public int outputSize() { return stateSizes()[0]; }

    /**
     * Creates the weights for inputs of {@code inputDim} features. Called once.
     * Thread-safe: runs once under the layer's lock (see Layer.build).
     */
    public abstract void build(WeightFactory weights, int inputDim);

    /**
     * One timestep for a batch: {@code input [batch, inputDim]}, {@code states[i] [batch, stateSizes()[i]]}; returns
     * the output, then the new states. Use {@code p.of(weight)} for the weights.
     * Thread-safe required of implementations: keep per-call values in the returned Vars, never in fields.
     */
    public abstract Var[] call(Var input, Var[] states, Params p);

    /**
     * Keras's {@code get_config()} of the cell (its constructor arguments); saved under the layer's {@code cell}.
     * Thread-safe: reads configuration fixed before sharing.
     */
    public Map<String, Object> getConfig() { return new LinkedHashMap<>(); }
}
