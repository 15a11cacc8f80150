package org.rnn4j.flink;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.models.Sequential;

/** Small seeded models saved as files, seeded event streams, and the one-key-at-a-time reference. */
final class TestModels {
    static final int FEATURES = 3;

    private TestModels() {}

    /** LSTM(units) -> Dense(2), weights from the seed, saved as {@code name}.keras in {@code dir}; returns its URI. */
    static String lstm(Path dir, String name, int units, long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential(new LSTM(units).inputShape(50, FEATURES), new Dense(2));
        Path file = dir.resolve(name + ".keras");
        Models.save(m, file);
        return file.toUri().toString();
    }

    /** Features of event {@code t} of key {@code k}: a deterministic function, so any process can recompute them. */
    static float[] features(int k, int t) {
        return org.rnn4j.flink.examples.InferenceJob.features(k, t, FEATURES);
    }

    /** Keys x steps events, interleaved: step 0 of every key, then step 1, ...; seq = t. */
    static List<StreamEvent> interleaved(int keys, int steps) {
        List<StreamEvent> out = new ArrayList<>(keys * steps);
        for (int t = 0; t < steps; t++) for (int k = 0; k < keys; k++) out.add(new StreamEvent("k" + k, t, features(k, t)));
        return out;
    }

    /** Outputs of stepping one key's sequence alone, from a fresh state. */
    static float[][] alone(Model model, int k, int steps) {
        RecurrentState s = model.newState();
        float[][] y = new float[steps][];
        for (int t = 0; t < steps; t++) y[t] = model.step(s, features(k, t));
        return y;
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }
}
