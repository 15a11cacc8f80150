package org.rnn4j.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.KernelPlan;
import org.rnn4j.kernels.MatMul;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * Runs the workloads of a {@code workloads.json} (the peers' shared definition) with the timing protocol the
 * PyTorch script uses, and returns one result map per workload with that script's keys ({@code fit_seconds},
 * {@code final_loss}, {@code train_samples_per_s}, {@code infer_samples_per_s}, {@code us_per_step}) plus
 * {@code gflops}, {@code jdk}, {@code threads}, {@code kernel} and {@code peak_rss_mb}.
 */
public final class Workloads {
    private final JsonNode spec;
    private final JsonNode timing;

    /** With {@code --int8}: the throughput and stream models are quantized before inference is timed. */
    private boolean int8;

    public Workloads(JsonNode spec) {
        this.spec = spec;
        this.timing = spec.path("timing");
        if (!spec.path("workloads").isObject()) {
            throw new IllegalArgumentException("workloads file has no \"workloads\" object");
        }
    }

    /**
     * Quantizes the throughput and stream workloads' models to int8 ({@code Model.quantize}) before timing their
     * inference (training, refused on a quantized model, is not timed) and adds their int8 accuracy
     * ({@link #int8Accuracy}) to the result.
     */
    public Workloads int8(boolean on) {
        int8 = on;
        return this;
    }

    /** The workload names in file order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        spec.path("workloads").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The workload that is not in the file: many client threads sharing the {@code small} model (see {@link Serve}). */
    public static final String SERVE = "serve";

    /**
     * Runs one workload: one of the file's, or {@link #SERVE} with {@code clients} threads on the file's {@code small}
     * definition, for {@code timing.serve_seconds} (default 2) per call kind after as long a warm-up.
     */
    public Map<String, Object> run(String name, int clients) {
        if (!SERVE.equals(name)) return run(name);
        JsonNode small = spec.path("workloads").get("small");
        if (small == null) throw new IllegalArgumentException("workload 'serve' runs the 'small' model, which the file does not define");
        if (clients < 1) throw new IllegalArgumentException("serve needs at least one client, got " + clients);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("workload", SERVE);
        long t0 = System.nanoTime();
        Serve.run(small, clients, timing.path("serve_seconds").asDouble(2.0), r);
        return finish(r, t0);
    }

    /** Runs one workload of the file. */
    public Map<String, Object> run(String name) {
        JsonNode w = spec.path("workloads").get(name);
        if (w == null) throw new IllegalArgumentException("no workload named '" + name + "'; the file has " + names());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("workload", name);
        long t0 = System.nanoTime();
        String kind = w.path("kind").asText();
        switch (kind) {
            case "seed": seed(w, r); break;
            case "throughput": throughput(w, r); break;
            case "stream": stream(w, r); break;
            default: throw new IllegalArgumentException("workload '" + name + "' has unknown kind '" + kind + "'");
        }
        return finish(r, t0);
    }

    /** The keys every workload reports: wall time, JDK, thread count, kernel and its plan, peak RSS. */
    private static Map<String, Object> finish(Map<String, Object> r, long t0) {
        r.put("wall_seconds", round((System.nanoTime() - t0) / 1e9, 3));
        r.put("jdk", System.getProperty("java.version"));
        r.put("threads", Parallel.threads());
        r.put("kernel", MatMul.kernel().name());
        r.put("kernel_plan", KernelPlan.active().describe());
        long rss = peakRssKb();
        if (rss > 0) r.put("peak_rss_mb", round(rss / 1024.0, 1));
        return r;
    }

    // ---------------------------------------------------------------- the notebook's models: whole fit

    private void seed(JsonNode w, Map<String, Object> r) {
        int units = w.path("units").asInt(), steps = w.path("timesteps").asInt(), input = w.path("input").asInt();
        int dense = w.path("dense_units").asInt(), epochs = w.path("epochs").asInt(), batch = w.path("batch").asInt();
        boolean seqOut = w.path("return_sequences").asBoolean();
        float[] seq = new float[spec.path("seq").size()];
        for (int i = 0; i < seq.length; i++) seq[i] = (float) spec.path("seq").get(i).asDouble();
        Tensor x = Tensor.of(seq.clone(), ints(w.path("x_shape"))), y = Tensor.of(seq.clone(), ints(w.path("y_shape")));
        int repeats = timing.path("seed_repeats").asInt(3);
        double[] times = new double[repeats], losses = new double[repeats];
        // Untimed fits first, so the timed ones measure JIT-compiled code (the script's repeats in Python need no
        // such warm-up): at least 3 fits and 2 s, then on while the last fit is still well above the fastest one
        // (the JIT is still compiling the step), for at most 15 s.
        long w0 = System.nanoTime();
        double best = Double.MAX_VALUE, last = Double.MAX_VALUE;
        int warm = 0;
        while (warm < 3 || System.nanoTime() - w0 < 2e9 || (last > 1.25 * best && System.nanoTime() - w0 < 15e9)) {
            last = fitOnce(units, steps, input, dense, seqOut, x, y, epochs, batch, 999 - warm)[0];
            best = Math.min(best, last);
            warm++;
        }
        r.put("warmup_fits", warm);
        for (int rep = 0; rep < repeats; rep++) {
            double[] tl = fitOnce(units, steps, input, dense, seqOut, x, y, epochs, batch, 1234 + rep);
            times[rep] = tl[0];
            losses[rep] = tl[1];
        }
        int stepsPerFit = epochs * ((x.shape(0) + batch - 1) / batch);
        double fit = median(times);
        r.put("fit_seconds", round(fit, 4));
        r.put("final_loss", median(losses));
        r.put("steps", stepsPerFit);
        r.put("step_us", round(fit / stepsPerFit * 1e6, 2));
        double flops = trainFlops(w, batch) * stepsPerFit;
        r.put("gflops", round(flops / fit / 1e9, 3));
    }

    private static double[] fitOnce(int units, int steps, int input, int dense, boolean seqOut, Tensor x, Tensor y,
                                    int epochs, int batch, long seed) {
        Rnn4j.setRandomSeed(seed);
        Sequential m = new Sequential();
        m.add(new LSTM(units).returnSequences(seqOut).inputShape(steps, input));
        m.add(seqOut ? new TimeDistributed(new Dense(dense)) : new Dense(dense));
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new Adam(0.001));
        long t0 = System.nanoTime();
        m.fit(x, y, new FitOptions().epochs(epochs).batchSize(batch).verbose(0));
        double secs = (System.nanoTime() - t0) / 1e9;
        double loss = m.evaluate(x, y, x.shape(0)).get("loss");
        return new double[] {secs, loss};
    }

    // ---------------------------------------------------------------- training and inference throughput

    private void throughput(JsonNode w, Map<String, Object> r) {
        int b = w.path("batch").asInt(), t = w.path("timesteps").asInt(), in = w.path("input").asInt();
        int h = w.path("units").asInt(), d = w.path("dense_units").asInt();
        Sequential m = throughputModel(w);
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new Adam(0.001));
        SplittableRandom rnd = new SplittableRandom(0);
        Tensor x = normal(rnd, b, t, in), y = normal(rnd, b, d);
        int repeats = timing.path("throughput_repeats").asInt(5);
        double minBlock = timing.path("throughput_min_block_seconds").asDouble(1.0);
        if (int8) {
            putInt8Error(r, m, m.predictOnBatch(x).data(), () -> m.predictOnBatch(x).data());
            double infer = timedBlocks(() -> m.predictOnBatch(x).data()[0], repeats, minBlock, 30);
            r.put("infer_seconds", round(infer, 6));
            r.put("infer_samples_per_s", round(b / infer, 1));
            r.put("gflops_infer", round(forwardFlops(w, b) / infer / 1e9, 2));
            return;
        }
        double train = timedBlocks(() -> m.trainOnBatch(x, y).get("loss"), repeats, minBlock, 30);
        double infer = timedBlocks(() -> m.predictOnBatch(x).data()[0], repeats, minBlock, 30);
        r.put("train_step_seconds", round(train, 6));
        r.put("infer_seconds", round(infer, 6));
        r.put("train_samples_per_s", round(b / train, 1));
        r.put("infer_samples_per_s", round(b / infer, 1));
        r.put("gflops", round(trainFlops(w, b) / train / 1e9, 2));
        r.put("gflops_infer", round(forwardFlops(w, b) / infer / 1e9, 2));
    }

    /**
     * The script's timed_blocks: calls to find how many fill a block of {@code minBlock} seconds, then
     * {@code repeats} blocks; the median seconds per call. A JVM warms up first (about one block of calls, untimed),
     * which the script does not need.
     */
    static double timedBlocks(DoubleSupplier fn, int repeats, double minBlock, double maxTotal) {
        long w0 = System.nanoTime();
        int warm = 0;
        while (warm < 3 || (System.nanoTime() - w0 < minBlock * 1e9 && warm < 10_000)) {
            sink += fn.getAsDouble();
            warm++;
        }
        long t0 = System.nanoTime();
        sink += fn.getAsDouble();
        double one = (System.nanoTime() - t0) / 1e9;
        int k = (int) Math.max(1, Math.ceil(minBlock / Math.max(one, 1e-9)));
        int reps = repeats;
        if (one * k * reps > maxTotal) reps = Math.max(1, (int) (maxTotal / (one * k)));
        double[] per = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            long s = System.nanoTime();
            for (int i = 0; i < k; i++) sink += fn.getAsDouble();
            per[rep] = (System.nanoTime() - s) / 1e9 / k;
        }
        return median(per);
    }

    private static double sink;

    // ---------------------------------------------------------------- stateful single-step streaming

    /**
     * A stream the way rnn4j serves one: {@code model.newState()} per stream and {@code model.step(state, x)} per
     * timestep (the streaming API); also the Keras way, a stateful model's {@code predict_on_batch} per timestep,
     * reported as {@code us_per_step_predict_on_batch}.
     */
    private void stream(JsonNode w, Map<String, Object> r) {
        int n = timing.path("stream_calls_per_repeat").asInt(2000), repeats = timing.path("stream_repeats").asInt(5);
        Sequential m = streamModel(w);
        float[][] rows = streamInputs(w, n);
        Tensor[] xs = new Tensor[n];
        for (int i = 0; i < n; i++) xs[i] = Tensor.of(rows[i], 1, 1, rows[i].length);
        if (int8) putInt8Error(r, m, stepAll(m, rows), () -> stepAll(m, rows));
        // Warm-up: the script's 200 calls, then enough more (at least 20 repeats' worth and 2 s) for the JIT.
        org.rnn4j.models.RecurrentState st = m.newState();
        long w0 = System.nanoTime();
        for (int i = 0; i < 20 * n || System.nanoTime() - w0 < 2e9; i++) sink += m.step(st, rows[i % n])[0];
        double[] us = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            st = m.newState(); // a new stream
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += m.step(st, rows[i])[0];
            us[rep] = (System.nanoTime() - t0) / 1e3 / n;
        }
        double med = median(us);
        r.put("us_per_step", round(med, 2));
        r.put("calls_per_repeat", n);
        r.put("gflops", round(forwardFlops(w, 1) / (med * 1e-6) / 1e9, 2));

        for (int i = 0; i < 10 * n; i++) sink += m.predictOnBatch(xs[i % n]).data()[0];
        double[] pob = new double[repeats];
        for (int rep = 0; rep < repeats; rep++) {
            m.resetStates();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += m.predictOnBatch(xs[i]).data()[0];
            pob[rep] = (System.nanoTime() - t0) / 1e3 / n;
        }
        r.put("us_per_step_predict_on_batch", round(median(pob), 2));
    }

    // ---------------------------------------------------------------- int8 accuracy

    /** The throughput workloads' model, seeded as the timing runs build it. */
    private static Sequential throughputModel(JsonNode w) {
        Rnn4j.setRandomSeed(0);
        return new Sequential(new LSTM(w.path("units").asInt()).inputShape(w.path("timesteps").asInt(), w.path("input").asInt()),
                new Dense(w.path("dense_units").asInt()));
    }

    /** The stream workload's model: a stateful LSTM (batch 1, one timestep a call) and its Dense head, seeded. */
    private static Sequential streamModel(JsonNode w) {
        Rnn4j.setRandomSeed(0);
        LSTM lstm = new LSTM(w.path("units").asInt()).stateful(true).batchInputShape(1, 1, w.path("input").asInt());
        return new Sequential(lstm, new Dense(w.path("dense_units").asInt()));
    }

    private static float[][] streamInputs(JsonNode w, int n) {
        SplittableRandom rnd = new SplittableRandom(0);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = normal(rnd, 1, 1, w.path("input").asInt()).data();
        return rows;
    }

    /** One stream through all the rows ({@code model.step} per row): every step's output, in order. */
    private static float[] stepAll(Sequential m, float[][] rows) {
        org.rnn4j.models.RecurrentState st = m.newState();
        List<float[]> outs = new ArrayList<>();
        int size = 0;
        for (float[] row : rows) {
            float[] y = m.step(st, row);
            outs.add(y);
            size += y.length;
        }
        float[] all = new float[size];
        int at = 0;
        for (float[] y : outs) {
            System.arraycopy(y, 0, all, at, y.length);
            at += y.length;
        }
        return all;
    }

    /** Quantizes {@code m}, then records the worst difference of its outputs from {@code asFloat} (and their scale). */
    private static void putInt8Error(Map<String, Object> r, Sequential m, float[] asFloat, java.util.function.Supplier<float[]> outputs) {
        m.quantize("int8");
        float[] asInt8 = outputs.get();
        double worst = 0, scale = 0;
        for (int i = 0; i < asFloat.length; i++) {
            worst = Math.max(worst, Math.abs(asFloat[i] - asInt8[i]));
            scale = Math.max(scale, Math.abs(asFloat[i]));
        }
        r.put("int8", true);
        r.put("int8_max_abs_error", worst);
        r.put("float32_max_abs_output", scale);
        r.put("int8_outputs_compared", asFloat.length);
    }

    /**
     * The int8 accuracy of a throughput or stream workload without timing anything: its model (seeded as the timed
     * run builds it) on its inputs (the throughput batch; the stream's first {@code stream_calls_per_repeat} steps of
     * one stream), float32 against {@code quantize("int8")}: {@code int8_max_abs_error}, {@code float32_max_abs_output}.
     */
    public Map<String, Object> int8Accuracy(String name) {
        JsonNode w = spec.path("workloads").get(name);
        if (w == null) throw new IllegalArgumentException("no workload named '" + name + "'; the file has " + names());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("workload", name);
        String kind = w.path("kind").asText();
        if (kind.equals("throughput")) {
            Sequential m = throughputModel(w);
            Tensor x = normal(new SplittableRandom(0), w.path("batch").asInt(), w.path("timesteps").asInt(), w.path("input").asInt());
            putInt8Error(r, m, m.predictOnBatch(x).data(), () -> m.predictOnBatch(x).data());
        } else if (kind.equals("stream")) {
            Sequential m = streamModel(w);
            float[][] rows = streamInputs(w, timing.path("stream_calls_per_repeat").asInt(2000));
            putInt8Error(r, m, stepAll(m, rows), () -> stepAll(m, rows));
        } else {
            throw new IllegalArgumentException("workload '" + name + "' is a " + kind + " workload; int8 applies to "
                    + "throughput and stream workloads");
        }
        return r;
    }

    // ---------------------------------------------------------------- the FLOP model of workloads.json

    /** lstm_forward + dense_forward for one batch. */
    static double forwardFlops(JsonNode w, int batch) {
        double h = w.path("units").asDouble(), in = w.path("input").asDouble(), t = w.path("timesteps").asDouble();
        double d = w.path("dense_units").asDouble();
        double tOut = w.path("return_sequences").asBoolean() ? t : 1;
        return 2 * 4 * h * (in + h) * t * batch + 15 * h * t * batch + 2 * h * d * batch * tOut;
    }

    /** 3 x forward + 10 flops per parameter (Adam). */
    static double trainFlops(JsonNode w, int batch) {
        double h = w.path("units").asDouble(), in = w.path("input").asDouble(), d = w.path("dense_units").asDouble();
        double params = 4 * (in * h + h * h + h) + h * d + d;
        return 3 * forwardFlops(w, batch) + 10 * params;
    }

    // ---------------------------------------------------------------- helpers

    /** The process's peak resident set size in kB (VmHWM), or -1 where /proc is not available. */
    static long peakRssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    private static Tensor normal(SplittableRandom r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] v = t.data();
        for (int i = 0; i < v.length; i += 2) {
            // Box-Muller: two normals from two uniforms.
            double u1 = 1 - r.nextDouble(), u2 = r.nextDouble(), rad = Math.sqrt(-2 * Math.log(u1));
            v[i] = (float) (rad * Math.cos(2 * Math.PI * u2));
            if (i + 1 < v.length) v[i + 1] = (float) (rad * Math.sin(2 * Math.PI * u2));
        }
        return t;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }
}
