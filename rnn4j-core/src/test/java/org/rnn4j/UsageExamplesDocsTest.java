package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public top-level type of rnn4j-core, rnn4j-onnx and rnn4j-spark (classes, interfaces, enums, records) shows a
 * short usage example in its class Javadoc, as a {@code <pre>} block, so a reader of the API docs sees how it is called.
 *
 * <p>A plain line scanner, like {@link ThreadSafetyDocsTest}: the top-level type is the first line starting with
 * {@code public} and a type keyword; its Javadoc is the one ending just before it (annotations in between allowed).
 */
class UsageExamplesDocsTest {
    private static final Pattern TOP_TYPE = Pattern.compile(
            "^public\\s+(?:(?:abstract|final|sealed|non-sealed|static|strictfp)\\s+)*(class|interface|enum|record|@interface)\\s+(\\w+)");
    private static final Pattern TOP_TYPE_ANYWHERE = Pattern.compile(TOP_TYPE.pattern(), Pattern.MULTILINE);

    @Test
    void everyPublicTypeHasAUsageExample() throws IOException {
        Path core = Path.of("src", "main", "java");
        assertTrue(Files.isDirectory(core), "run from the rnn4j-core module directory: " + core.toAbsolutePath());
        List<Path> sources = new ArrayList<>(javaFiles(core));
        for (String module : List.of("rnn4j-onnx", "rnn4j-spark")) {
            sources.addAll(javaFiles(Path.of("..", module, "src", "main", "java")));
        }
        assertTrue(sources.size() > 50, "too few sources found: " + sources.size());

        List<String> offenders = new ArrayList<>();
        int publicTypes = 0;
        for (Path f : sources) {
            String source = Files.readString(f);
            if (!TOP_TYPE_ANYWHERE.matcher(source).find()) continue; // no public top-level type: not public API
            publicTypes++;
            String offender = offender(f.toString(), source);
            if (offender != null) offenders.add(offender);
        }
        assertTrue(publicTypes > 50, "too few public types found: " + publicTypes);
        assertTrue(offenders.isEmpty(), offenders.size() + " of " + publicTypes + " public types have no usage example "
                + "(a <pre>{@code ...}</pre> block) in their class Javadoc:\n" + String.join("\n", offenders));
    }

    @Test
    void theScannerFindsAMissingExample() {
        String without = String.join("\n",
                "package x;",
                "import java.util.List;",
                "/**",
                " * A thing.",
                " *",
                " * <p>Thread safety: immutable.",
                " */",
                "@Deprecated",
                "public final class Thing {",
                "    /** Uses one. <pre>{@code new Thing();}</pre> */",
                "    public void run() {}",
                "}");
        assertEquals("x/Thing.java: public class Thing", offender("x/Thing.java", without));

        String with = String.join("\n",
                "package x;",
                "/**",
                " * A hook.",
                " *",
                " * <pre>{@code",
                " * Hook h = n -> {};",
                " * }</pre>",
                " */",
                "public interface Hook {",
                "    void after(int n);",
                "}");
        assertEquals(null, offender("x/Hook.java", with));

        String undocumented = "package x;\npublic record Pair(int a, int b) {}\n";
        assertEquals("x/Pair.java: public record Pair", offender("x/Pair.java", undocumented));
        assertEquals(null, offender("x/Hidden.java", "package x;\nfinal class Hidden {}\n"));
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.getFileName().toString().equals("package-info.java"))
                    .filter(p -> !p.getFileName().toString().equals("module-info.java"))
                    .sorted().toList();
        }
    }

    /** {@code file: public kind Name} when the file's public top-level type lacks a {@code <pre>} example, else null. */
    static String offender(String file, String source) {
        String[] lines = source.split("\n", -1);
        String doc = null;          // the Javadoc attached to the next declaration, if any
        StringBuilder open = null;  // a Javadoc being read
        for (String line : lines) {
            String s = line.strip();
            if (open != null) {
                open.append(line).append('\n');
                if (s.contains("*/")) {
                    doc = open.toString();
                    open = null;
                }
                continue;
            }
            if (s.startsWith("/**")) {
                if (s.substring(3).contains("*/")) doc = s;
                else open = new StringBuilder(line).append('\n');
                continue;
            }
            if (s.startsWith("@") && !s.startsWith("@interface")) continue; // annotations keep the doc attached
            Matcher top = TOP_TYPE.matcher(line);
            if (top.find()) {
                if (doc != null && doc.contains("<pre>")) return null;
                return file + ": public " + top.group(1) + " " + top.group(2);
            }
            if (!s.isEmpty() && !s.startsWith("//")) doc = null; // a Javadoc attaches only to the declaration after it
        }
        return null; // no public top-level type: not public API
    }
}
