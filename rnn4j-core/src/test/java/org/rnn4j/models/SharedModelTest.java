package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;

/**
 * One model shared by eight threads: every {@code predict}, {@code predictOnBatch}, {@code evaluate} and {@code step}
 * returns exactly (bit for bit) what the same call returns when made alone, for every model kind, at every kernel
 * thread count.
 */
class SharedModelTest {
    private static final int CLIENTS = 8, CALLS_PER_CLIENT = 240, STEPS = 6, FEATURES = 3;
    private static final int[] BATCHES = {1, 3, 16, 17, 33, 64};

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3, 4, 8}) {
            for (String kind : new String[] {"lstm", "gru", "gru_reset_before", "simple_rnn", "bidirectional", "stacked",
                    "functional_two_inputs", "masked"}) {
                out.add(Arguments.of(kind, threads));
            }
        }
        return out;
    }

    static Model make(String kind) {
        Rnn4j.setRandomSeed(kind.hashCode());
        Model m = switch (kind) {
            case "lstm" -> new Sequential(new LSTM(12).inputShape(STEPS, FEATURES), new Dense(2));
            case "gru" -> new Sequential(new GRU(12).returnSequences(true).inputShape(STEPS, FEATURES),
                    new TimeDistributed(new Dense(2)));
            case "gru_reset_before" -> new Sequential(new GRU(10).resetAfter(false).inputShape(STEPS, FEATURES), new Dense(1));
            case "simple_rnn" -> new Sequential(new SimpleRNN(9).returnSequences(true).inputShape(STEPS, FEATURES));
            case "bidirectional" -> new Sequential(new Bidirectional(new LSTM(7).returnSequences(true), "concat")
                    .inputShape(STEPS, FEATURES), new Bidirectional(new GRU(5), "sum"), new Dense(1));
            case "stacked" -> new Sequential(new LSTM(16).returnSequences(true).inputShape(STEPS, FEATURES),
                    new GRU(8).returnSequences(true), new TimeDistributed(new Dense(3)));
            case "functional_two_inputs" -> {
                Input a = new Input(STEPS, FEATURES), b = new Input(STEPS, FEATURES);
                KerasTensor ha = new LSTM(8).apply(a), hb = new GRU(6).apply(b);
                yield Model.of(List.of(a, b), List.of(new Dense(2).apply(new Concatenate().apply(ha, hb))));
            }
            case "masked" -> new Sequential(new Masking(0f).inputShape(STEPS, FEATURES),
                    new LSTM(11).returnSequences(true), new GRU(4));
            default -> throw new IllegalArgumentException(kind);
        };
        m.compile("mse", "adam", "mae");
        return m;
    }

    /** Inputs whose rows end in masked (all-zero) timesteps, so masking paths run too. */
    private static Tensor input(SplittableRandom r, int batch) {
        Tensor t = Tensor.zeros(batch, STEPS, FEATURES);
        float[] d = t.data();
        for (int b = 0; b < batch; b++) {
            int valid = STEPS - r.nextInt(3);
            for (int i = 0; i < valid * FEATURES; i++) d[b * STEPS * FEATURES + i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }

    /** One call: its name and what it returns, flattened. */
    private record Call(String name, Callable<float[]> run) {}

    private static List<Call> calls(Model m, SplittableRandom r) {
        List<Call> calls = new ArrayList<>();
        for (int batch : BATCHES) {
            Tensor[] x = new Tensor[m.inputCount()];
            for (int i = 0; i < x.length; i++) x[i] = input(r, batch);
            Tensor[] y = new Tensor[m.outputCount()];
            for (int o = 0; o < y.length; o++) {
                int[] s = m.outputShapes().get(o).clone();
                s[0] = batch;
                y[o] = Tensor.zeros(s);
                for (int i = 0; i < y[o].size(); i++) y[o].data()[i] = (float) r.nextDouble();
            }
            calls.add(new Call("predict batch " + batch, () -> flat(m.predict(x, 7))));
            calls.add(new Call("predictOnBatch batch " + batch, () -> flat(m.predictOnBatch(x))));
            calls.add(new Call("evaluate batch " + batch, () -> values(m.evaluate(x, y, null, 5, 0))));
            calls.add(new Call("testOnBatch batch " + batch, () -> values(m.testOnBatch(x, y))));
        }
        if (m.inputCount() == 1 && !(m.layers().get(0) instanceof Bidirectional)) {
            // Streaming (a model that runs one timestep at a time: Bidirectional needs the whole sequence): each
            // call steps its own fresh streams through a whole sequence.
            for (int streams : new int[] {1, 3, 17}) {
                Tensor x = input(r, streams);
                calls.add(new Call("step " + streams + " streams", () -> stepThrough(m, x)));
            }
        }
        return calls;
    }

    private static float[] stepThrough(Model m, Tensor x) {
        int n = x.shape(0);
        List<RecurrentState> states = new ArrayList<>();
        for (int b = 0; b < n; b++) states.add(m.newState());
        float[][] xs = new float[n][FEATURES];
        List<Float> out = new ArrayList<>();
        for (int k = 0; k < STEPS; k++) {
            for (int b = 0; b < n; b++) System.arraycopy(x.data(), (b * STEPS + k) * FEATURES, xs[b], 0, FEATURES);
            float[][] y = n == 1 ? new float[][] {m.step(states.get(0), xs[0])} : m.step(states, xs);
            for (float[] row : y) for (float v : row) out.add(v);
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) f[i] = out.get(i);
        return f;
    }

    private static float[] flat(Tensor[] ts) {
        int n = 0;
        for (Tensor t : ts) n += t.size();
        float[] f = new float[n];
        int o = 0;
        for (Tensor t : ts) {
            System.arraycopy(t.data(), 0, f, o, t.size());
            o += t.size();
        }
        return f;
    }

    private static float[] values(Map<String, Double> logs) {
        float[] f = new float[logs.size() * 2];
        int i = 0;
        for (double v : logs.values()) {
            long bits = Double.doubleToLongBits(v); // exact: both halves of the double
            f[i++] = Float.intBitsToFloat((int) (bits >>> 32));
            f[i++] = Float.intBitsToFloat((int) bits);
        }
        return f;
    }

    @ParameterizedTest(name = "{0} at rnn4j.threads={1}")
    @MethodSource("cases")
    void everyCallOnASharedModelEqualsTheSameCallMadeAlone(String kind, int threads) throws Exception {
        org.rnn4j.testing.KernelThreads.with(threads, () -> {
            Model m = make(kind);
            List<Call> calls = calls(m, new SplittableRandom(42));
            List<float[]> alone = new ArrayList<>();
            for (Call c : calls) alone.add(c.run.call());
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                CyclicBarrier start = new CyclicBarrier(CLIENTS);
                List<Future<Integer>> done = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    int offset = client * 5;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < CALLS_PER_CLIENT; i++) {
                            int c = (offset + i * 7) % calls.size();
                            float[] got = calls.get(c).run.call();
                            assertArrayEquals(alone.get(c), got, kind + ": " + calls.get(c).name + " on a shared model");
                        }
                        return CALLS_PER_CLIENT;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : done) total += f.get(5, TimeUnit.MINUTES);
                assertEquals(CLIENTS * CALLS_PER_CLIENT, total);
            } finally {
                pool.shutdownNow();
            }
            return null;
        });
    }
}
