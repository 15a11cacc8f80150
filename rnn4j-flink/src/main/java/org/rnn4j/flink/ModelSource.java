package org.rnn4j.flink;

import java.io.Serializable;

/**
 * Where the job's model comes from: a file on any Flink file system ({@code file:///}, {@code hdfs://},
 * {@code s3://}, ...) in any format {@link org.rnn4j.models.Models#load} reads: a {@code .keras} archive, a Keras
 * {@code .h5}, or a TensorFlow.js {@code model.json} (its weight shards beside it). Each task manager JVM loads it once
 * and shares it between its slots ({@link SharedModels}).
 *
 * <pre>{@code
 * ModelSource.of("s3://models/sensors/lstm.keras")
 * }</pre>
 *
 * <p>Thread-safe: immutable.
 */
public final class ModelSource implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String uri;
    private final long version;

    private ModelSource(String uri, long version) {
        if (uri == null || uri.isBlank()) throw new IllegalArgumentException("ModelSource: the model URI is empty");
        this.uri = uri;
        this.version = version;
    }

    /** The model at {@code uri}, as version 0. Thread-safe. */
    public static ModelSource of(String uri) { return new ModelSource(uri, 0); }

    /** The model at {@code uri} as the given version (model updates must come with higher versions). Thread-safe. */
    public static ModelSource of(String uri, long version) { return new ModelSource(uri, version); }

    /** Thread-safe. */
    public String uri() { return uri; }

    /** Thread-safe. */
    public long version() { return version; }

    @Override
    public String toString() { return uri + " (version " + version + ")"; }
}
