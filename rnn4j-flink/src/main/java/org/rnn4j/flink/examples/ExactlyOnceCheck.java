package org.rnn4j.flink.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rnn4j.flink.Prediction;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;

/**
 * Checks a job's predictions against stepping every key alone in this process: each generated event must have
 * exactly one prediction (none missing, none twice) whose output is within the tolerance of the one-key reference.
 *
 * <p>Thread-safe: stateless.
 */
public final class ExactlyOnceCheck {
    private ExactlyOnceCheck() {}

    /** The outcome: mismatches = missing + duplicated + wrong (beyond tolerance) + unexpected predictions. */
    public record Result(int keys, long events, long missing, long duplicated, long wrong, long unexpected, double maxError) {
        public long mismatches() { return missing + duplicated + wrong + unexpected; }
    }

    /** The predictions in the committed files under {@code dir} (in-progress and pending files, named ".*", left out). */
    public static List<Prediction> readCommitted(Path dir) {
        List<Prediction> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(f) || f.getFileName().toString().startsWith(".")) continue;
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) out.add(EventCsv.parsePrediction(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading predictions under " + dir, e);
        }
        return out;
    }

    private static boolean validKey(String key, int keys) {
        if (!key.startsWith("k")) return false;
        try {
            int k = Integer.parseInt(key.substring(1));
            return k >= 0 && k < keys;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Compares predictions for the generator's {@code keys x steps} events with stepping each key alone on {@code model}. */
    public static Result check(List<Prediction> predictions, Model model, int keys, int steps, int featureCount, double tolerance) {
        Map<String, Prediction[]> byKey = new HashMap<>();
        long duplicated = 0, unexpected = 0;
        for (Prediction p : predictions) {
            Prediction[] row = byKey.computeIfAbsent(p.key, k -> new Prediction[steps]);
            if (p.seq < 0 || p.seq >= steps || !validKey(p.key, keys)) {
                unexpected++;
            } else if (row[(int) p.seq] != null) {
                duplicated++;
            } else {
                row[(int) p.seq] = p;
            }
        }
        long missing = 0, wrong = 0;
        double maxError = 0;
        for (int k = 0; k < keys; k++) {
            Prediction[] row = byKey.get("k" + k);
            RecurrentState s = model.newState();
            for (int t = 0; t < steps; t++) {
                float[] y = model.step(s, InferenceJob.features(k, t, featureCount));
                Prediction p = row == null ? null : row[t];
                if (p == null) {
                    missing++;
                    continue;
                }
                double err = 0;
                if (p.output.length != y.length || p.steps != t + 1) {
                    err = Double.POSITIVE_INFINITY;
                } else {
                    for (int j = 0; j < y.length; j++) err = Math.max(err, Math.abs(p.output[j] - y[j]));
                }
                maxError = Math.max(maxError, err);
                if (!(err <= tolerance)) wrong++;
            }
        }
        return new Result(keys, predictions.size(), missing, duplicated, wrong, unexpected, maxError);
    }
}
