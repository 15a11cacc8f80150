package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Fifty child JVMs, each saving models over and over to a TensorFlow.js {@code model.json} (+ shard), a {@code .keras}
 * archive and a {@code .weights.h5} file at once (one thread each), are killed with SIGKILL at a random instant. After
 * every kill each target still loads as one of the models that were saved there, whole; and the next save leaves no
 * temporary file and no stray shard behind.
 */
class KillDuringSaveTest {
    static final int KILLS = 50;

    @TempDir
    Path dir;

    /** Models with seeds 1 and 2 (the child's) and 0 (the parent's): about 70,000 weights, a few ms a save. */
    static Sequential model(long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(128).recurrentInitializer("glorot_uniform").inputShape(3, 8));
        m.add(new Dense(1));
        return m;
    }

    /**
     * The child: saves model 1 to the three targets once (so a child save has completed before any kill), then models 2
     * and 1 in turn, one thread per target, until killed.
     */
    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        Sequential[] models = {model(1), model(2)};
        for (int kind = 0; kind < 3; kind++) save(kind, models[0], base);
        List<Thread> threads = new ArrayList<>();
        for (int kind = 0; kind < 3; kind++) {
            int k = kind;
            Thread t = new Thread(() -> {
                for (int i = 1; ; i++) save(k, models[i % 2], base);
            });
            t.setDaemon(true);
            threads.add(t);
        }
        System.out.println("start");
        System.out.flush();
        for (Thread t : threads) t.start();
        Thread.sleep(120_000);
    }

    static void save(int kind, Model m, Path base) {
        switch (kind) {
            case 0 -> Tfjs.save(m, base.resolve("web/model.json"));
            case 1 -> KerasArchive.save(m, base.resolve("m.keras"));
            default -> KerasArchive.saveWeights(m, base.resolve("m.weights.h5"));
        }
    }

    static Model load(int kind, Path base) {
        return switch (kind) {
            case 0 -> Models.load(base.resolve("web/model.json"));
            case 1 -> Models.load(base.resolve("m.keras"));
            default -> {
                Sequential m = model(9);
                m.loadWeights(base.resolve("m.weights.h5"));
                yield m;
            }
        };
    }

    @Test
    void killedSavesLeaveTheOldOrTheNewModelAndTheNextSaveCleansUp() throws Exception {
        float[][] known = new float[3][];
        for (int seed = 0; seed < 3; seed++) known[seed] = values(model(seed));
        Sequential parent = model(0);
        for (int kind = 0; kind < 3; kind++) save(kind, parent, dir);

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        SplittableRandom random = new SplittableRandom(16);
        int[] seen = new int[3], leftovers = new int[3];
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(List.of(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), KillDuringSaveTest.class.getName(), dir.toString()))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("start")) { /* JVM warnings */ }
            Thread.sleep(random.nextInt(5, 250));
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            for (int kind = 0; kind < 3; kind++) {
                float[] y = values(load(kind, dir));
                int which = -1;
                for (int seed = 0; seed < 3; seed++) if (Arrays.equals(known[seed], y)) which = seed;
                if (which < 0) {
                    StringBuilder diff = new StringBuilder();
                    for (int seed = 0; seed < 3; seed++) {
                        int differ = 0;
                        for (int i = 0; i < y.length; i++) if (y[i] != known[seed][i]) differ++;
                        diff.append(" model ").append(seed).append(": ").append(differ).append(" of ").append(y.length).append(" differ;");
                    }
                    assertTrue(false, "kill " + kill + ", target " + kind + ": the file is none of the saved models:" + diff);
                }
                seen[kind] |= 1 << which;
                if (!strays(kind).isEmpty()) leftovers[kind]++;
                // The next save (the parent's) removes whatever the killed one left.
                save(kind, parent, dir);
                assertEquals(List.of(), strays(kind), "kill " + kill + ", target " + kind);
            }
        }
        for (int kind = 0; kind < 3; kind++) assertTrue((seen[kind] & 6) != 0, "target " + kind + ": no child save ever completed");
        // A kill inside a write leaves temporary files (how often depends on the instants): ones planted the way a killed
        // save leaves them, a temporary file and an unlisted shard, are gone after the next save.
        Files.write(dir.resolve(".m.keras.k1ll3d.tmp"), new byte[100]);
        Files.write(dir.resolve(".m.weights.h5.k1ll3d.tmp"), new byte[100]);
        Files.write(dir.resolve("web/model.k1ll3d.bin"), new byte[100]);
        Files.write(dir.resolve("web/.model.json.k1ll3d.tmp"), new byte[100]);
        Files.write(dir.resolve("web/.model.k1ll3e.bin.x1.tmp"), new byte[100]);
        for (int kind = 0; kind < 3; kind++) {
            save(kind, parent, dir);
            assertEquals(List.of(), strays(kind), "target " + kind);
        }
        if ("1".equals(System.getenv("RNN4J_PRINT_CORPUS"))) {
            System.err.println("KILLS " + KILLS + " inside-write " + Arrays.toString(leftovers) + " models seen " + Arrays.toString(seen));
        }
    }

    /** Every weight value of a model, in order: two models are the same when these are. */
    static float[] values(Model m) {
        int n = 0;
        for (var w : m.weights()) n += w.size();
        float[] out = new float[n];
        int at = 0;
        for (var w : m.weights()) {
            System.arraycopy(w.value().data(), 0, out, at, w.size());
            at += w.size();
        }
        return out;
    }

    /** Files beside a target that are not it: temporary files, and shards {@code model.json} does not list. */
    private List<String> strays(int kind) throws Exception {
        Path d = kind == 0 ? dir.resolve("web") : dir;
        List<String> keep = kind == 0 ? new ArrayList<>(Tfjs.shardPaths(d.resolve("model.json"))) : new ArrayList<>();
        keep.addAll(List.of("model.json", "m.keras", "m.weights.h5", "web"));
        List<String> out = new ArrayList<>();
        try (var files = Files.list(d)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                boolean mine = kind == 0 || n.contains(kind == 1 ? "m.keras" : "m.weights.h5");
                if (mine && !keep.contains(n)) out.add(n);
            }
        }
        return out;
    }
}
