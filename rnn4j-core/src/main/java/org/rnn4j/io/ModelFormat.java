package org.rnn4j.io;

import java.nio.file.Path;
import org.rnn4j.models.Model;

/**
 * A model file format that lives in its own module (ONNX in {@code rnn4j-onnx}), found with
 * {@link java.util.ServiceLoader} so the core needs none of its dependencies: with the module on the classpath,
 * {@link org.rnn4j.models.Models#load} and {@link org.rnn4j.models.Models#save} handle its files.
 * An implementation is listed in {@code META-INF/services/org.rnn4j.io.ModelFormat}.
 *
 * <pre>{@code
 * Model m = Models.load(Path.of("forecaster.onnx"));   // works when rnn4j-onnx is on the classpath
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public interface ModelFormat {
    /**
     * The file name extension this format reads and writes, lower case with its dot (".onnx").
     * Thread-safe: no shared mutable state; concurrent calls are independent.
     */
    String extension();

    /** Thread-safe: may be called concurrently. Reads the whole model; every failure is a {@link ModelFormatException}. */
    Model load(Path path);

    /** Thread-safe for distinct models and paths. Writes the model atomically (temporary file renamed over the target). */
    void save(Model model, Path path);
}
