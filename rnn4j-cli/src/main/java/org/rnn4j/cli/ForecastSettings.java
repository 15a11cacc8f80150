package org.rnn4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.data.Scaler;
import org.rnn4j.models.Model;

/**
 * What a CLI-trained model needs besides its weights to read a CSV again: the columns, the window and horizon, the
 * differencing, the split fractions and the fitted scaler. Saved in the model's attachments under
 * {@value #KEY}, so {@code evaluate} and {@code forecast} need only the {@code .keras} file.
 *
 * <pre>{@code
 * settings.attachTo(model);  model.save(path);
 * ForecastSettings again = ForecastSettings.of(Models.load(path), path.toString());
 * }</pre>
 */
final class ForecastSettings {
    static final String KEY = "rnn4j_forecast";

    String target;
    List<String> features = List.of();
    int window;
    int horizon = 1;
    /** Lag of the differencing applied before scaling (0 = none, 1 = step-to-step changes). */
    int difference;
    double validationSplit;
    double testSplit;
    String modelSpec;
    Scaler scaler;

    /** Target then features: the model's input columns, in order. */
    List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add(target);
        for (String f : features) if (!c.contains(f)) c.add(f);
        return c;
    }

    void attachTo(Model model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("features", features);
        m.put("window", window);
        m.put("horizon", horizon);
        m.put("difference", difference);
        m.put("validation_split", validationSplit);
        m.put("test_split", testSplit);
        m.put("model_spec", modelSpec);
        m.put("scaler", scaler.toMap());
        model.attachments().put(KEY, m);
    }

    /** The settings saved with a model; {@code file} names it in the error when it has none. */
    @SuppressWarnings("unchecked")
    static ForecastSettings of(Model model, String file) {
        Object o = model.attachments().get(KEY);
        if (!(o instanceof Map)) {
            throw new UserInputException(file + ": this model was not trained by `rnn4j fit` (it has no \"" + KEY
                    + "\" settings), so the CSV columns, window and scaling it expects are unknown");
        }
        Map<String, Object> m = (Map<String, Object>) o;
        try {
            ForecastSettings s = new ForecastSettings();
            s.target = (String) m.get("target");
            s.features = List.copyOf((List<String>) m.get("features"));
            s.window = count(m.get("window"), "window", 1);
            s.horizon = count(m.get("horizon"), "horizon", 1);
            s.difference = count(m.get("difference"), "difference", 0);
            s.validationSplit = ((Number) m.get("validation_split")).doubleValue();
            s.testSplit = ((Number) m.get("test_split")).doubleValue();
            s.modelSpec = (String) m.get("model_spec");
            s.scaler = Scaler.fromMap((Map<String, Object>) m.get("scaler"));
            if (s.target == null || s.window <= 0 || s.horizon <= 0) throw new IllegalArgumentException("incomplete");
            return s;
        } catch (RuntimeException e) {
            String text = String.valueOf(m);
            throw new UserInputException(file + ": the saved \"" + KEY + "\" settings are damaged (" + e.getMessage() + "): "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
    }

    /** A whole number from the settings between {@code min} and the CLI's limit for integer options. */
    private static int count(Object v, String name, int min) {
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < min
                || n.doubleValue() > Main.MAX_INT_OPTION) {
            throw new IllegalArgumentException(name + " must be a whole number between " + min + " and " + Main.MAX_INT_OPTION + ", got " + v);
        }
        return n.intValue();
    }
}
