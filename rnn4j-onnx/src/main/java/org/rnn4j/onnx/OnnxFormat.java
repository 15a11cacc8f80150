package org.rnn4j.onnx;

import java.nio.file.Path;
import org.rnn4j.io.ModelFormat;
import org.rnn4j.models.Model;

/**
 * ONNX for {@link org.rnn4j.models.Models#load} and {@link org.rnn4j.models.Models#save}: found through
 * {@link java.util.ServiceLoader} when {@code rnn4j-onnx} is on the classpath.
 *
 * <pre>{@code
 * Model m = Models.load(Path.of("pytorch_lstm.onnx"));   // PyTorch's LSTM/GRU/RNN as rnn4j layers
 * m.save(Path.of("m.onnx"));                            // to ONNX Runtime
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class OnnxFormat implements ModelFormat {
    /** Thread-safe: a constant. */
    @Override
    public String extension() { return ".onnx"; }

    /** Thread-safe: may be called concurrently. */
    @Override
    public Model load(Path path) { return OnnxImporter.load(path); }

    /** Thread-safe for distinct models and paths. */
    @Override
    public void save(Model model, Path path) { OnnxExporter.save(model, path, OnnxExporter.Options.DEFAULT); }
}
