package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.onnx.proto.Onnx;

/**
 * Malformed and hostile {@code .onnx} files: truncated and bit-flipped ones loaded here, and the hostile corpus
 * ({@link OnnxHostileCorpus}: tensors whose data does not fill their shape, huge declared dims, unknown operators,
 * external data outside the model's folder, nesting and chains past the limits) each in a child JVM with a 512 MiB
 * heap. Each ends in a {@link ModelFormatException} (a mutant that still parses may also load), never another
 * exception, an out-of-memory or a hang.
 */
class OnnxHostileFilesTest {
    private static final Path FIXTURE = OnnxHostileCorpus.FIXTURE;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String name, Onnx.ModelProto proto) throws Exception { return write(name, proto.toByteArray()); }

    /** Loads; a ModelFormatException or success are fine, anything else fails the test. */
    private static boolean loadsOrRefuses(Path p) {
        try {
            Models.load(p);
            return true;
        } catch (ModelFormatException e) {
            return false;
        } catch (Throwable t) {
            fail(p.getFileName() + ": " + t.getClass().getName() + " instead of ModelFormatException: " + t.getMessage(), t);
            return false;
        }
    }

    private static Onnx.ModelProto exported() {
        Model m = OnnxRuntimeExportTest.seq(new Masking(0f).inputShape(6, 3),
                new Bidirectional(new GRU(4).returnSequences(true)), new LSTM(5), new Dense(2, "softmax"));
        OnnxRuntimeExportTest.randomize(m, 5);
        return OnnxExporter.toProto(m, OnnxExporter.Options.DEFAULT);
    }

    @Test
    void truncatedAndBitFlippedFilesEndInModelFormatException() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (byte[] good : new byte[][] {Files.readAllBytes(FIXTURE), exported().toByteArray()}) {
                assertTrue(loadsOrRefuses(write("good.onnx", good)), "the unmutated file loads");
                for (int cut = 0; cut < good.length; cut += 1 + good.length / 150) {
                    byte[] truncated = java.util.Arrays.copyOf(good, cut);
                    if (loadsOrRefuses(write("cut" + cut + ".onnx", truncated)) && cut < good.length / 2) {
                        fail("a file cut to " + cut + " of " + good.length + " bytes loaded");
                    }
                }
                SplittableRandom r = new SplittableRandom(20261207L);
                for (int i = 0; i < 300; i++) {
                    byte[] mutant = good.clone();
                    int flips = 1 + r.nextInt(4);
                    for (int f = 0; f < flips; f++) mutant[r.nextInt(mutant.length)] = (byte) r.nextInt(256);
                    loadsOrRefuses(write("flip" + i + ".onnx", mutant));
                }
            }
        });
    }

    /** The child: loads the named file and prints {@code name TAB ok|refused|other:<type> TAB millis TAB message}. */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        String outcome, message = "";
        try {
            Models.load(Path.of(args[0]).resolve(args[1]));
            outcome = "ok";
        } catch (ModelFormatException e) {
            outcome = "refused";
            message = e.getMessage();
        } catch (Throwable e) {
            outcome = "other:" + e.getClass().getName();
            message = String.valueOf(e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(args[1] + "\t" + outcome + "\t" + ms + "\t" + message.replace('\n', ' ').replace('\t', ' '));
        System.out.flush();
    }

    /**
     * Each file of {@link OnnxHostileCorpus} loaded in its own child JVM with a 512 MiB heap, a 512 KiB stack and a 30 s
     * bound (against hangs, not a measurement), as a service would load one user-supplied file: each loads or ends in
     * the expected {@link ModelFormatException}, whose message says what is wrong; nothing else escapes.
     */
    @Test
    void everyHostileFileLoadsOrIsRefusedInABoundedHeap() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Map<String, OnnxHostileCorpus.Expect> expect = OnnxHostileCorpus.write(corpus);
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, OnnxHostileCorpus.Expect> e : expect.entrySet()) {
            String name = e.getKey();
            Path out = dir.resolve("child.out");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-Xss512k", "-cp", System.getProperty("java.class.path"), OnnxHostileFilesTest.class.getName(),
                    corpus.toString(), name).redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                fail(name + ": not loaded or refused within 30 s");
            }
            String line = Files.readString(out, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
            report.append(line, 0, Math.min(line.length(), 300)).append('\n');
            assertEquals(0, p.exitValue(), name + ": the child exited with " + p.exitValue() + "\n" + line);
            String[] f = line.split("\t", -1);
            assertEquals(4, f.length, name + ": " + line);
            String want = e.getValue().outcome();
            assertTrue(want.equals("either") ? f[1].equals("ok") || f[1].equals("refused") : want.equals(f[1]), name + ": " + line);
            for (String fragment : e.getValue().fragments()) assertTrue(f[3].contains(fragment), name + ": " + fragment + " in " + line);
            if (f[1].equals("refused")) assertTrue(f[3].startsWith(corpus.resolve(name).toString()), "names the file first: " + line);
        }
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.print(report);
    }
}
