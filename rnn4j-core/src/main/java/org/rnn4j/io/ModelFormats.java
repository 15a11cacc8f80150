package org.rnn4j.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The {@link ModelFormat}s on the classpath, looked up by file extension. Formats rnn4j knows of but ships in
 * another module are named here, so a missing module is a clear error rather than "unknown file".
 *
 * <pre>{@code
 * Path p = Path.of("model.onnx");
 * ModelFormat f = ModelFormats.require(p)   // without rnn4j-onnx: "model.onnx: .onnx files need the org.rnn4j:rnn4j-onnx module ..."
 *         .orElseThrow(() -> new IllegalArgumentException("no format for " + p));
 * f.save(model, p);
 * }</pre>
 *
 * <p>Thread safety: thread-safe (no shared mutable state): concurrent loads and saves are independent; concurrent
 * saves to one path are not coordinated (the last one wins). Saving reads the model's weights: do not train it
 * meanwhile.
 */
public final class ModelFormats {
    /** Extensions of the formats in optional modules, and the module (Maven artifact) that provides each. */
    private static final Map<String, String> MODULES = Map.of(".onnx", "org.rnn4j:rnn4j-onnx");

    private static volatile List<ModelFormat> formats;

    private ModelFormats() {}

    /** Thread-safe. The format for the path's extension, if one is on the classpath. */
    public static Optional<ModelFormat> forPath(Path path) {
        String ext = extension(path);
        if (ext.isEmpty()) return Optional.empty();
        for (ModelFormat f : all()) {
            if (f.extension().equalsIgnoreCase(ext)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /**
     * Thread-safe. The format for the path, or an error naming the module to add when the extension belongs to a
     * format in a module that is not on the classpath; empty for extensions no module claims.
     */
    public static Optional<ModelFormat> require(Path path) {
        Optional<ModelFormat> f = forPath(path);
        String module = MODULES.get(extension(path));
        if (f.isEmpty() && module != null) {
            throw new ModelFormatException(path + ": " + extension(path) + " files need the " + module
                    + " module on the classpath (add the dependency " + module + ")");
        }
        return f;
    }

    private static List<ModelFormat> all() {
        List<ModelFormat> list = formats;
        if (list == null) {
            list = ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader()).stream()
                    .map(ServiceLoader.Provider::get).toList();
            formats = list;
        }
        return list;
    }

    private static String extension(Path path) {
        Path name = path.getFileName();
        if (name == null) return "";
        String s = name.toString().toLowerCase(Locale.ROOT);
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot);
    }
}
