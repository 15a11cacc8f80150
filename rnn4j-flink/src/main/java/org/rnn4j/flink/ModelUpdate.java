package org.rnn4j.flink;

/**
 * A model version for a hot swap, sent on the broadcast stream of {@link RecurrentInference#modelUpdates}: where
 * the model file is (any Flink file system URI: {@code file:///}, {@code hdfs://}, {@code s3://}; a {@code .keras},
 * {@code .h5}, or TensorFlow.js {@code model.json}) and its version, which must grow: an update whose version is not
 * above the running one is ignored (so a replayed update after a restart is harmless).
 *
 * <p>A Flink POJO (public fields, no-argument constructor). Not thread-safe: a plain value.
 */
public class ModelUpdate {
    public String uri;
    public long version;

    public ModelUpdate() {}

    public ModelUpdate(String uri, long version) {
        this.uri = uri;
        this.version = version;
    }

    @Override
    public String toString() { return "ModelUpdate(" + uri + ", version " + version + ")"; }
}
