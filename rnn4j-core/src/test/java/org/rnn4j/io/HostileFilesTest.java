package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The hostile-file corpus ({@link HostileCorpus}), each file loaded in its own child JVM with a 512 MiB heap and a 30 s
 * bound, as a service loading user-supplied models would: every file loads or ends in a {@link ModelFormatException};
 * nothing else escapes (no {@code OutOfMemoryError}, no {@code StackOverflowError}), and nothing hangs.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    /** The child: loads the named file and prints {@code name TAB ok|refused|other:<type> TAB millis TAB message}. */
    public static void main(String[] args) {
        Path p = Path.of(args[0]).resolve(args[1]);
        long t0 = System.nanoTime();
        String outcome, message = "";
        try {
            load(p);
            outcome = "ok";
        } catch (ModelFormatException e) {
            outcome = "refused";
            message = e.getMessage();
        } catch (Throwable e) {
            outcome = "other:" + e.getClass().getName();
            message = String.valueOf(e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        message = message.replace('\n', ' ').replace('\t', ' ');
        System.out.println(args[1] + "\t" + outcome + "\t" + ms + "\t" + message.substring(0, Math.min(300, message.length())));
        System.out.flush();
    }

    static Model load(Path p) throws IOException {
        if (p.getFileName().toString().endsWith(".json")) {
            return ModelConfig.fromJson(Files.readString(p));
        }
        return Models.load(p);
    }

    /**
     * Runs {@code main} of {@code child} on {@code dir} and {@code name} in a new JVM with a 512 MiB heap and a 512 KiB
     * stack, as a service would load one user-supplied file; fails if it is not done within 30 s (a bound against
     * hangs, not a measurement). Returns the child's one line ({@code name TAB outcome TAB millis TAB message}).
     */
    static String loadInChild(Class<?> child, Path dir, String name) throws Exception {
        Path out = Files.createTempFile(dir.getParent(), "child", ".out");
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Xss512k", "-cp", System.getProperty("java.class.path"), child.getName(), dir.toString(), name)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
            boolean done = false;
            try {
                done = p.waitFor(30, TimeUnit.SECONDS);
            } finally {
                if (!done) p.destroyForcibly().waitFor();
            }
            if (!done) throw new AssertionError(name + ": not loaded or refused within 30 s");
            String line = Files.readString(out, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
            assertEquals(0, p.exitValue(), name + ": the child exited with " + p.exitValue() + "\n" + line);
            return line;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void everyHostileFileLoadsOrIsRefusedInABoundedHeap() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Map<String, String> expect = HostileCorpus.write(corpus);
        // Two children at a time; each file still has its own JVM, heap and 30 s.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, Future<String>> lines = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        try {
            for (String name : expect.keySet()) lines.put(name, pool.submit(() -> loadInChild(HostileFilesTest.class, corpus, name)));
            for (Map.Entry<String, String> e : expect.entrySet()) {
                String line = result(lines.get(e.getKey()));
                report.append(line).append('\n');
                String[] f = line.split("\t", -1);
                assertEquals(4, f.length, e.getKey() + ": " + line);
                assertEquals(e.getValue(), f[1], e.getKey() + ": " + line);
                // A refusal of a file names it first (configs given as JSON text have no file to name).
                if (f[1].equals("refused") && !e.getKey().endsWith(".json")) {
                    assertTrue(f[3].startsWith(corpus.resolve(e.getKey()).toString()), e.getKey() + ": " + line);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.print(report);
    }

    /** The child's line, or the child's failure (a timeout, an exit status) as the test's. */
    static String result(Future<String> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) throw a;
            throw e;
        }
    }

    @Test
    void aReorderedTfjsManifestLoadsTheSameModelByName() throws Exception {
        Sequential m = HostileCorpus.smallModel();
        Tfjs.save(m, dir.resolve("model.json"));
        HostileCorpus.reorderManifest(dir.resolve("model.json"));
        Model loaded = Models.load(dir.resolve("model.json"));
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 4, 2);
        assertArrayEquals(m.predict(x).data(), loaded.predict(x).data());
    }

    @Test
    void aMissingOrExtraTfjsWeightIsNamed() throws Exception {
        Tfjs.save(HostileCorpus.smallModel(), dir.resolve("model.json"));
        String json = Files.readString(dir.resolve("model.json"));
        // The Dense layer's bias renamed: it matches nothing, and the model's bias has no weight.
        Files.writeString(dir.resolve("model.json"), json.replaceFirst("\"(dense[_0-9]*)/bias\"", "\"$1/gamma\""));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(dir.resolve("model.json")));
        assertTrue(e.getMessage().matches(".*\"dense[_0-9]*/gamma\" matches no weight of the model.*"), e.getMessage());
        // The bias listed twice: the second names a weight the first already took.
        Files.writeString(dir.resolve("model.json"), json.replaceFirst("\"(dense[_0-9]*)/kernel\"", "\"$1/bias\""));
        e = assertThrows(ModelFormatException.class, () -> Models.load(dir.resolve("model.json")));
        assertTrue(e.getMessage().contains("both name the model's") || e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void aLimitNamesItselfAndHowToRaiseIt() throws Exception {
        Path file = dir.resolve("many.keras");
        HostileCorpus.keras(file, HostileCorpus.manyLayers(100));
        LoadLimits before = LoadLimits.current();
        try {
            LoadLimits.set(before.withMaxLayers(50));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(file));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("over the limit of 50 (LoadLimits.maxLayers; "
                    + "raise it with -Drnn4j.load.maxLayers=N"), e.getMessage());
            LoadLimits.set(before.withMaxLayers(101));
            assertEquals(100, Models.load(file).layers().size());
        } finally {
            LoadLimits.set(before);
        }
    }

    @Test
    void javaConfigsAreHeldToTheSameBudgets() {
        com.fasterxml.jackson.databind.node.ObjectNode config = HostileCorpus.manyLayers(3);
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("config").get("layers").get(1).get("config"))
                .put("name", "n".repeat(5000));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelConfig.fromJson(config));
        assertTrue(e.getMessage().contains("LoadLimits.maxNameLength"), e.getMessage());
    }

    @Test
    void twoTfjsModelsShareAFolder() {
        Sequential a = HostileCorpus.smallModel();
        org.rnn4j.Rnn4j.setRandomSeed(99);
        Sequential b = new Sequential();
        b.add(new org.rnn4j.layers.recurrent.GRU(2).inputShape(4, 2));
        Tfjs.save(a, dir.resolve("a.json"));
        Tfjs.save(b, dir.resolve("b.json"));
        Tfjs.save(a, dir.resolve("a.json")); // a second save of a replaces a's shard only
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 4, 2);
        assertArrayEquals(a.predict(x).data(), Models.load(dir.resolve("a.json")).predict(x).data());
        assertArrayEquals(b.predict(x).data(), Models.load(dir.resolve("b.json")).predict(x).data());
        assertEquals(1, Tfjs.shardPaths(dir.resolve("a.json")).size());
        assertTrue(Files.exists(dir.resolve(Tfjs.shardPaths(dir.resolve("b.json")).get(0))));
    }
}
