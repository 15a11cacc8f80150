package org.rnn4j.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.rnn4j.io.KerasArchive;
import org.rnn4j.io.KerasH5;
import org.rnn4j.io.ModelFormat;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.io.ModelFormats;
import org.rnn4j.io.Tfjs;

/**
 * Loading and saving whole models, whatever the file: Keras 3 {@code .keras} archives (rnn4j's own format),
 * Keras 1/2 {@code .h5} files, Keras 2 JSON config + weights {@code .h5}, and TensorFlow.js {@code model.json}
 * (+ {@code .bin} shards). The format is recognised from the file's first bytes, not its name, except for formats
 * in their own modules ({@link ModelFormat}: {@code .onnx} with {@code rnn4j-onnx} on the classpath), which go by
 * extension. Every failure to read a file is a {@link ModelFormatException} naming the file and what is wrong.
 *
 * <pre>{@code
 * model.save(Path.of("forecast.keras"));                 // atomic: a kill mid-save keeps the old file
 * Model m = Models.load(Path.of("forecast.keras"));       // weights, compile settings, optimizer state, attachments
 * Model k = Models.load(Path.of("keras2_model.h5"));     // import
 * Models.save(m, Path.of("web/model.json"));             // export to TensorFlow.js
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state); concurrent saves to one path are not coordinated (the last
 * one wins, atomically).
 */
public final class Models {
    private Models() {}

    /**
     * Loads a model from a {@code .keras}, {@code .h5}, TensorFlow.js {@code model.json} (or its directory), or a
     * file of a format module on the classpath ({@code .onnx}). Thread-safe: may be called concurrently.
     */
    public static Model load(Path path) {
        java.util.Optional<ModelFormat> format = ModelFormats.require(path);
        if (format.isPresent()) {
            if (!Files.exists(path)) throw new ModelFormatException("No such file: " + path);
            return format.get().load(path);
        }
        if (Files.isDirectory(path)) {
            Path json = path.resolve("model.json");
            if (Files.exists(json)) return Tfjs.load(json);
            throw new ModelFormatException(path + ": a directory without model.json");
        }
        byte[] head = head(path);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K') return KerasArchive.load(path);
        if (head.length >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KerasH5.load(path);
        }
        int i = 0;
        while (i < head.length && Character.isWhitespace(head[i])) i++;
        if (i < head.length && head[i] == '{') {
            String text = readSmall(path);
            if (text.contains("\"modelTopology\"")) return Tfjs.load(path);
            throw new ModelFormatException(path + ": a JSON model config without weights; load it with its weights: "
                    + "Models.load(config, weightsH5)");
        }
        throw new ModelFormatException(path + ": not a model file rnn4j knows (.keras archive, Keras .h5, TensorFlow.js "
                + "model.json)");
    }

    /**
     * Loads a Keras 2 model from its JSON config ({@code model.to_json()}) and weights-only {@code .h5}.
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    public static Model load(Path configJson, Path weightsH5) {
        return KerasH5.load(configJson, weightsH5);
    }

    /**
     * Saves the whole model. {@code .keras}: Keras 3's archive (architecture, weights, compile settings, optimizer
     * state, attachments). {@code .json} or a directory: TensorFlow.js's layers-model format (architecture and
     * weights). A format module's extension ({@code .onnx} with {@code rnn4j-onnx} on the classpath): that format.
     * The file is written to a temporary file and renamed over the target. Not thread-safe for one model: do not
     * train it meanwhile.
     */
    public static void save(Model model, Path path) {
        java.util.Optional<ModelFormat> format = ModelFormats.require(path);
        String fileName = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (model.quantizationMode() != null && !fileName.endsWith(".keras")) {
            // Only the Keras 3 archive has int8 variables and quantized dtype policies.
            throw new IllegalArgumentException("save: model \"" + model.name() + "\" is quantized to int8; save it as a "
                    + ".keras archive (or its weights as .weights.h5), not \"" + path + "\"");
        }
        if (format.isPresent()) {
            format.get().save(model, path);
            return;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras")) {
            KerasArchive.save(model, path);
        } else if (name.endsWith(".json") || Files.isDirectory(path)) {
            Tfjs.save(model, path);
        } else {
            throw new IllegalArgumentException("save: \"" + path + "\" must end in .keras (Keras 3 archive), .json / be a "
                    + "directory (TensorFlow.js), or .onnx (with the rnn4j-onnx module)");
        }
    }

    private static byte[] head(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(64);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("No such file: " + path);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readSmall(Path path) {
        try {
            if (Files.size(path) > 64 << 20) throw new ModelFormatException(path + ": too large for a model.json");
            return Files.readString(path);
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }
}
