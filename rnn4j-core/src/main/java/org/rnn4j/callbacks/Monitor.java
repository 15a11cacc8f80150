package org.rnn4j.callbacks;

import java.util.Locale;
import org.rnn4j.metrics.Metric;
import org.rnn4j.models.Model;

/**
 * Which way a monitored quantity improves, as Keras's {@code MonitorCallback._set_monitor_op}: mode min or max as
 * given; in auto mode {@code loss} and {@code val_loss} improve downwards, a compiled metric by its direction
 * (accuracies, AUC, precision, recall up; errors down); anything else is an error asking for an explicit mode.
 */
final class Monitor {
    private Monitor() {}

    static String checkMode(String callback, String mode) {
        String m = mode == null ? "auto" : mode.toLowerCase(Locale.ROOT);
        if (!m.equals("auto") && !m.equals("min") && !m.equals("max")) {
            // Keras warns and falls back to auto; an unknown mode in Java code is a typo worth failing on.
            throw new IllegalArgumentException(callback + " mode must be one of \"auto\", \"min\", \"max\", got \"" + mode + "\"");
        }
        return m;
    }

    /** True when lower values are better. */
    static boolean lowerIsBetter(String callback, String monitor, String mode, Model model) {
        if (mode.equals("min")) return true;
        if (mode.equals("max")) return false;
        String metricName = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        Boolean lower = metricName.equals("loss") ? Boolean.TRUE : null;
        if (model != null && model.isCompiled()) {
            for (String name : model.metricNames()) {
                if (!metricName.equals(name) && !metricName.endsWith("_" + name)) continue;
                String loss = model.loss() == null ? "" : model.loss().name();
                String direction = Metric.get(name, loss, 2).direction();
                if (direction != null) lower = direction.equals("down");
            }
        }
        if (lower == null) {
            throw new IllegalArgumentException(callback + " callback received monitor=" + monitor + ", but Keras isn't able "
                    + "to automatically determine whether that metric should be maximized or minimized. Pass mode \"max\" "
                    + "in order to monitor based on the highest metric value, or mode \"min\" in order to use the lowest value.");
        }
        return lower;
    }
}
