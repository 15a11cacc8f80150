package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * The kernels of the active {@link KernelPlan} (each kernel-variant run of the build forces one with
 * {@code -Drnn4j.kernel}) against exact products and against the plain-Java kernels: every register-tile edge of the
 * plan's matrix multiply within the float32 summation bound, and layers (LSTM, GRU both ways, SimpleRNN,
 * Bidirectional, Conv1D, Dense, the streaming LSTM step) forward and backward equal to a second process running the
 * other kind of kernels (plain Java here, or the Vector API when this run is plain Java).
 */
class KernelVariantsTest {
    private static final double U = 0x1p-24;

    @Test
    void everyTileEdgeOfThePlanIsWithinTheFloat32Bound() {
        KernelPlan plan = KernelPlan.active();
        int mr = plan.tileRows(), nr = Math.max(plan.tileColumns(), 4), lanes = plan.lanes();
        int mc = plan.rowBlock(), nc = plan.columnBlock(), kc = plan.kBlock();
        int[] ms = {1, mr - 1, mr, mr + 1, mr + 4, mr + 5, 2 * mr + 5, mc + mr + 1};
        int[] ns = {1, Math.max(1, lanes - 1), lanes, nr - 1, nr, nr + 1, 4 * nr, 4 * nr + 3, 8 * lanes + 5, nc + nr + 1};
        int[] ks = {1, 5, kc + 3};
        SplittableRandom r = new SplittableRandom(5);
        for (int m : ms) for (int n : ns) for (int k : ks) {
            if (k == 1 && m > 2 * mr + 5) continue;
            check(r, false, false, m, n, k, false);
            check(r, true, false, m, n, k, true);
            check(r, false, true, m, n, k, true);
            check(r, false, false, m, n, k, true, true);
            check(r, true, false, m, n, k, false, true);
        }
    }

    private static void check(SplittableRandom r, boolean transA, boolean transB, int m, int n, int k, boolean accumulate) {
        check(r, transA, transB, m, n, k, accumulate, false);
    }

    /** One product with the active kernel (packed B when asked) against the exact one, element by element. */
    private static void check(SplittableRandom r, boolean transA, boolean transB, int m, int n, int k, boolean accumulate,
                              boolean packed) {
        int lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 3, aOff = 2, bOff = 1, cOff = 4;
        float[] a = random(r, aOff + (transA ? k : m) * lda), b = random(r, bOff + (transB ? n : k) * ldb);
        float[] c = random(r, cOff + m * ldc), c0 = c.clone();
        if (packed) {
            PackedMatrix pb = new PackedMatrix();
            MatMul.pack(transB, k, n, b, bOff, ldb, pb);
            MatMul.gemmPacked(transA, m, a, aOff, lda, pb, c, cOff, ldc, accumulate);
        } else {
            MatMul.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = accumulate ? c0[cOff + i * ldc + j] : 0, magnitude = Math.abs(exact);
                for (int p = 0; p < k; p++) {
                    double t = (double) (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p])
                            * (transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j]);
                    exact += t;
                    magnitude += Math.abs(t);
                }
                // A float32 sum of k + 1 terms in any order, each product rounded or fused: within (k + 2) u sum|t|.
                double bound = (k + 2) * U * magnitude * 1.01 + Float.MIN_NORMAL;
                float got = c[cOff + i * ldc + j];
                if (!(Math.abs(got - exact) <= bound)) {
                    fail(KernelPlan.active().name() + (packed ? " packed " : " ") + m + "x" + n + "x" + k + " transA=" + transA
                            + " transB=" + transB + " accumulate=" + accumulate + ": C[" + i + "," + j + "] = " + got
                            + ", exact " + exact + ", bound " + bound);
                }
            }
        }
        // Nothing outside C's rows and columns is written.
        for (int i = 0; i < c.length; i++) {
            int row = (i - cOff) / ldc, col = (i - cOff) % ldc;
            boolean inside = i >= cOff && row < m && col < n;
            if (!inside) assertEquals(c0[i], c[i], "element " + i + " outside C");
        }
    }

    /**
     * The same layers, weights and inputs computed here and by a second JVM with the other kind of kernels: the
     * results differ only in the order of float32 sums (tiles, K-blocks, fused multiply-adds), which through these
     * layers stays below 1e-4 of each result's scale (as between thread counts, see ThreadCountsTest), where a
     * tile that drops or repeats a row or a column moves them by 1e-2 or more.
     */
    @Test
    void layersForwardAndBackwardEqualTheOtherKindOfKernels(@TempDir Path dir) throws Exception {
        KernelPlan plan = KernelPlan.active();
        List<float[]> here = compute();
        Path file = dir.resolve("other.bin");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (plan.vectorBits() == 0) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
            cmd.add("-Drnn4j.kernel=auto");
        } else {
            cmd.add("-Drnn4j.kernel=scalar");
        }
        cmd.addAll(List.of("-Xss8m", "-Drnn4j.threads=" + Parallel.threads(), "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the other process finished");
        assertEquals(0, p.exitValue(), output);
        List<float[]> other = read(file);
        assertEquals(NAMES.size(), here.size());
        assertEquals(here.size(), other.size());
        for (int i = 0; i < here.size(); i++) {
            float[] a = here.get(i), b = other.get(i);
            String what = NAMES.get(i) + " (" + plan.name() + " against " + (plan.vectorBits() == 0 ? "vector" : "scalar") + ")";
            assertEquals(a.length, b.length, what + ": size");
            double scale = 0;
            for (float v : a) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0 && Float.isFinite((float) scale), what + ": values");
            for (int j = 0; j < a.length; j++) {
                if (!(Math.abs(a[j] - b[j]) <= 1e-4 * scale)) fail(what + "[" + j + "]: " + a[j] + " here, " + b[j] + " there");
            }
        }
    }

    /** The other process: computes the same and writes it to the file named by the argument. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            List<float[]> out = compute();
            try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
                d.writeInt(out.size());
                for (float[] v : out) {
                    d.writeInt(v.length);
                    for (float x : v) d.writeFloat(x);
                }
            }
        }
    }

    private static List<float[]> read(Path file) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (DataInputStream d = new DataInputStream(Files.newInputStream(file))) {
            int count = d.readInt();
            for (int i = 0; i < count; i++) {
                float[] v = new float[d.readInt()];
                for (int j = 0; j < v.length; j++) v[j] = d.readFloat();
                out.add(v);
            }
        }
        return out;
    }

    private static final List<String> NAMES = new ArrayList<>();

    /**
     * Shapes that reach every path: batches above, at and below a tile (13, 20, 9, 7, 3 rows), units with vector
     * tails at every width (37, 40, 24, 33), an input wider than the K-block (300), row blocks, packed and unpacked
     * recurrent kernels, and the streaming LSTM(256) step of the stream benchmark.
     */
    static List<float[]> compute() {
        List<float[]> out = new ArrayList<>();
        NAMES.clear();
        sequence(out, "lstm", 13, 6, 5, m -> m.add(new LSTM(37).returnSequences(true).inputShape(6, 5)));
        sequence(out, "gru", 20, 5, 300, m -> m.add(new GRU(40).inputShape(5, 300)));
        sequence(out, "gru_reset_before", 9, 6, 4, m -> m.add(new GRU(24).resetAfter(false).inputShape(6, 4)));
        sequence(out, "simple_rnn", 7, 8, 6, m -> m.add(new SimpleRNN(33).inputShape(8, 6)));
        sequence(out, "bidirectional_lstm", 3, 5, 4, m -> m.add(new Bidirectional(new LSTM(16)).inputShape(5, 4)));
        sequence(out, "conv1d_lstm", 10, 12, 7, m -> {
            m.add(new Conv1D(20, 3).inputShape(12, 7));
            m.add(new LSTM(18));
        });
        // The stream benchmark's model: LSTM(256) on 32 features, one step per call.
        Rnn4j.setRandomSeed(21);
        Sequential s = new Sequential();
        s.add(new LSTM(256).inputShape(1, 32));
        s.add(new Dense(1));
        Tensor x = GradientCheck.random(22, 6, 32);
        RecurrentState state = s.newState();
        float[] ys = new float[6];
        for (int t = 0; t < 6; t++) {
            float[] row = new float[32];
            System.arraycopy(x.data(), t * 32, row, 0, 32);
            ys[t] = s.step(state, row)[0];
        }
        add(out, "stream lstm(256) steps", ys);
        return out;
    }

    private static void sequence(List<float[]> out, String name, int batch, int steps, int dim,
                                 java.util.function.Consumer<Sequential> layers) {
        Rnn4j.setRandomSeed(name.hashCode());
        Sequential m = new Sequential();
        layers.accept(m);
        m.add(new Dense(3));
        Tensor x = GradientCheck.random(name.length(), batch, steps, dim);
        Tensor y = m.predict(x, batch);
        add(out, name + " predict", y.data());
        Tensor target = GradientCheck.random(name.length() + 100, y.shape());
        m.compile(Loss.get("mse"), new SGD(0.01));
        float loss = (float) m.computeGradients(new Tensor[] {x}, new Tensor[] {target}, false);
        add(out, name + " loss", new float[] {loss});
        for (Weight w : m.trainableWeights()) add(out, name + " gradient of " + w.path(), w.grad().data().clone());
    }

    private static void add(List<float[]> out, String name, float[] values) {
        out.add(values);
        NAMES.add(name);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }
}
