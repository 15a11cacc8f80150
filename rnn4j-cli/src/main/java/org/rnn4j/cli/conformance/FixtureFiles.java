package org.rnn4j.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds reference cases: files given by name must be {@code keras-rnn-fixture/1} cases; folders are searched
 * recursively for {@code .json} files of that format, and every other file in them is ignored.
 *
 * <pre>{@code List<Path> cases = FixtureFiles.find(List.of(Path.of("testdata/fixtures/keras"))); }</pre>
 */
public final class FixtureFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureFiles() {}

    /** The case files under the paths, folders' contents sorted by path. */
    public static List<Path> find(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
                            .sorted().filter(FixtureFiles::isCase).forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read folder " + p + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                if (!isCase(p)) {
                    throw new IllegalArgumentException(p + " is not a " + CaseRunner.FORMAT + " case (no \"format\": \""
                            + CaseRunner.FORMAT + "\")");
                }
                out.add(p);
            } else {
                throw new IllegalArgumentException("No such file or folder: " + p);
            }
        }
        return out;
    }

    /** Parses a case file. */
    public static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static boolean isCase(Path p) {
        try {
            JsonNode n = JSON.readTree(p.toFile());
            // index.json shares the format but lists cases instead of being one.
            return n != null && CaseRunner.FORMAT.equals(n.path("format").asText()) && n.has("keras_config");
        } catch (IOException e) {
            return false; // not JSON: not a case
        }
    }
}
