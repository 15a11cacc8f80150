package org.rnn4j.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Centres each column on its training mean and divides by its training standard deviation (population, as
 * scikit-learn's {@code StandardScaler}).
 *
 * <pre>{@code
 * Scaler s = new StandardScaler().fit(columns, 0, trainEnd);
 * }</pre>
 */
public final class StandardScaler extends Scaler {
    @Override
    public String className() { return "StandardScaler"; }

    @Override
    protected double[] fitColumn(float[] values, int from, int to) {
        double mean = 0;
        for (int t = from; t < to; t++) mean += values[t];
        mean /= to - from;
        double var = 0;
        for (int t = from; t < to; t++) var += (values[t] - mean) * (values[t] - mean);
        return new double[] {mean, Math.sqrt(var / (to - from))};
    }

    @Override
    protected Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", list(offset));
        m.put("scale", list(scale));
        return m;
    }

    @Override
    protected void fromConfig(Map<String, Object> config) {
        offset = array(config, "mean");
        scale = array(config, "scale");
    }
}
