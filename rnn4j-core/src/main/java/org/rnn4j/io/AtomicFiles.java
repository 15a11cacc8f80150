package org.rnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
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
 * <p>A writer holds an OS lock on its temporary file until the rename, and the lock dies with its process: so the next
 * write to the same target deletes the temporary files of writers that were killed (their locks are free) and leaves
 * those of live writers alone, without guessing from timestamps.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("model.png"), out -> ImageIO.write(image, "png", out));
 * }</pre>
 *
 * <p>Thread safety: thread-safe; concurrent writes to one path are not coordinated (the last rename wins,
 * atomically).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes the file's bytes. */
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A file written and renamed into place whose lock is still held: a later write of a file set (TensorFlow.js's
     * {@code model.json} after its shard) is complete before {@link #close()} lets a cleaner treat this file as stray.
     */
    public static final class Held implements AutoCloseable {
        private final FileChannel channel;

        private Held(FileChannel channel) { this.channel = channel; }

        /** Releases the lock. Not thread-safe: close once. */
        @Override
        public void close() throws IOException { channel.close(); }
    }

    /**
     * Writes {@code target} through {@code writer}; creates missing parent folders and first deletes the temporary
     * files of killed earlier writes to the same target. Thread-safe: concurrent writes to one target each leave a
     * complete file (the last rename wins).
     */
    public static void write(Path target, Writer writer) throws IOException {
        writeHeld(target, writer).close();
    }

    /**
     * As {@link #write}, but the written file stays locked until the returned {@link Held} is closed. Thread-safe:
     * as {@link #write}.
     */
    public static Held writeHeld(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        if (Files.isDirectory(abs)) throw new IOException(abs + " is a directory");
        cleanStrays(abs);
        Path tmp = null;
        FileChannel opened = null;
        while (opened == null) {
            // Not Files.createTempFile: it makes the file owner-only (0600), and the rename would keep that.
            tmp = abs.resolveSibling(tempPrefix(abs) + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                opened = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // another writer's temporary name: draw again
            }
        }
        boolean moved = false;
        try {
            opened.lock();
            keepPermissions(abs, tmp);
            OutputStream out = Channels.newOutputStream(opened);
            writer.write(out);
            out.flush();
            opened.force(true);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            return new Held(opened);
        } finally {
            if (!moved) {
                opened.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String tempPrefix(Path abs) { return "." + abs.getFileName() + "."; }

    /**
     * Deletes the temporary files earlier writes of {@code target} left when they were killed: those whose lock is
     * free. Thread-safe: a live writer's file (locked, by this process or another) is left alone.
     */
    public static void cleanStrays(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) return;
        String prefix = tempPrefix(abs);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && n.length() > prefix.length() + 4
                    && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]+");
        })) {
            for (Path p : files) deleteIfUnlocked(p);
        } catch (IOException | UncheckedIOException e) {
            // Cleaning is a courtesy: the write itself does not depend on it.
        }
    }

    /** Deletes a file nobody holds a lock on; true when deleted. Thread-safe. */
    static boolean deleteIfUnlocked(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) return false; // another process is writing it
            Files.deleteIfExists(p);
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this process is writing it
        } catch (IOException e) {
            return false;
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
