package org.rnn4j.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps each column's training range {@code [min, max]} to {@code [0, 1]} (scikit-learn's {@code MinMaxScaler}).
 * Values outside the training range map outside [0, 1], which a trending series' test part often does.
 *
 * <pre>{@code
 * Scaler s = new MinMaxScaler().fit(columns, 0, trainEnd);
 * }</pre>
 */
public final class MinMaxScaler extends Scaler {
    @Override
    public String className() { return "MinMaxScaler"; }

    @Override
    protected double[] fitColumn(float[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int t = from; t < to; t++) {
            min = Math.min(min, values[t]);
            max = Math.max(max, values[t]);
        }
        return new double[] {min, max - min};
    }

    @Override
    protected Map<String, Object> config() {
        double[] max = new double[offset.length];
        for (int c = 0; c < max.length; c++) max[c] = offset[c] + scale[c];
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data_min", list(offset));
        m.put("data_max", list(max));
        return m;
    }

    @Override
    protected void fromConfig(Map<String, Object> config) {
        double[] min = array(config, "data_min"), max = array(config, "data_max");
        offset = min;
        scale = new double[min.length];
        for (int c = 0; c < min.length; c++) scale[c] = max[c] - min[c] == 0 ? 1 : max[c] - min[c];
    }
}
