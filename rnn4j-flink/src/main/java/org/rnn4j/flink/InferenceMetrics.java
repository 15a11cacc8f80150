package org.rnn4j.flink;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The operator's metrics, in group {@code rnn4j} of its Flink metric group: {@code events} (counter) and
 * {@code eventsPerSecond} (meter), {@code batchSize} and {@code stepLatencyMicros} (histograms of each batched
 * step call), {@code keysCreated} (keys that started with a fresh state: new, expired or reset by a model swap),
 * {@code keysReset} (explicit resets), {@code cachedKeys} (decoded states held in memory) and {@code modelVersion}.
 *
 * <p>Not thread-safe: confine to the operator's task thread.
 */
final class InferenceMetrics {
    final Counter events;
    final Meter eventsPerSecond;
    final Histogram batchSize;
    final Histogram stepLatencyMicros;
    final Counter keysCreated;
    final Counter keysReset;

    InferenceMetrics(MetricGroup parent, java.util.function.IntSupplier cachedKeys, java.util.function.LongSupplier modelVersion) {
        MetricGroup g = parent.addGroup("rnn4j");
        events = g.counter("events");
        eventsPerSecond = g.meter("eventsPerSecond", new MeterView(events));
        batchSize = g.histogram("batchSize", new DescriptiveStatisticsHistogram(1000));
        stepLatencyMicros = g.histogram("stepLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        keysCreated = g.counter("keysCreated");
        keysReset = g.counter("keysReset");
        g.gauge("cachedKeys", cachedKeys::getAsInt);
        g.gauge("modelVersion", modelVersion::getAsLong);
    }
}
