package org.rnn4j.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The {@code serve} workload: one model answering K client threads at once, as inside a server. The {@code small}
 * model (LSTM on {@code (timesteps, input)} then Dense) is shared by all clients; in turn, every client calls
 * {@code predict} with a batch of 1, then {@code predict} with a batch of 32, then {@code step} on a stream of its
 * own, for a fixed time each (after an untimed warm-up of every kind, as long). Reports, per call kind, calls and
 * samples per second over all clients and the median and 99th-percentile latency of one call.
 *
 * <p>Values are not checked: it measures throughput and latency under contention only.
 */
final class Serve {
    /** Latencies kept per client and call kind (beyond it calls are counted but not timed one by one). */
    private static final int MAX_SAMPLES = 1 << 18;

    private Serve() {}

    /** Runs the workload on the {@code small} definition {@code w} with {@code clients} threads, {@code seconds} per kind. */
    static void run(JsonNode w, int clients, double seconds, Map<String, Object> r) {
        int t = w.path("timesteps").asInt(), in = w.path("input").asInt(), h = w.path("units").asInt();
        int d = w.path("dense_units").asInt(), big = w.path("batch").asInt(32);
        Rnn4j.setRandomSeed(0);
        Sequential m = new Sequential(new LSTM(h).inputShape(t, in), new Dense(d));
        SplittableRandom rnd = new SplittableRandom(0);
        Tensor[] one = new Tensor[clients], many = new Tensor[clients];
        float[][][] rows = new float[clients][64][];
        for (int c = 0; c < clients; c++) {
            one[c] = random(rnd, 1, t, in);
            many[c] = random(rnd, big, t, in);
            for (int i = 0; i < rows[c].length; i++) rows[c][i] = random(rnd, in).data();
        }
        RecurrentState[] states = new RecurrentState[clients];
        for (int c = 0; c < clients; c++) states[c] = m.newState();
        r.put("clients", clients);
        r.put("seconds_per_kind", seconds);
        Call predictOne = (c, i) -> m.predict(one[c], 1).data()[0];
        Call predictMany = (c, i) -> m.predict(many[c], big).data()[0];
        Call step = (c, i) -> m.step(states[c], rows[c][i & 63])[0];
        // Warm-up of every kind first (untimed), so the first kind timed does not pay for the JIT alone.
        for (Call call : new Call[] {predictOne, predictMany, step}) calls(clients, seconds, call, null);
        phase("predict_b1", 1, clients, seconds, r, predictOne);
        phase("predict_b" + big, big, clients, seconds, r, predictMany);
        phase("step", 1, clients, seconds, r, step);
    }

    /** One call of client c (its i-th); returns something of the result so the call is not optimised away. */
    @FunctionalInterface
    private interface Call {
        float run(int client, int i);
    }

    private static void phase(String kind, int batch, int clients, double seconds, Map<String, Object> r, Call call) {
        long[][] lat = new long[clients][];
        long[] counts = new long[clients];
        double elapsed = calls(clients, seconds, call, new Object[] {lat, counts});
        long total = 0;
        int kept = 0;
        for (int c = 0; c < clients; c++) {
            total += counts[c];
            kept += (int) Math.min(counts[c], MAX_SAMPLES);
        }
        long[] all = new long[kept];
        for (int c = 0, o = 0; c < clients; c++) {
            int k = (int) Math.min(counts[c], MAX_SAMPLES);
            System.arraycopy(lat[c], 0, all, o, k);
            o += k;
        }
        Arrays.sort(all);
        r.put(kind + "_calls", total);
        r.put(kind + "_calls_per_s", round(total / elapsed, 1));
        r.put(kind + "_samples_per_s", round(total * (double) batch / elapsed, 1));
        r.put(kind + "_p50_us", all.length == 0 ? null : round(percentile(all, 0.50) / 1e3, 1));
        r.put(kind + "_p99_us", all.length == 0 ? null : round(percentile(all, 0.99) / 1e3, 1));
    }

    /**
     * Every client calls {@code call} until {@code seconds} have passed since they all started; with {@code out}
     * ({@code long[][] latencies, long[] counts}) each call's nanoseconds are recorded. Returns the seconds from the
     * start to the last client's end.
     */
    private static double calls(int clients, double seconds, Call call, Object[] out) {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        Thread[] threads = new Thread[clients];
        Throwable[] errors = new Throwable[clients];
        long[] ends = new long[clients];
        long[] startAt = new long[1];
        for (int c = 0; c < clients; c++) {
            int client = c;
            long[] lat = out == null ? null : new long[MAX_SAMPLES];
            if (out != null) ((long[][]) out[0])[c] = lat;
            threads[c] = new Thread(() -> {
                try {
                    start.await();
                    long deadline = startAt[0] + (long) (seconds * 1e9);
                    float sink = 0;
                    int i = 0;
                    long now = System.nanoTime();
                    // At least one call per client, however the threads are scheduled: the report always has data.
                    do {
                        long t0 = now;
                        sink += call.run(client, i);
                        now = System.nanoTime();
                        if (lat != null && i < MAX_SAMPLES) lat[i] = now - t0;
                        i++;
                    } while (now < deadline);
                    if (out != null) ((long[]) out[1])[client] = i;
                    ends[client] = now;
                    if (sink == Float.MIN_VALUE) System.err.print(""); // keeps sink alive
                } catch (Throwable e) {
                    errors[client] = e;
                }
            }, "rnn4j-serve-client-" + c);
            threads[c].start();
        }
        try {
            startAt[0] = System.nanoTime();
            start.await();
            for (Thread th : threads) th.join();
        } catch (Exception e) {
            throw new IllegalStateException("serve: interrupted while waiting for the clients", e);
        }
        for (Throwable e : errors) {
            if (e != null) throw new IllegalStateException("serve: a client failed: " + e, e);
        }
        long last = startAt[0];
        for (long e : ends) last = Math.max(last, e);
        return Math.max(1e-9, (last - startAt[0]) / 1e9);
    }

    private static double percentile(long[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i];
    }

    private static Tensor random(SplittableRandom r, int... shape) {
        Tensor x = Tensor.zeros(shape);
        float[] v = x.data();
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    private static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }
}
