package org.rnn4j.callbacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's History: per-epoch values of the loss, metrics and their {@code val_} counterparts. {@code fit} returns it.
 *
 * <pre>{@code
 * History h = model.fit(x, y, new FitOptions().epochs(5));
 * double last = h.last("loss");
 * }</pre>
 *
 * <p>Thread safety: not thread-safe: confined to the fit call it records; read it after fit returns.
 */
public final class History implements Callback {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();

    /** Thread-confined: called by the fit/evaluate/predict call the callback was given to, on its thread. */
    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /**
     * All series, keyed by name, in the order they first appeared.
     * Not thread-safe: read after fit returns or from its own callbacks, on the fit thread.
     */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        history.forEach((k, v) -> out.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The values of one key per epoch.
     * Not thread-safe: read after fit returns or from its own callbacks, on the fit thread.
     */
    public List<Double> get(String key) {
        List<Double> v = history.get(key);
        if (v == null) {
            throw new IllegalArgumentException("History has no key '" + key + "'; it has " + history.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /**
     * The last epoch's value of a key.
     * Not thread-safe: read after fit returns or from its own callbacks, on the fit thread.
     */
    public double last(String key) {
        List<Double> v = get(key);
        return v.get(v.size() - 1);
    }

    /**
     * The epochs recorded (0-based).
     * Not thread-safe: read after fit returns or from its own callbacks, on the fit thread.
     */
    public List<Integer> epochs() { return Collections.unmodifiableList(epochs); }

    /** Not thread-safe: read after fit returns or from its own callbacks, on the fit thread. */
    @Override
    public String toString() { return "History" + history; }
}
