package org.rnn4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's L1: {@code l1 * sum(|x|)}, default 0.01.
 *
 * <pre>{@code
 * model.add(new Dense(8).kernelRegularizer(new L1(0.01)));   // or kernelRegularizer("l1")
 * }</pre>
 */
public final class L1 extends L1L2 {
    public L1(double l1) { super(l1, 0); }

    @Override public String className() { return "L1"; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l1", l1);
        return c;
    }
}
