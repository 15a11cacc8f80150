package org.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first Java block, exactly as printed, is a whole program: it compiles against rnn4j-core (javax.tools,
 * with the test class path) and runs, giving Keras's parameter count and a model that learned its sequence.
 * ({@code .ci/readme-project.sh} also builds it as a separate Maven project through the README's Maven snippet.)
 */
class ReadmeFirstExampleTest {
    static final Path README = Path.of("../README.md");

    /** The body of the first fenced block of the given language in the README. */
    static String firstBlock(String markdown, String language) {
        Matcher m = Pattern.compile("(?m)^```" + language + "\\n(.*?)^```", Pattern.DOTALL).matcher(markdown);
        assertTrue(m.find(), "README has no ```" + language + " block");
        return m.group(1);
    }

    @Test
    void firstJavaBlockCompilesAndRunsAsPrinted(@TempDir Path dir) throws Exception {
        String source = firstBlock(Files.readString(README), "java");
        Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(cls.find(), "the README's first example declares a public class:\n" + source);
        String name = cls.group(1);
        Path file = dir.resolve(name + ".java");
        Files.writeString(file, source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK");
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-proc:none"),
                null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(file.toFile()))
                .call();
        assertTrue(ok, "the README's first example does not compile:\n" + diagnostics);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(saved);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("Total params: 491"), out);
        Matcher loss = Pattern.compile("loss (\\S+), predicted \\[(.*)\\]").matcher(out);
        assertTrue(loss.find(), out);
        assertTrue(Double.parseDouble(loss.group(1)) < 1e-3, "the example's model learned its sequence: " + out);
        String[] predicted = loss.group(2).split(", ");
        assertEquals(5, predicted.length, out);
        for (int t = 0; t < 5; t++) assertEquals(0.2 * t, Float.parseFloat(predicted[t]), 0.05, out);
    }
}
