package org.rnn4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's L2: {@code l2 * sum(x^2)} (no factor 1/2), default 0.01.
 *
 * <pre>{@code
 * model.add(new Dense(8).kernelRegularizer(new L2(1e-4)));   // adds 1e-4 * sum(kernel^2) to the loss
 * }</pre>
 */
public final class L2 extends L1L2 {
    public L2(double l2) { super(0, l2); }

    @Override public String className() { return "L2"; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l2", l2);
        return c;
    }
}
