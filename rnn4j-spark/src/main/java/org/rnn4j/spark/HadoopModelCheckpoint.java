package org.rnn4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.models.Model;

/**
 * Saves the driver's model as a {@code .keras} archive to any Hadoop-compatible path ({@code hdfs://},
 * {@code s3a://}, {@code file://}) at the end of each epoch, optionally only when the monitored value improves.
 * The archive is written locally, uploaded under a temporary name and renamed, so a failure mid-upload leaves the
 * previous checkpoint in place (on file systems whose rename is atomic, such as HDFS).
 *
 * <pre>{@code
 * trainer.callbacks(new HadoopModelCheckpoint("hdfs:///models/run1/epoch-{epoch}.keras", sc.hadoopConfiguration()));
 * }</pre>
 */
public final class HadoopModelCheckpoint implements Callback {
    private final String pattern;
    private final Configuration conf;
    private String monitor = "loss";
    private boolean saveBestOnly;
    private double best = Double.POSITIVE_INFINITY;
    private Model model;

    /** @param pattern target path; {@code {epoch}} is replaced by the 1-based epoch */
    public HadoopModelCheckpoint(String pattern, Configuration conf) {
        if (pattern == null || !pattern.endsWith(".keras")) {
            throw new IllegalArgumentException("HadoopModelCheckpoint: the path must end in .keras, got " + pattern);
        }
        this.pattern = pattern;
        this.conf = conf;
    }

    /** Save only when {@code monitor} (lower is better) reaches a new best. */
    public HadoopModelCheckpoint saveBestOnly(String monitor) {
        this.monitor = monitor;
        this.saveBestOnly = true;
        return this;
    }

    @Override
    public void setModel(Model model) { this.model = model; }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double v = logs.get(monitor);
            if (v == null || !(v < best)) return;
            best = v;
        }
        String target = pattern.replace("{epoch}", Integer.toString(epoch + 1));
        try {
            Path local = Files.createTempFile("rnn4j-checkpoint", ".keras");
            try {
                model.save(local);
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
                FileSystem fs = dst.getFileSystem(conf);
                org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dst.getParent(), "." + dst.getName() + ".tmp");
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), tmp);
                if (fs.exists(dst)) fs.delete(dst, false);
                if (!fs.rename(tmp, dst)) throw new IOException("could not rename " + tmp + " to " + dst);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HadoopModelCheckpoint: could not save the model to " + target + ": " + e.getMessage(), e);
        }
    }
}
