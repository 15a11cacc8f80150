package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an output file option before any work is done, so a typo in a folder name is not found after an hour of
 * training: the folder must exist (or is created with {@code --mkdirs}), be a folder and be writable, and the file
 * must not be a folder.
 *
 * <pre>{@code
 * OutputTargets.check(out, "--out", mkdirs);
 * }</pre>
 */
final class OutputTargets {
    private OutputTargets() {}

    static void check(Path file, String option, boolean mkdirs) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.exists(dir)) {
            if (!mkdirs) {
                throw new UserInputException(option + " " + file + ": the folder " + dir + " does not exist (create it, or add --mkdirs)");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UserInputException(option + " " + file + ": cannot create the folder " + dir + ": " + e.getMessage(), e);
            }
        }
        if (dir != null && !Files.isDirectory(dir)) throw new UserInputException(option + " " + file + ": the folder " + dir + " is not a folder");
        if (Files.isDirectory(abs)) throw new UserInputException(option + " " + file + ": is a folder; expected a file name");
        if (dir != null && !Files.isWritable(dir)) throw new UserInputException(option + " " + file + ": cannot write into " + dir);
    }
}
