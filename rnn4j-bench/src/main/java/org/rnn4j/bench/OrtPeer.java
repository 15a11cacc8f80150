package org.rnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.onnx.OnnxExporter;
import org.rnn4j.tensor.Tensor;

/**
 * ONNX Runtime (CPU, Java API) on the inference workloads of {@code bench/workloads.json}, beside {@code rnn4j bench}:
 * the same models (LSTM + Dense, built with the seed rnn4j's bench uses, so the same weights) exported with
 * rnn4j's ONNX exporter, the same timing protocol (warm-up, then {@code throughput_repeats} blocks of at least
 * {@code throughput_min_block_seconds}; the stream as {@code stream_repeats} blocks of {@code stream_calls_per_repeat}
 * calls from a fresh zero state), and the same keys ({@code infer_samples_per_s}, {@code us_per_step}).
 *
 * <p>The stream runs the one-timestep graph ({@code x, h, c -> y, h', c'}) with the state carried by the caller:
 * {@code us_per_step} feeds the state tensors ONNX Runtime returned straight back; {@code us_per_step_arrays}
 * keeps the state in Java arrays between calls (a server holding each stream's state in an object). Each record
 * also gives the largest difference between ONNX Runtime's output and rnn4j's {@code predict} on the same input.
 *
 * <p>Usage: {@code java -cp ... org.rnn4j.bench.OrtPeer [--workloads bench/workloads.json] [--only small,stream]
 * [--threads 2]}; {@code bench/ort_side_by_side.sh} builds the classpath and runs it beside {@code rnn4j bench}.
 * Not thread-safe: a command-line program.
 */
public final class OrtPeer {
    private static double sink;

    private OrtPeer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        ObjectMapper json = new ObjectMapper();
        JsonNode spec = json.readTree(Path.of(a.getOrDefault("workloads", "bench/workloads.json")).toFile());
        JsonNode timing = spec.path("timing");
        int threads = Integer.parseInt(a.getOrDefault("threads", timing.path("threads").asText("2")));
        List<String> only = Arrays.asList(a.getOrDefault("only", "small,medium,large,stream").split(","));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (String name : only) {
            JsonNode w = spec.path("workloads").get(name);
            if (w == null) throw new IllegalArgumentException("no workload named '" + name + "' in the workloads file");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("workload", name);
            r.put("peer", "onnxruntime");
            r.put("ort_version", env.getVersion());
            r.put("intra_op_threads", threads);
            r.put("jdk", System.getProperty("java.runtime.version"));
            String kind = w.path("kind").asText();
            if (kind.equals("throughput")) throughput(env, w, timing, threads, r);
            else if (kind.equals("stream")) stream(env, w, timing, threads, r);
            else throw new IllegalArgumentException("workload '" + name + "' is " + kind + "; ONNX Runtime runs inference only");
            System.out.println(json.writeValueAsString(r));
        }
    }

    private static OrtSession session(OrtEnvironment env, Sequential m, boolean stateful, int threads) throws OrtException {
        byte[] onnx = OnnxExporter.toProto(m, stateful ? OnnxExporter.Options.STATEFUL : OnnxExporter.Options.DEFAULT).toByteArray();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(threads);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return env.createSession(onnx, so);
    }

    private static void throughput(OrtEnvironment env, JsonNode w, JsonNode timing, int threads, Map<String, Object> r) throws Exception {
        int b = w.path("batch").asInt();
        int t = w.path("timesteps").asInt();
        int in = w.path("input").asInt();
        int h = w.path("units").asInt();
        int d = w.path("dense_units").asInt();
        Rnn4j.setRandomSeed(0);
        Sequential m = new Sequential(new LSTM(h).inputShape(t, in), new Dense(d));
        Tensor x = normal(new SplittableRandom(0), b, t, in);
        try (OrtSession s = session(env, m, false, threads);
             OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), new long[] {b, t, in})) {
            Map<String, OnnxTensor> feeds = Map.of("input", xt);
            float[] got = run(s, feeds);
            r.put("max_abs_diff_vs_rnn4j", maxDiff(m.predict(x).data(), got));
            double sec = timedBlocks(() -> run(s, feeds)[0], timing.path("throughput_repeats").asInt(5),
                    timing.path("throughput_min_block_seconds").asDouble(1.0), 30);
            r.put("infer_seconds", round(sec, 6));
            r.put("infer_samples_per_s", round(b / sec, 1));
        }
    }

    private static void stream(OrtEnvironment env, JsonNode w, JsonNode timing, int threads, Map<String, Object> r) throws Exception {
        int in = w.path("input").asInt();
        int h = w.path("units").asInt();
        int d = w.path("dense_units").asInt();
        int n = timing.path("stream_calls_per_repeat").asInt(2000);
        int repeats = timing.path("stream_repeats").asInt(5);
        Rnn4j.setRandomSeed(0);
        LSTM lstm = new LSTM(h).inputShape(1, in);
        Sequential m = new Sequential(lstm, new Dense(d));
        SplittableRandom rnd = new SplittableRandom(0);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = normal(rnd, 1, in).data();
        String hName = lstm.name() + "/h";
        String cName = lstm.name() + "/c";
        try (OrtSession s = session(env, m, true, threads)) {
            // Agreement: 50 steps against rnn4j's own streaming.
            var state = m.newState();
            float[] hs = new float[h];
            float[] cs = new float[h];
            double diff = 0;
            for (int i = 0; i < 50; i++) {
                float[] want = m.step(state, rows[i]);
                float[][] out = stepArrays(env, s, rows[i], hs, cs, in, h, hName, cName);
                hs = out[1];
                cs = out[2];
                diff = Math.max(diff, maxDiff(want, out[0]));
            }
            r.put("max_abs_diff_vs_rnn4j", diff);
            // Warm-up as rnn4j's bench: at least 20 repeats' worth of calls and 2 s.
            long w0 = System.nanoTime();
            StreamCarry warm = new StreamCarry(env, s, in, h, hName, cName);
            for (int i = 0; i < 20 * n || System.nanoTime() - w0 < 2e9; i++) sink += warm.step(rows[i % n]);
            warm.close();
            double[] carry = new double[repeats];
            double[] arrays = new double[repeats];
            for (int rep = 0; rep < repeats; rep++) {
                StreamCarry sc = new StreamCarry(env, s, in, h, hName, cName);  // a new stream from the zero state
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) sink += sc.step(rows[i]);
                carry[rep] = (System.nanoTime() - t0) / 1e3 / n;
                sc.close();
                float[] ha = new float[h];
                float[] ca = new float[h];
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    float[][] out = stepArrays(env, s, rows[i], ha, ca, in, h, hName, cName);
                    ha = out[1];
                    ca = out[2];
                    sink += out[0][0];
                }
                arrays[rep] = (System.nanoTime() - t0) / 1e3 / n;
            }
            r.put("us_per_step", round(median(carry), 2));
            r.put("us_per_step_arrays", round(median(arrays), 2));
            r.put("calls_per_repeat", n);
        }
    }

    /** A stream whose state stays in the tensors ONNX Runtime returned, fed back on the next call. */
    private static final class StreamCarry implements AutoCloseable {
        private final OrtEnvironment env;
        private final OrtSession s;
        private final int in;
        private final String hName;
        private final String cName;
        private OnnxTensor h;
        private OnnxTensor c;
        private OrtSession.Result last;

        StreamCarry(OrtEnvironment env, OrtSession s, int in, int units, String hName, String cName) throws OrtException {
            this.env = env;
            this.s = s;
            this.in = in;
            this.hName = hName;
            this.cName = cName;
            this.h = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[units]), new long[] {1, units});
            this.c = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[units]), new long[] {1, units});
        }

        double step(float[] row) throws OrtException {
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(row), new long[] {1, in})) {
                OrtSession.Result result = s.run(Map.of("input", x, hName, h, cName, c));
                double y = ((OnnxTensor) result.get("y").orElseThrow()).getFloatBuffer().get(0);
                if (last != null) last.close(); else { h.close(); c.close(); }
                last = result;
                h = (OnnxTensor) result.get(hName + "_out").orElseThrow();
                c = (OnnxTensor) result.get(cName + "_out").orElseThrow();
                return y;
            }
        }

        @Override
        public void close() {
            if (last != null) last.close();
            else {
                h.close();
                c.close();
            }
        }
    }

    /** One step with the state in Java arrays: tensors made from them, the new state copied back out. */
    private static float[][] stepArrays(OrtEnvironment env, OrtSession s, float[] row, float[] h, float[] c, int in, int units,
                                        String hName, String cName) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(row), new long[] {1, in});
             OnnxTensor ht = OnnxTensor.createTensor(env, FloatBuffer.wrap(h), new long[] {1, units});
             OnnxTensor ct = OnnxTensor.createTensor(env, FloatBuffer.wrap(c), new long[] {1, units});
             OrtSession.Result result = s.run(Map.of("input", x, hName, ht, cName, ct))) {
            return new float[][] {floats(result, "y"), floats(result, hName + "_out"), floats(result, cName + "_out")};
        }
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        FloatBuffer fb = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        return v;
    }

    private static float[] run(OrtSession s, Map<String, OnnxTensor> feeds) {
        try (OrtSession.Result result = s.run(feeds)) {
            return floats(result, "y");
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Call {
        double call() throws Exception;
    }

    /** rnn4j bench's protocol (Workloads.timedBlocks): warm-up, a probe call, then blocks; median seconds per call. */
    private static double timedBlocks(Call fn, int repeats, double minBlock, double maxTotal) throws Exception {
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < 3 || (System.nanoTime() - w0 < minBlock * 1e9 && warm < 10_000)) {
            sink += fn.call();
            warm++;
        }
        long t0 = System.nanoTime();
        sink += fn.call();
        double one = (System.nanoTime() - t0) / 1e9;
        int k = (int) Math.max(1, Math.ceil(minBlock / Math.max(one, 1e-9)));
        int reps = repeats;
        if (one * k * reps > maxTotal) reps = Math.max(1, (int) (maxTotal / (one * k)));
        double[] per = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            long s = System.nanoTime();
            for (int i = 0; i < k; i++) sink += fn.call();
            per[rep] = (System.nanoTime() - s) / 1e9 / k;
        }
        return median(per);
    }

    private static Tensor normal(SplittableRandom r, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = Math.max(r.nextDouble(), 1e-300);
            v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return Tensor.of(v, shape);
    }

    private static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }
}
