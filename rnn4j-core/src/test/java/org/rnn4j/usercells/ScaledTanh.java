package org.rnn4j.usercells;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rnn4j.autodiff.Params;
import org.rnn4j.autodiff.Var;
import org.rnn4j.autodiff.WeightFactory;
import org.rnn4j.layers.ComposedLayer;
import org.rnn4j.layers.Weight;

/** A user layer outside the library: {@code y = tanh(x·kernel + bias) * gate}, gate one weight per unit. */
public final class ScaledTanh extends ComposedLayer {
    private final int units;
    private Weight kernel, bias, gate;

    public ScaledTanh(int units) {
        super("scaled_tanh");
        this.units = units;
    }

    @Override public String className() { return "ScaledTanh"; }

    @Override
    protected void build(WeightFactory w, int inputDim) {
        kernel = w.add("kernel", new int[] {inputDim, units}, "glorot_uniform");
        bias = w.add("bias", new int[] {units}, "random_uniform");
        gate = w.add("gate", new int[] {units}, "random_normal");
    }

    @Override protected int outputDim(int inputDim) { return units; }

    @Override
    protected Var call(Var x, Params p) { return x.matmul(p.of(kernel)).add(p.of(bias)).tanh().mul(p.of(gate)); }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        return c;
    }
}
