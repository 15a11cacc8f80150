package org.rnn4j.optimizers.schedules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's PiecewiseConstantDecay: {@code values[0]} while {@code step <= boundaries[0]}, {@code values[i]} while
 * {@code boundaries[i-1] < step <= boundaries[i]}, {@code values[last]} after the last boundary.
 *
 * <pre>{@code
 * // 1.0 for steps 0..100000, 0.5 up to 110000, then 0.1
 * new SGD(new PiecewiseConstantDecay(new long[] {100000, 110000}, new double[] {1.0, 0.5, 0.1}));
 * }</pre>
 */
public final class PiecewiseConstantDecay extends LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (boundaries == null || values == null || boundaries.length != values.length - 1) {
            throw new IllegalArgumentException("The length of boundaries should be 1 less than the length of values. Received: "
                    + "boundaries of length " + (boundaries == null ? 0 : boundaries.length) + ", and values of length "
                    + (values == null ? 0 : values.length) + ".");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstantDecay boundaries must be strictly increasing, got "
                        + java.util.Arrays.toString(boundaries));
            }
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override public String className() { return "PiecewiseConstantDecay"; }

    @Override
    public double rate(long step) {
        for (int i = 0; i < boundaries.length; i++) if (step <= boundaries[i]) return (float) values[i];
        return (float) values[values.length - 1];
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        List<Long> b = new ArrayList<>();
        for (long v : boundaries) b.add(v);
        List<Double> v = new ArrayList<>();
        for (double x : values) v.add(x);
        c.put("boundaries", b);
        c.put("values", v);
        c.put("name", "PiecewiseConstant");
        return c;
    }

    @SuppressWarnings("unchecked")
    static PiecewiseConstantDecay fromKerasConfig(Map<String, Object> c) {
        List<Number> b = (List<Number>) c.get("boundaries");
        List<Number> v = (List<Number>) c.get("values");
        if (b == null || v == null) throw new IllegalArgumentException("PiecewiseConstantDecay config needs boundaries and values");
        long[] bs = new long[b.size()];
        for (int i = 0; i < bs.length; i++) bs[i] = b.get(i).longValue();
        double[] vs = new double[v.size()];
        for (int i = 0; i < vs.length; i++) vs[i] = v.get(i).doubleValue();
        return new PiecewiseConstantDecay(bs, vs);
    }
}
