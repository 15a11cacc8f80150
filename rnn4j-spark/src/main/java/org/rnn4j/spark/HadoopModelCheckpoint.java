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
 * On the local file system the archive is saved atomically in place (temporary file, fsync, rename); elsewhere it is
 * written locally, uploaded under a temporary name of its own and renamed over the old checkpoint in one step
 * ({@code FileContext.rename} with {@code OVERWRITE}, atomic on HDFS), so a kill at any instant leaves the previous
 * checkpoint or the new one; temporary files of killed saves are deleted by the next save to the same path.
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
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
            FileSystem fs = dst.getFileSystem(conf);
            if (fs instanceof org.apache.hadoop.fs.LocalFileSystem || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
                // A local target: the model's own atomic save (temporary file, fsync, rename over the old one).
                model.save(Path.of(fs.makeQualified(dst).toUri()));
                return;
            }
            Path local = Files.createTempFile("rnn4j-checkpoint", ".keras");
            try {
                model.save(local);
                // A temporary name of this save's own, then one atomic rename over the old checkpoint (HDFS renames
                // with OVERWRITE in one NameNode operation): a failure at any point leaves the old one or the new one.
                String random = Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
                org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dst.getParent(), "." + dst.getName() + "." + random + ".tmp");
                deleteStrays(fs, dst);
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), tmp);
                org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), conf)
                        .rename(tmp, dst, org.apache.hadoop.fs.Options.Rename.OVERWRITE);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("HadoopModelCheckpoint: could not save the model to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary files of earlier saves of {@code dst} that were killed before their rename (one writer per target). */
    private static void deleteStrays(FileSystem fs, org.apache.hadoop.fs.Path dst) throws IOException {
        String prefix = "." + dst.getName() + ".";
        if (!fs.exists(dst.getParent())) return;
        for (org.apache.hadoop.fs.FileStatus st : fs.listStatus(dst.getParent(),
                p -> p.getName().startsWith(prefix) && p.getName().endsWith(".tmp"))) {
            fs.delete(st.getPath(), false);
        }
    }
}
