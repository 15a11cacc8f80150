package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.kernels.RowBlocks;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Masking;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * A model's outputs, and its loss and weights after one Adam step, at 1, 2, 3, 4 and 8 threads (8 is more than this
 * machine's cores): equal to one thread's within float32 summation-order differences (see {@link Parallel}), and
 * bit for bit equal at every count in deterministic mode. The batches are cut into row blocks (checked; the work
 * threshold is lowered so that the SimpleRNN's small batches are cut too), with post-padded rows behind a Masking
 * layer.
 *
 * <p>Exact comparisons take the result of two consecutive runs that agree: until the JIT has compiled the Vector API
 * gate math, its {@code EXP} runs a scalar fallback whose last bit can differ from the compiled intrinsic, so a cold
 * run may differ from a warm one at any thread count. A different cut differs at every run, and still fails.
 */
class ThreadCountsTest {
    private static final int[] THREADS = {1, 2, 3, 4, 8};
    private static final int STEPS = 10, DIM = 8, UNITS = 32;
    /**
     * The summation-order bound for one sum of n terms is 2 (n - 1) 2^-24 sum|t| (Parallel's Javadoc); the largest sums
     * here are weight gradients over batch * steps = 640 terms, and the outputs and loss pass such differences
     * through a few layers. Relative to the values' scale, 640 * 2^-23 is 7.6e-5; a dropped or doubled row block
     * moves these values by 1e-2 or more.
     */
    private static final float RELATIVE = 1e-4f;

    @BeforeEach
    void cutSmallBatchesToo() {
        RowBlocks.setThresholds(RowBlocks.defaultMinRows(), 32 * 1024);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        Parallel.setDeterministic(false);
        RowBlocks.resetThresholds();
    }

    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({"lstm, 16", "lstm, 17", "lstm, 33", "lstm, 64", "gru, 16", "gru, 33", "gru, 64",
            "gru_reset_before, 17", "gru_reset_before, 64", "simple_rnn, 17", "simple_rnn, 64",
            "bidirectional, 16", "bidirectional, 33", "bidirectional, 64"})
    void outputsAndOneTrainingStepAgreeAtEveryThreadCount(String kind, int batch) {
        Result one = null;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            int width = (kind.startsWith("lstm") ? 4 : kind.startsWith("gru") ? 3 : kind.equals("simple_rnn") ? 1 : 4) * UNITS;
            int blocks = RowBlocks.count(batch, STEPS, DIM, UNITS, width);
            assertEquals(Math.min(threads, batch / RowBlocks.defaultMinRows()), blocks, "row blocks at " + threads + " threads");
            Result r = run(kind, batch);
            if (one == null) {
                one = r;
                continue;
            }
            close(one.out, r.out, "outputs at " + threads + " threads");
            close(one.weights, r.weights, "weights after one Adam step at " + threads + " threads");
            assertEquals(one.loss, r.loss, RELATIVE * Math.abs(one.loss), "loss at " + threads + " threads");
        }
    }

    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({"lstm, 33", "gru, 64", "simple_rnn, 17", "bidirectional, 16"})
    void deterministicModeGivesTheSameBitsAtEveryThreadCount(String kind, int batch) {
        Parallel.setDeterministic(true);
        Result one = null;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            Result r = stable(kind, batch);
            if (one == null) {
                one = r;
                continue;
            }
            assertArrayEquals(one.out, r.out, "outputs at " + threads + " threads");
            assertArrayEquals(one.weights, r.weights, "weights after one Adam step at " + threads + " threads");
            assertEquals(one.loss, r.loss, 0.0, "loss at " + threads + " threads");
        }
    }

    private static final class Result {
        float[] out, weights;
        double loss;
    }

    /** The first result that two consecutive runs agree on (at most ten runs), see the class comment. */
    private static Result stable(String kind, int batch) {
        Result last = run(kind, batch);
        for (int i = 0; i < 10; i++) {
            Result r = run(kind, batch);
            if (java.util.Arrays.equals(r.out, last.out) && java.util.Arrays.equals(r.weights, last.weights) && r.loss == last.loss) {
                return r;
            }
            last = r;
        }
        return last;
    }

    /** Seeded model and data: the predictions, then one Adam step's loss and weights. */
    private static Result run(String kind, int batch) {
        Rnn4j.setRandomSeed(17);
        Layer rnn = kind.equals("bidirectional") ? new Bidirectional(new LSTM(UNITS).returnSequences(true))
                : RecurrentGradientTest.make(kind, UNITS).returnSequences(true);
        Sequential m = new Sequential(new Masking(0f).inputShape(STEPS, DIM), rnn, new GRU(16), new Dense(3));
        m.compile("mse", "adam");
        SplittableRandom r = new SplittableRandom(batch);
        float[] x = new float[batch * STEPS * DIM];
        for (int b = 0; b < batch; b++) {
            int len = b % 4 == 3 ? STEPS - 1 - b % 5 : STEPS; // some rows post-padded with zeros (masked)
            for (int i = 0; i < len * DIM; i++) x[b * STEPS * DIM + i] = (float) r.nextGaussian();
        }
        float[] y = new float[batch * 3];
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        Tensor xt = Tensor.of(x, batch, STEPS, DIM), yt = Tensor.of(y, batch, 3);
        Result res = new Result();
        res.out = m.predict(xt, batch).data().clone();
        res.loss = m.trainOnBatch(xt, yt).get("loss");
        List<Float> all = new ArrayList<>();
        for (Tensor w : m.getWeights()) for (float v : w.data()) all.add(v);
        res.weights = new float[all.size()];
        for (int i = 0; i < all.size(); i++) res.weights[i] = all.get(i);
        return res;
    }

    /** Equal within RELATIVE of the arrays' largest magnitude. */
    private static void close(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        float scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        float tol = RELATIVE * Math.max(scale, 1e-3f);
        for (int i = 0; i < expected.length; i++) {
            float d = Math.abs(expected[i] - actual[i]);
            assertTrue(d <= tol, what + ": element " + i + " differs by " + d + " (" + expected[i] + " vs " + actual[i]
                    + "), bound " + tol);
        }
    }
}
