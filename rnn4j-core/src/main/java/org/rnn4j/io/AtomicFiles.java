package org.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a crash or kill at any moment leaves either the old file or the complete new one: the
 * bytes go to a temporary file in the same directory, are forced to disk, and the temporary file is then renamed
 * over the target in one atomic step. The file gets the permissions any newly written file gets here (the umask),
 * or keeps those of the file it replaces.
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
        Path tmp = null;
        FileChannel opened = null;
        while (opened == null) {
            // Not Files.createTempFile: it makes the file owner-only (0600), and the rename would keep that.
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            tmp = abs.resolveSibling("." + abs.getFileName() + "." + random + ".tmp");
            try {
                opened = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary name: draw again
            }
        }
        try {
            try (FileChannel ch = opened) {
                keepPermissions(abs, tmp);
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

    /** The replaced file's POSIX permissions onto the new one, where there are both (best effort elsewhere). */
    private static void keepPermissions(Path target, Path tmp) {
        try {
            PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            if (from == null || !Files.exists(target)) return;
            Files.setPosixFilePermissions(tmp, from.readAttributes().permissions());
        } catch (IOException | UnsupportedOperationException e) {
            // The new file keeps the default permissions.
        }
    }
}
