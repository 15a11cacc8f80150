package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The hostile-file corpus ({@link HostileCorpus}) loaded in a child JVM with a 512 MiB heap, as a service loading
 * user-supplied models would: every file loads or ends in a {@link ModelFormatException}; nothing else escapes (no
 * {@code OutOfMemoryError}, no {@code StackOverflowError}), and nothing hangs.
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    /** The child: loads each named file and prints {@code name TAB ok|refused|other:<type> TAB millis TAB message}. */
    public static void main(String[] args) {
        Path base = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path p = base.resolve(args[i]);
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
            System.out.println(args[i] + "\t" + outcome + "\t" + ms + "\t" + message.substring(0, Math.min(300, message.length())));
            System.out.flush();
        }
    }

    static Model load(Path p) throws IOException {
        if (p.getFileName().toString().endsWith(".json")) {
            return ModelConfig.fromJson(Files.readString(p));
        }
        return Models.load(p);
    }

    @Test
    void everyHostileFileLoadsOrIsRefusedInABoundedHeap() throws Exception {
        Map<String, String> expect = HostileCorpus.write(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Xss512k", "-cp", System.getProperty("java.class.path"), HostileFilesTest.class.getName(), dir.toString()));
        cmd.addAll(expect.keySet());
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = child.getInputStream().readAllBytes();
        // A guard against hangs, 30 s a file, not a measurement.
        assertTrue(child.waitFor(30L * expect.size(), TimeUnit.SECONDS), "the corpus child did not finish");
        Map<String, String> got = new LinkedHashMap<>();
        StringBuilder report = new StringBuilder();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 4) continue;
            got.put(f[0], f[1]);
            report.append(line).append('\n');
        }
        assertEquals(0, child.exitValue(), report.toString());
        for (Map.Entry<String, String> e : expect.entrySet()) {
            assertEquals(e.getValue(), got.get(e.getKey()), e.getKey() + "\n" + report);
        }
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.print(report);
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
