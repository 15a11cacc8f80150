package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;

/**
 * The models {@code --model} names: a stack of recurrent layers {@code KIND:UNITS[,KIND:UNITS...]} (every layer but
 * the last returns sequences) followed by {@code Dense(horizon)}, or a Keras model JSON file
 * ({@code model.to_json()}) whose input is {@code (window, columns)} and output {@code horizon} values.
 *
 * <pre>{@code
 * Model m = ModelSpecs.build("lstm:64,lstm:32", 12, 1, 1);   // LSTM(64, return_sequences) -> LSTM(32) -> Dense(1)
 * }</pre>
 */
final class ModelSpecs {
    private static final String EXPECTED = "expected lstm:UNITS, gru:UNITS or simplernn:UNITS, comma-separated for a stack "
            + "(e.g. lstm:64,lstm:32), or a Keras model JSON file";

    /** Units of one recurrent layer: beyond this its weights alone would not fit in memory. */
    static final int MAX_UNITS = 100_000;

    private ModelSpecs() {}

    static Model build(String spec, int window, int columns, int horizon) {
        String s = spec.strip();
        if (s.toLowerCase(Locale.ROOT).endsWith(".json") || (Files.isRegularFile(Path.of(s)) && !s.contains(":"))) {
            return fromJson(Path.of(s), window, columns, horizon);
        }
        List<String> parts = Arrays.asList(s.split(","));
        Sequential model = new Sequential();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i).strip();
            int colon = part.indexOf(':');
            String kind = colon < 0 ? part : part.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (colon < 0) throw new UserInputException("--model \"" + spec + "\": \"" + part + "\" has no units; " + EXPECTED);
            int units;
            try {
                units = Integer.parseInt(part.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw new UserInputException("--model \"" + spec + "\": the units of \"" + part + "\" must be a whole number; " + EXPECTED);
            }
            if (units <= 0 || units > MAX_UNITS) {
                throw new UserInputException("--model \"" + spec + "\": the units of \"" + part + "\" must be between 1 and " + MAX_UNITS);
            }
            boolean last = i == parts.size() - 1;
            Layer layer = recurrent(kind, units, !last, spec);
            if (i == 0) layer.inputShape(window, columns);
            model.add(layer);
        }
        model.add(new Dense(horizon));
        return model;
    }

    private static Layer recurrent(String kind, int units, boolean returnSequences, String spec) {
        switch (kind) {
            case "lstm": return new LSTM(units).returnSequences(returnSequences);
            case "gru": return new GRU(units).returnSequences(returnSequences);
            case "simplernn": return new SimpleRNN(units).returnSequences(returnSequences);
            default:
                throw new UserInputException("--model \"" + spec + "\": unknown layer \"" + kind + "\"; " + EXPECTED);
        }
    }

    private static Model fromJson(Path file, int window, int columns, int horizon) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserInputException("--model " + file + ": " + (Files.exists(file) ? "cannot be read" : "no such file") + "; "
                    + EXPECTED);
        }
        Model model;
        try {
            model = ModelConfig.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--model " + file + ": " + e.getMessage());
        }
        if (model instanceof Sequential seq && seq.inputShape() != null) {
            int[] expected = {window, columns};
            // inputShape() includes the batch axis; the windows fix only the rest.
            if (!Arrays.equals(Shapes.dropBatch(seq.inputShape()), expected)) {
                throw new UserInputException("--model " + file + ": the model takes inputs of shape "
                        + Shapes.toString(seq.inputShape()) + " but --window " + window + " with "
                        + columns + " column(s) gives " + Shapes.toString(Shapes.withBatch(Shapes.NONE, expected)));
            }
            int[] out = model.outputShapes().get(0);
            if (out.length != 2 || out[1] != horizon) {
                throw new UserInputException("--model " + file + ": the model outputs shape " + Shapes.toString(out)
                        + " but --horizon " + horizon + " needs (None, " + horizon + ")");
            }
        }
        return model;
    }
}
