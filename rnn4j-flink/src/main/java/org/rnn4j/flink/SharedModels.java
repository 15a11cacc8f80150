package org.rnn4j.flink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;

/**
 * The models loaded in this JVM, one per URI, shared by every operator instance (task slot) that uses it: a task
 * manager with eight slots loads its model once. rnn4j's {@code step} is thread-safe across distinct states, so the
 * slots step their own keys on the one model concurrently. A model is dropped when its last user releases it.
 *
 * <p>The file is copied from its Flink file system into a local temporary directory (a TensorFlow.js
 * {@code model.json} with the files beside it) and read by {@link Models#load}.
 *
 * <p>Thread-safe: all methods may be called concurrently.
 */
public final class SharedModels {
    private static final Map<String, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    private static final class Entry {
        final StateCodec codec;
        int users;

        Entry(StateCodec codec) { this.codec = codec; }
    }

    /**
     * The model at {@code uri} with its state codec, loaded on the first call in this JVM; every call must be matched
     * by one {@link #release}. Thread-safe: concurrent callers share one load.
     */
    public static synchronized StateCodec acquire(String uri) {
        Entry e = MODELS.get(uri);
        if (e == null) {
            e = new Entry(StateCodec.of(load(uri)));
            MODELS.put(uri, e);
        }
        e.users++;
        return e.codec;
    }

    /** Gives back one {@link #acquire}; the model is dropped when nobody holds it. Thread-safe. */
    public static synchronized void release(String uri) {
        Entry e = MODELS.get(uri);
        if (e != null && --e.users <= 0) MODELS.remove(uri);
    }

    /** How many users hold the model at {@code uri} in this JVM (0: not loaded). Thread-safe. */
    public static synchronized int users(String uri) {
        Entry e = MODELS.get(uri);
        return e == null ? 0 : e.users;
    }

    /** Reads the model at a Flink file system URI. Thread-safe: may be called concurrently. */
    public static Model load(String uri) {
        java.nio.file.Path dir = null;
        try {
            Path path = new Path(uri);
            FileSystem fs = path.getFileSystem();
            if (!fs.exists(path)) throw new IllegalArgumentException("model " + uri + ": no such file");
            dir = Files.createTempDirectory("rnn4j-flink-model");
            java.nio.file.Path local;
            String name = path.getName().toLowerCase(Locale.ROOT);
            if (fs.getFileStatus(path).isDir() || name.endsWith(".json")) {
                // TensorFlow.js: model.json and its weight shards, side by side.
                Path folder = fs.getFileStatus(path).isDir() ? path : path.getParent();
                for (FileStatus f : fs.listStatus(folder)) {
                    if (!f.isDir()) copy(fs, f.getPath(), dir.resolve(f.getPath().getName()));
                }
                local = fs.getFileStatus(path).isDir() ? dir : dir.resolve(path.getName());
            } else {
                local = dir.resolve(path.getName());
                copy(fs, path, local);
            }
            return Models.load(local);
        } catch (IOException e) {
            throw new IllegalArgumentException("model " + uri + ": cannot read it: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static void copy(FileSystem fs, Path from, java.nio.file.Path to) throws IOException {
        try (InputStream in = fs.open(from)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(java.nio.file.Path dir) {
        try (var files = Files.list(dir)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temporary copy is harmless
        }
    }
}
