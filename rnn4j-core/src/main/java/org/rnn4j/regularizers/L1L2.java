package org.rnn4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's L1L2: {@code l1 * sum(|x|) + l2 * sum(x^2)}; defaults 0 and 0. The gradient of |x| at 0 is 0.
 *
 * <pre>{@code
 * model.add(new Dense(8).kernelRegularizer(new L1L2(1e-5, 1e-4)));
 * model.add(new LSTM(16).recurrentRegularizer(new L1L2(0, 1e-4)));
 * }</pre>
 */
public class L1L2 extends Regularizer {
    protected final double l1, l2;

    public L1L2(double l1, double l2) {
        this.l1 = checkFactor("l1", l1);
        this.l2 = checkFactor("l2", l2);
    }

    public double l1() { return l1; }

    public double l2() { return l2; }

    @Override public String className() { return "L1L2"; }

    @Override
    public double value(float[] x) {
        double abs = 0, sq = 0;
        for (float v : x) {
            abs += Math.abs(v);
            sq += (double) v * v;
        }
        return l1 * abs + l2 * sq;
    }

    @Override
    public void addGradient(float[] x, float[] grad) {
        float a = (float) l1, b = (float) (2 * l2);
        for (int i = 0; i < x.length; i++) grad[i] += a * Math.signum(x[i]) + b * x[i];
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l1", l1);
        c.put("l2", l2);
        return c;
    }
}
