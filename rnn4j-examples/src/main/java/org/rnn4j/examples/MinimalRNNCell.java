package org.rnn4j.examples;

import java.util.Map;
import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.autodiff.WeightFactory;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.ComposedCell;

/** The "Working with RNNs" guide's MinimalRNNCell: {@code output = x·kernel + h·recurrent_kernel}. No backward. */
public final class MinimalRNNCell extends ComposedCell {
    private final int units;
    private Weight kernel, recurrentKernel;

    public MinimalRNNCell(int units) { this.units = units; }

    @Override public String className() { return "MinimalRNNCell"; }

    @Override public int[] stateSizes() { return new int[] {units}; }

    @Override public void build(WeightFactory weights, int inputDim) {
        kernel = weights.add("kernel", new int[] {inputDim, units}, "random_uniform");
        recurrentKernel = weights.add("recurrent_kernel", new int[] {units, units}, "random_uniform");
    }

    @Override public Var[] call(Var x, Var[] states, Params p) {
        Var output = x.matmul(p.of(kernel)).add(states[0].matmul(p.of(recurrentKernel)));
        return new Var[] {output, output};
    }

    @Override public Map<String, Object> getConfig() { return Map.of("units", units); }
}
