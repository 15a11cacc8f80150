package org.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that a crash or kill at any moment leaves either the old file or the complete new one: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is then renamed
 * over the target in one atomic step.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("model.png"), out -> ImageIO.write(image, "png", out));
 * }</pre>
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the file's bytes. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through {@code writer}; creates missing parent folders. */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
