package org.rnn4j.callbacks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.layers.Weight;
import org.rnn4j.models.Model;
import org.rnn4j.tensor.Tensor;

/**
 * A plain weights-only checkpoint, used by {@link ModelCheckpoint} until the library's Keras-format saving is
 * available. Layout (big-endian, as {@link DataOutputStream} writes): the 8 bytes {@code RNN4JW01}, the weight
 * count (int), then per weight in {@link Model#weights()} order: its path (modified UTF-8), rank (int), each
 * dimension (int) and the float32 values row-major. The file is written to a temporary sibling and renamed, so an
 * interrupted save leaves the previous checkpoint intact.
 *
 * <pre>{@code
 * WeightsFile.write(model, Path.of("best.weights.h5"));
 * WeightsFile.read(model, Path.of("best.weights.h5"));
 * }</pre>
 */
public final class WeightsFile {
    private static final byte[] MAGIC = {'R', 'N', 'N', '4', 'J', 'W', '0', '1'};

    private WeightsFile() {}

    /** Writes every weight of the model (atomically replacing {@code path}). */
    public static void write(Model model, Path path) {
        Path dir = path.toAbsolutePath().getParent();
        try {
            if (dir != null) Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.write(MAGIC);
                List<Weight> ws = model.weights();
                out.writeInt(ws.size());
                for (Weight w : ws) {
                    out.writeUTF(w.path());
                    int[] shape = w.shape();
                    out.writeInt(shape.length);
                    for (int d : shape) out.writeInt(d);
                    for (float v : w.value().data()) out.writeFloat(v);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save weights to \"" + path + "\": " + e.getMessage(), e);
        }
    }

    /** Reads a file written by {@link #write} into the model's weights, checking count and shapes. */
    public static void read(Model model, Path path) {
        List<Tensor> values = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("\"" + path + "\" is not an rnn4j weights checkpoint (bad header)");
            }
            int n = in.readInt();
            List<Weight> ws = model.weights();
            if (n != ws.size()) {
                throw new IllegalArgumentException("\"" + path + "\" holds " + n + " weights but model \"" + model.name()
                        + "\" has " + ws.size());
            }
            for (Weight w : ws) {
                String name = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > 8) throw new IllegalArgumentException("\"" + path + "\": weight " + name + " has rank " + rank);
                int[] shape = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.readInt();
                    size *= shape[i];
                }
                if (size != w.size()) {
                    throw new IllegalArgumentException("\"" + path + "\": weight " + name + " has shape "
                            + org.rnn4j.tensor.Shapes.toString(shape) + " but " + w.path() + " has shape "
                            + org.rnn4j.tensor.Shapes.toString(w.shape()));
                }
                float[] d = new float[(int) size];
                for (int i = 0; i < d.length; i++) d[i] = in.readFloat();
                values.add(Tensor.of(d, shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read weights from \"" + path + "\": " + e.getMessage(), e);
        }
        model.setWeights(values);
    }
}
