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
 * Every public method and constructor of the models, layers, {@code Tensor}, callbacks, loaders/savers and the ONNX
 * module's entry points, the kernels and {@code Rnn4j} says in its Javadoc whether it may be called from several threads at once ("Thread-safe",
 * "Not thread-safe" or "Thread-confined"), and every public class of them has a "Thread safety" paragraph.
 *
 * <p>A plain line scanner, not a parser: a declaration is a line starting with {@code public} (or, in an interface, a
 * member method at the first indentation) whose text before the first {@code (} holds no type keyword and no
 * {@code =}; its Javadoc is the one ending on the line just before it (annotations in between allowed).
 */
class ThreadSafetyDocsTest {
    private static final List<String> PACKAGES = List.of("models", "layers", "tensor", "callbacks", "io", "autodiff", "kernels");
    private static final List<String> MARKS = List.of("Thread-safe", "Not thread-safe", "Thread-confined");
    private static final Pattern TOP_TYPE = Pattern.compile(
            "^public\\s+(?:(?:abstract|final|sealed|non-sealed|static)\\s+)*(class|interface|enum|record)\\s+\\w+",
            Pattern.MULTILINE);
    private static final Pattern TYPE_KEYWORD = Pattern.compile("\\b(class|interface|enum|record|@interface)\\s+\\w+");
    private static final Pattern INTERFACE_MEMBER = Pattern.compile(
            "^ {4}(default\\s+|static\\s+)?(<[^>]+>\\s+)?[\\w.<>\\[\\], ?]+\\s+\\w+\\s*\\(");

    @Test
    void everyPublicMethodAndClassStatesItsThreadSafety() throws IOException {
        Path core = Path.of("src", "main", "java", "org", "rnn4j");
        assertTrue(Files.isDirectory(core), "run from the rnn4j-core module directory: " + core.toAbsolutePath());
        List<Path> sources = new ArrayList<>();
        for (String p : PACKAGES) sources.addAll(javaFiles(core.resolve(p)));
        sources.add(core.resolve("Rnn4j.java"));
        Path onnx = Path.of("..", "rnn4j-onnx", "src", "main", "java");
        if (Files.isDirectory(onnx)) sources.addAll(javaFiles(onnx));
        assertTrue(sources.size() > 50, "too few sources found: " + sources.size());

        List<String> offenders = new ArrayList<>();
        for (Path f : sources) offenders.addAll(offenders(f.toString(), Files.readString(f)));
        assertTrue(offenders.isEmpty(), offenders.size() + " public declarations lack a thread-safety line "
                + "(\"Thread-safe: ...\", \"Not thread-safe: ...\" or \"Thread-confined: ...\" in their Javadoc), or "
                + "public classes lack a \"Thread safety\" paragraph:\n" + String.join("\n", offenders));
    }

    @Test
    void theScannerFindsAMissingLineAndAMissingParagraph() {
        String src = String.join("\n",
                "package x;",
                "/** A thing. */",
                "public final class Thing {",
                "    /** Makes one. Not thread-safe: configure on one thread. */",
                "    public Thing() {}",
                "    /** Thread-safe: a constant. */",
                "    @Override",
                "    public String toString() { return \"thing\"; }",
                "    /** Undocumented as to threads. */",
                "    public void run(int n) {}",
                "    public static final Thing INSTANCE = new Thing();",
                "    public int size() { return 0; }",
                "}");
        List<String> found = offenders("Thing.java", src);
        assertEquals(List.of("Thing.java: public class Thing has no \"Thread safety\" paragraph",
                "Thing.java:10: public void run(int n) {}", "Thing.java:12: public int size() { return 0; }"), found);

        String iface = String.join("\n",
                "/**", " * A hook.", " *", " * <p>Thread safety: confined.", " */",
                "public interface Hook {",
                "    /** Thread-confined: on the caller's thread. */",
                "    default void before(int n) {}",
                "    void after(int n);",
                "}");
        assertEquals(List.of("Hook.java:9: void after(int n);"), offenders("Hook.java", iface));
    }

    /** The undocumented declarations of one source file, as {@code file:line: declaration}. */
    static List<String> offenders(String file, String source) {
        List<String> out = new ArrayList<>();
        Matcher top = TOP_TYPE.matcher(source);
        if (!top.find()) return out; // no public top-level type: not public API
        boolean isInterface = top.group(1).equals("interface");
        String[] lines = source.split("\n", -1);
        String doc = null;          // the Javadoc attached to the next declaration, if any
        StringBuilder open = null;  // a Javadoc being read
        boolean classChecked = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
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
            boolean declaration = line.startsWith("public ") || line.matches("^\\s+public\\s.*")
                    || (isInterface && INTERFACE_MEMBER.matcher(line).find() && !s.startsWith("private")
                        && !line.startsWith("     "));
            if (declaration) {
                String head = s.split("\\(", 2)[0];
                if (TYPE_KEYWORD.matcher(head).find()) {
                    if (!classChecked && line.startsWith("public")) {
                        classChecked = true;
                        if (doc == null || !doc.contains("Thread safety")) {
                            Matcher name = TYPE_KEYWORD.matcher(head);
                            name.find();
                            out.add(file + ": public " + name.group() + " has no \"Thread safety\" paragraph");
                        }
                    }
                } else if (s.contains("(") && !head.contains("=") && !head.contains("->")) {
                    boolean stated = doc != null && MARKS.stream().anyMatch(doc::contains);
                    if (!stated) out.add(file + ":" + (i + 1) + ": " + s);
                }
            }
            doc = null; // a Javadoc attaches only to the declaration right after it
        }
        return out;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
