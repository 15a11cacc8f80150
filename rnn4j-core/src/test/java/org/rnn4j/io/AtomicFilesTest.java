package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save replaces the old file in one step, with the permissions a user expects of a file they wrote. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheBytesAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("sub/model.keras");
        AtomicFiles.write(target, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.keras");
        Files.write(target, new byte[] {9});
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[] {1, 2});
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aNewFileGetsThePermissionsOfAnyNewFileHere() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = dir.resolve("plain.bin");
        Files.write(plain, new byte[] {1});
        Path atomic = dir.resolve("atomic.bin");
        AtomicFiles.write(atomic, out -> out.write(1));
        // Not owner-only (what a temporary file gets): the same as a file written the ordinary way.
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("shared.keras");
        Files.write(target, new byte[] {1});
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.write(target, out -> out.write(2));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertArrayEquals(new byte[] {2}, Files.readAllBytes(target));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
