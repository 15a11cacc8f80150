package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * A JVM killed (SIGKILL) while it saves over an existing model file leaves the previous model loadable: saving
 * writes a temporary file and renames it. The kill is repeated until it has landed inside the write three times.
 */
class KillDuringSaveTest {
    @TempDir Path dir;

    /** Big enough that a save takes a while: about 2.1 million weights (8 MB). */
    static Sequential bigModel(long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(512).recurrentInitializer("glorot_uniform").inputShape(4, 512)); // orthogonal would be slow here
        m.add(new Dense(1));
        return m;
    }

    /** The child: announce the save, save over the file, announce the end, then wait to be killed. */
    public static void main(String[] args) throws Exception {
        Sequential m = bigModel(Long.parseLong(args[1]));
        System.out.println("start");
        System.out.flush();
        m.save(Path.of(args[0]));
        System.out.println("done");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void killedSaveLeavesThePreviousModel() throws Exception {
        Path file = dir.resolve("model.keras");
        Sequential previous = bigModel(1);
        previous.save(file);
        Tensor x = Tensor.of(new float[2 * 4 * 512], 2, 4, 512);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) Math.sin(i);
        float[] want = previous.predict(x).data();

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        SplittableRandom random = new SplittableRandom(3);
        int insideWrite = 0, attempts = 0;
        while (insideWrite < 3 && attempts < 40) {
            attempts++;
            Process child = new ProcessBuilder(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                    KillDuringSaveTest.class.getName(), file.toString(), Long.toString(100 + attempts)))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("start")) { /* JVM warnings */ }
            // Wait until the child's temporary file appears (or it finishes), then kill it a few ms later.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean finished = false;
            while (System.nanoTime() < deadline) {
                if (out.ready() && "done".equals(out.readLine())) {
                    finished = true;
                    break;
                }
                try (var files = java.nio.file.Files.list(dir)) {
                    if (files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"))) break;
                }
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(0, 30));
            finished |= out.ready() && "done".equals(out.readLine());
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            // A temporary file left behind proves the kill landed between its creation and the rename.
            List<Path> leftovers;
            try (var files = java.nio.file.Files.list(dir)) {
                leftovers = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            }
            for (Path p : leftovers) java.nio.file.Files.delete(p);
            Model loaded = Models.load(file);
            if (!finished && loaded.predict(x).data()[0] == want[0]) {
                // Killed before the rename: the file is still the previous model, whole.
                assertArrayEquals(want, loaded.predict(x).data());
                if (!leftovers.isEmpty()) insideWrite++;
            } else {
                // The child got as far as the rename: the file is the new model, whole.
                previous = bigModel(100 + attempts);
                want = previous.predict(x).data();
                assertArrayEquals(want, loaded.predict(x).data(), "attempt " + attempts);
            }
        }
        assertTrue(insideWrite >= 3, "the kill landed inside the write only " + insideWrite + " times in " + attempts);
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) System.err.println("KILLS inside=" + insideWrite + " attempts=" + attempts);
    }
}
