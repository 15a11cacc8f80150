package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * The streaming API: per-stream states stepped one timestep at a time give the outputs of whole-sequence
 * inference; streams are independent of each other, of batch positions and of threads; a state saved as bytes
 * continues identically in another model instance or another process, and nowhere else.
 */
class StreamingTest {
    private static final int STEPS = 7, FEATURES = 3;

    /** LSTM(5, return_sequences) -> LSTM(4, return_sequences) -> TimeDistributed(Dense(2)) -> softmax. */
    static Sequential stackedSequences(long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(5).returnSequences(true).inputShape(STEPS, FEATURES));
        m.add(new LSTM(4).returnSequences(true));
        m.add(new TimeDistributed(new Dense(2)));
        m.add(new ActivationLayer("softmax"));
        return m;
    }

    /** The largest |stepped - whole| over every stream and step (or the last step only without return_sequences). */
    private static double maxSteppingError(Model m, Tensor x, boolean everyStep) {
        float[] whole = m.predict(x, x.shape(0)).data();
        int n = x.shape(0), t = x.shape(1), f = x.shape(2);
        double worst = 0;
        for (int b = 0; b < n; b++) {
            RecurrentState s = m.newState();
            for (int k = 0; k < t; k++) {
                float[] step = new float[f];
                System.arraycopy(x.data(), (b * t + k) * f, step, 0, f);
                float[] y = m.step(s, step);
                if (!everyStep && k < t - 1) continue;
                int off = everyStep ? (b * t + k) * y.length : b * y.length;
                for (int j = 0; j < y.length; j++) worst = Math.max(worst, Math.abs(y[j] - whole[off + j]));
            }
            assertEquals(t, s.steps());
        }
        return worst;
    }

    @Test
    void steppingAnLstmEqualsRunningTheWholeSequence() {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential(new LSTM(6).returnSequences(true).inputShape(STEPS, FEATURES));
        assertTrue(maxSteppingError(m, GradientCheck.random(1, 4, STEPS, FEATURES), true) <= 1e-6);
    }

    @Test
    void steppingStackedLstmsWithATimeDistributedHeadEqualsTheWholeSequence() {
        Sequential m = stackedSequences(4);
        assertTrue(maxSteppingError(m, GradientCheck.random(2, 5, STEPS, FEATURES), true) <= 1e-6);
    }

    @Test
    void steppingAManyToOneModelEqualsItsOutputAtTheLastStep() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential();
        m.add(new LSTM(5).returnSequences(true).recurrentActivation("hard_sigmoid").inputShape(STEPS, FEATURES));
        m.add(new LSTM(3));
        m.add(new Dropout(0.5));
        m.add(new Dense(2, "tanh"));
        assertTrue(maxSteppingError(m, GradientCheck.random(3, 5, STEPS, FEATURES), false) <= 1e-6);
    }

    @Test
    void maskedTimestepsKeepTheStreamsStateAsInTheDriver() {
        Rnn4j.setRandomSeed(6);
        Sequential m = new Sequential();
        m.add(new Masking(0f).inputShape(STEPS, FEATURES));
        m.add(new LSTM(4).returnSequences(true));
        m.add(new TimeDistributed(new Dense(1)));
        Tensor x = GradientCheck.random(7, 3, STEPS, FEATURES);
        // Post-padding, pre-padding and a gap in the middle.
        for (int j = 0; j < FEATURES; j++) {
            for (int k = 5; k < STEPS; k++) x.set(0f, 0, k, j);
            for (int k = 0; k < 2; k++) x.set(0f, 1, k, j);
            x.set(0f, 2, 3, j);
        }
        assertTrue(maxSteppingError(m, x, true) <= 1e-6);
    }

    @Test
    void steppingAFunctionalChainEqualsTheWholeSequence() {
        Rnn4j.setRandomSeed(21);
        org.rnn4j.layers.Input in = new org.rnn4j.layers.Input(STEPS, FEATURES);
        var h = new LSTM(5).returnSequences(true).apply(in);
        var y = new TimeDistributed(new Dense(2, "sigmoid")).apply(new LSTM(4).returnSequences(true).apply(h));
        Functional m = new Functional(in, y);
        assertTrue(maxSteppingError(m, GradientCheck.random(22, 3, STEPS, FEATURES), true) <= 1e-6);
    }

    @Test
    void steppingFollowsTheWeightsWhenTheyChangeBetweenSteps() {
        // The streaming path packs the LSTM's weights once; training or set_weights between steps must be seen.
        Sequential m = stackedSequences(31);
        Tensor x = GradientCheck.random(32, 2, STEPS, FEATURES);
        assertTrue(maxSteppingError(m, x, true) <= 1e-6);
        m.compile("mse", "adam");
        m.trainOnBatch(x, GradientCheck.random(33, 2, STEPS, 2));
        assertTrue(maxSteppingError(m, x, true) <= 1e-6, "after a training step");
        Sequential other = stackedSequences(34);
        m.setWeights(other.getWeights());
        assertTrue(maxSteppingError(m, x, true) <= 1e-6, "after set_weights");
        assertArrayEquals(other.predict(x, 2).data(), m.predict(x, 2).data());
    }

    @Test
    void aFunctionalModelThatIsNotOnePathIsRefused() {
        org.rnn4j.layers.Input a = new org.rnn4j.layers.Input(STEPS, FEATURES), b = new org.rnn4j.layers.Input(STEPS, FEATURES);
        Functional two = new Functional(List.of(a, b), List.of(new LSTM(2).apply(a), new LSTM(2).apply(b)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, two::newState);
        assertTrue(e.getMessage().contains("one input and one output") && e.getMessage().contains("2 input(s)"), e.getMessage());
    }

    @Test
    void microBatchingAdvancesManyStreamsAsOneByOne() {
        Sequential m = stackedSequences(8);
        int n = 37;
        Tensor x = GradientCheck.random(9, n, STEPS, FEATURES);
        List<RecurrentState> batched = new ArrayList<>(), single = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            batched.add(m.newState());
            single.add(m.newState());
        }
        for (int k = 0; k < STEPS; k++) {
            float[][] xs = new float[n][];
            for (int b = 0; b < n; b++) xs[b] = row(x, b, k);
            float[][] ys = m.step(batched, xs);
            for (int b = 0; b < n; b++) {
                float[] y = m.step(single.get(b), xs[b]);
                for (int j = 0; j < y.length; j++) assertEquals(y[j], ys[b][j], 1e-6);
            }
        }
    }

    private static float[] row(Tensor x, int b, int k) {
        int t = x.shape(1), f = x.shape(2);
        float[] r = new float[f];
        System.arraycopy(x.data(), (b * t + k) * f, r, 0, f);
        return r;
    }

    @Test
    void eightThreadsDrivingFiveHundredStreamsEachMatchOneByOne() throws Exception {
        Sequential m = stackedSequences(10);
        int threads = 8, perThread = 500, steps = 6;
        int streams = threads * perThread;
        // Every stream its own input sequence.
        Tensor x = GradientCheck.random(11, streams, steps, FEATURES);
        float[][][] expected = new float[streams][steps][];
        for (int s = 0; s < streams; s++) {
            RecurrentState st = m.newState();
            for (int k = 0; k < steps; k++) expected[s][k] = m.step(st, row(x, s, k));
        }
        float[][][] got = new float[streams][steps][];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                done.add(pool.submit(() -> {
                    // Interleave: every stream of this thread takes step k before any takes step k + 1.
                    RecurrentState[] own = new RecurrentState[perThread];
                    for (int i = 0; i < perThread; i++) own[i] = m.newState();
                    for (int k = 0; k < steps; k++) {
                        for (int i = 0; i < perThread; i++) got[first + i][k] = m.step(own[i], row(x, first + i, k));
                    }
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (int s = 0; s < streams; s++) {
            for (int k = 0; k < steps; k++) assertArrayEquals(expected[s][k], got[s][k], "stream " + s + " step " + k);
        }
    }

    @Test
    void aRestoredStateContinuesIdenticallyInAFreshModelInstance() {
        Sequential a = stackedSequences(12);
        Tensor x = GradientCheck.random(13, 1, STEPS, FEATURES);
        RecurrentState s = a.newState();
        for (int k = 0; k < 3; k++) a.step(s, row(x, 0, k));
        byte[] saved = s.toBytes();
        Sequential b = stackedSequences(99);
        b.setWeights(a.getWeights());
        RecurrentState r = b.restoreState(saved);
        assertEquals(3, r.steps());
        for (int k = 3; k < STEPS; k++) assertArrayEquals(a.step(s, row(x, 0, k)), b.step(r, row(x, 0, k)));
    }

    @Test
    void aRestoredStateContinuesIdenticallyInAFreshProcess(@TempDir Path dir) throws Exception {
        Sequential a = stackedSequences(14);
        Tensor x = GradientCheck.random(15, 1, STEPS, FEATURES);
        RecurrentState s = a.newState();
        for (int k = 0; k < 4; k++) a.step(s, row(x, 0, k));
        Files.write(dir.resolve("state.bin"), s.toBytes());
        writeFloats(dir.resolve("weights.bin"), a.getWeights());
        writeFloats(dir.resolve("inputs.bin"), List.of(x));
        List<float[]> expected = new ArrayList<>();
        for (int k = 4; k < STEPS; k++) expected.add(a.step(s, row(x, 0, k)));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StreamingChild.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child process finished");
        assertEquals(0, p.exitValue(), output);
        List<Tensor> got = readFloats(dir.resolve("outputs.bin"));
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i).data(), "step " + (4 + i));
    }

    /** The second process: rebuilds the model from its weights, restores the state, steps the remaining inputs. */
    public static final class StreamingChild {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            Sequential m = stackedSequences(1234);
            m.setWeights(readFloats(dir.resolve("weights.bin")));
            RecurrentState s = m.restoreState(Files.readAllBytes(dir.resolve("state.bin")));
            Tensor x = readFloats(dir.resolve("inputs.bin")).get(0);
            List<Tensor> out = new ArrayList<>();
            for (int k = (int) s.steps(); k < STEPS; k++) {
                float[] y = m.step(s, row(x, 0, k));
                out.add(Tensor.of(y, y.length));
            }
            writeFloats(dir.resolve("outputs.bin"), out);
        }
    }

    static void writeFloats(Path file, List<Tensor> tensors) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(tensors.size());
            for (Tensor t : tensors) {
                int[] s = t.shape();
                out.writeInt(s.length);
                for (int d : s) out.writeInt(d);
                for (float v : t.data()) out.writeFloat(v);
            }
        }
    }

    static List<Tensor> readFloats(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            List<Tensor> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int[] s = new int[in.readInt()];
                for (int j = 0; j < s.length; j++) s[j] = in.readInt();
                Tensor t = Tensor.zeros(s);
                float[] d = t.data();
                for (int j = 0; j < d.length; j++) d[j] = in.readFloat();
                out.add(t);
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aSnapshotOfAnotherModelIsRefused() {
        Sequential a = stackedSequences(16);
        RecurrentState s = a.newState();
        a.step(s, new float[] {1, 2, 3});
        byte[] saved = s.toBytes();
        // Same architecture, other weights.
        Sequential b = stackedSequences(17);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.restoreState(saved));
        assertTrue(e.getMessage().contains("belongs to another model") && e.getMessage().contains("weight values differ"),
                e.getMessage());
        // Other architecture.
        Rnn4j.setRandomSeed(1);
        Sequential c = new Sequential(new LSTM(5).inputShape(STEPS, FEATURES));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> c.restoreState(saved));
        assertTrue(e2.getMessage().contains("belongs to another model") && e2.getMessage().contains("2 recurrent layer(s)"),
                e2.getMessage());
        // Not a state at all, and a truncated one.
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> a.restoreState(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(e3.getMessage().contains("not an rnn4j recurrent state"), e3.getMessage());
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> a.restoreState(java.util.Arrays.copyOf(saved, saved.length - 3)));
        assertTrue(e4.getMessage().contains("truncated"), e4.getMessage());
        // The model's own state comes back.
        assertArrayEquals(s.get(1, 1), a.restoreState(saved).get(1, 1));
    }

    @Test
    void aStateOfAnotherModelIsRefusedByStep() {
        Sequential a = stackedSequences(18), b = stackedSequences(18);
        RecurrentState s = a.newState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.step(s, new float[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("belongs to model \"" + a.name() + "\", not to model \"" + b.name() + "\""),
                e.getMessage());
    }

    @Test
    void everyLayerThatWorksTimestepByTimestepStreamsThroughItsOwnForward() {
        // Normalisation layers stream with no streaming code of their own: the plan runs their forward pass.
        Rnn4j.setRandomSeed(31);
        Sequential m = new Sequential();
        m.add(new Masking(0f).inputShape(STEPS, FEATURES));
        m.add(new LSTM(6).returnSequences(true));
        m.add(new org.rnn4j.layers.normalization.LayerNormalization());
        m.add(new org.rnn4j.layers.recurrent.GRU(5).returnSequences(true));
        m.add(new org.rnn4j.layers.normalization.BatchNormalization());
        m.add(new ActivationLayer("relu"));
        m.add(new TimeDistributed(new Dense(2)));
        Tensor x = GradientCheck.random(32, 4, STEPS, FEATURES);
        for (int j = 0; j < FEATURES; j++) x.set(0f, 1, STEPS - 1, j); // a masked last step
        assertTrue(maxSteppingError(m, x, true) <= 1e-6);
        // A layer whose output at a step depends on other steps is refused, naming it.
        Sequential pooled = new Sequential(new LSTM(3).returnSequences(true).inputShape(STEPS, FEATURES),
                new org.rnn4j.layers.reshaping.Flatten().name("flat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pooled::newState);
        assertTrue(e.getMessage().contains("\"flat\" (Flatten) cannot be streamed: its output at a timestep depends on other "
                + "timesteps"), e.getMessage());
    }

    @Test
    void wrongInputsAndUnstreamableLayersAreRefused() {
        Sequential m = stackedSequences(19);
        RecurrentState s = m.newState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.step(s, new float[] {1, 2}));
        assertTrue(e.getMessage().contains("takes 3 feature(s) per timestep, got 2 value(s)"), e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> m.step(List.of(s, s), new float[][] {{1, 2, 3}, {1, 2, 3}}));
        assertTrue(twice.getMessage().contains("appears twice"), twice.getMessage());
        Sequential back = new Sequential(new LSTM(2).goBackwards(true).inputShape(STEPS, FEATURES).name("lstm_back"));
        IllegalArgumentException gb = assertThrows(IllegalArgumentException.class, back::newState);
        assertTrue(gb.getMessage().contains("\"lstm_back\" (LSTM) cannot be streamed: go_backwards"), gb.getMessage());
        Sequential unbuilt = new Sequential(new LSTM(2));
        IllegalStateException ub = assertThrows(IllegalStateException.class, unbuilt::newState);
        assertTrue(ub.getMessage().contains("not built yet"), ub.getMessage());
    }

    @Test
    void aStateResetsAndForksLikeANewStream() {
        Sequential m = stackedSequences(20);
        RecurrentState s = m.newState();
        float[] first = m.step(s, new float[] {1, 0, -1});
        RecurrentState fork = s.copy();
        assertArrayEquals(m.step(s, new float[] {0.5f, 0.5f, 0.5f}), m.step(fork, new float[] {0.5f, 0.5f, 0.5f}));
        s.reset();
        assertEquals(0, s.steps());
        assertArrayEquals(first, m.step(s, new float[] {1, 0, -1}));
    }
}
