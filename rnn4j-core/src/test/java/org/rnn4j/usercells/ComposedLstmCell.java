package org.rnn4j.usercells;

import java.util.Map;
import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.autodiff.WeightFactory;
import org.rnn4j.initializers.Initializer;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.ComposedCell;

/** An LSTM cell written as a user would, outside the library's packages, from primitives only (no backward). */
public final class ComposedLstmCell extends ComposedCell {
    private final int units;
    private Weight kernel, recurrentKernel, bias;

    public ComposedLstmCell(int units) { this.units = units; }

    @Override public String className() { return "ComposedLstmCell"; }

    @Override public int[] stateSizes() { return new int[] {units, units}; }

    @Override
    public void build(WeightFactory w, int inputDim) {
        kernel = w.add("kernel", new int[] {inputDim, 4 * units}, "glorot_uniform");
        recurrentKernel = w.add("recurrent_kernel", new int[] {units, 4 * units}, "orthogonal");
        bias = w.add("bias", new int[] {4 * units}, Initializer.zeros());
    }

    @Override
    public Var[] call(Var x, Var[] states, Params p) {
        Var z = x.matmul(p.of(kernel)).add(states[0].matmul(p.of(recurrentKernel))).add(p.of(bias));
        Var i = z.slice(0, units).sigmoid(), f = z.slice(units, 2 * units).sigmoid();
        Var g = z.slice(2 * units, 3 * units).tanh(), o = z.slice(3 * units, 4 * units).sigmoid();
        Var c = f.mul(states[1]).add(i.mul(g));
        Var h = o.mul(c.tanh());
        return new Var[] {h, h, c};
    }

    @Override public Map<String, Object> getConfig() { return Map.of("units", units); }
}
