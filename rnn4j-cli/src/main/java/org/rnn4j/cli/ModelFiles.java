package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;

/** Loading a model named on the command line, with a one-line error for a missing or unreadable file. */
final class ModelFiles {
    private ModelFiles() {}

    static Model load(Path file) {
        if (!Files.exists(file)) throw new UserInputException("--model " + file + ": no such file (train one with `rnn4j fit`)");
        try {
            return Models.load(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--model " + file + ": " + e.getMessage(), e);
        }
    }
}
