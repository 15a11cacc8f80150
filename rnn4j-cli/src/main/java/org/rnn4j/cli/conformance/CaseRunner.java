package org.rnn4j.cli.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.callbacks.History;
import org.rnn4j.io.KerasVersion;
import org.rnn4j.io.ModelConfig;
import org.rnn4j.io.ModelFormatException;
import org.rnn4j.io.OptimizerConfig;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.RNN;
import org.rnn4j.losses.Huber;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Runs one reference case of the {@code keras-rnn-fixture/1} schema (see the fixtures' README): builds the model
 * from its {@code keras_config}, sets the initial weights, then checks every phase the case holds — layers and
 * parameter counts, {@code summary_keras_style}, {@code predict} and probes, {@code stateful}, {@code evaluate},
 * {@code gradients}, {@code fit} — within the README's tolerances ({@link Tolerance}).
 *
 * <pre>{@code
 * CaseResult r = CaseRunner.run(new ObjectMapper().readTree(file));
 * System.out.println(r.line());
 * }</pre>
 */
public final class CaseRunner {
    /** The schema this runner reads. */
    public static final String FORMAT = "keras-rnn-fixture/1";

    private static final Pattern UNKNOWN_LAYER = Pattern.compile("unknown layer class \"([^\"]+)\"");
    private static final Pattern UNKNOWN_MODEL = Pattern.compile("Model class \"([^\"]+)\" is not supported");

    private final JsonNode fx;
    private final CaseResult result;
    private Model model;
    private List<Tensor> initialWeights;
    private Tensor[] inputs;
    private Tensor[] targets;

    private CaseRunner(JsonNode fixture) {
        this.fx = fixture;
        this.result = new CaseResult(fixture.path("name").asText("?"));
    }

    /** Runs every phase of the case; never throws for a failing case. */
    public static CaseResult run(JsonNode fixture) {
        CaseRunner r = new CaseRunner(fixture);
        r.runAll();
        return r.result;
    }

    private void runAll() {
        if (!FORMAT.equals(fx.path("format").asText())) {
            result.fail("not a " + FORMAT + " case (format " + fx.path("format") + ")");
            return;
        }
        if (!phase("build", this::build)) return;
        phase("layers", this::checkLayers);
        phase("summary", this::checkSummary);
        if (fx.hasNonNull("initializers")) phase("initializers", this::checkInitializers);
        if (!phase("weights", this::setInitialWeights)) return;
        if (!phase("compile", () -> compile())) return;
        if (fx.hasNonNull("predict")) phase("predict", this::checkPredict);
        if (fx.hasNonNull("stateful")) phase("stateful", this::checkStateful);
        if (fx.hasNonNull("evaluate")) phase("evaluate", this::checkEvaluate);
        if (fx.hasNonNull("gradients")) phase("gradients", this::checkGradients);
        if (fx.hasNonNull("fit")) phase("fit", this::checkFit);
    }

    /** Runs a phase; an exception is a failure of that phase with its message. */
    private boolean phase(String name, Runnable body) {
        try {
            body.run();
            return true;
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof UnsupportedOperationException)) {
                msg = e.getClass().getSimpleName() + ": " + msg;
            }
            result.fail(name + ": " + msg);
            return false;
        }
    }

    // ---------------------------------------------------------------- build, layers, summary

    private void build() {
        Rnn4j.clearSession(); // automatic names as in a new Keras process
        try {
            model = ModelConfig.fromJson(fx.get("keras_config"));
        } catch (ModelFormatException e) {
            Matcher m = UNKNOWN_LAYER.matcher(e.getMessage());
            if (m.find()) throw new IllegalStateException(m.group(1) + " not implemented");
            m = UNKNOWN_MODEL.matcher(e.getMessage());
            if (m.find()) throw new IllegalStateException("functional " + m.group(1) + " not implemented");
            throw e;
        }
        inputs = tensors(fx.get("inputs"));
        targets = tensors(fx.get("targets"));
    }

    private void checkLayers() {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer l : model.layers()) byName.put(l.name(), l);
        List<String> problems = new ArrayList<>();
        for (JsonNode want : fx.get("layers")) {
            String name = want.get("name").asText();
            Layer l = byName.get(name);
            if (l == null) {
                // Functional models list their InputLayers; a model that keeps inputs apart need not.
                if (!want.get("class_name").asText().equals("InputLayer")) problems.add("no layer \"" + name + "\"");
                continue;
            }
            if (!l.className().equals(want.get("class_name").asText())) {
                problems.add(name + " is a " + l.className() + ", want " + want.get("class_name").asText());
            }
            String in = shapes(l.builtInputShapes());
            if (!in.equals(want.get("input_shape").toString())) problems.add(name + " input shape " + in + ", want " + want.get("input_shape"));
            String out = shapes(l.outputShapes(l.builtInputShapes()));
            if (!out.equals(want.get("output_shape").toString())) problems.add(name + " output shape " + out + ", want " + want.get("output_shape"));
            if (l.countParams() != want.get("params").asInt()) problems.add(name + " has " + l.countParams() + " params, want " + want.get("params"));
            int trainable = 0;
            for (Weight w : l.trainableWeights()) trainable += w.size();
            if (trainable != want.get("trainable_params").asInt()) {
                problems.add(name + " has " + trainable + " trainable params, want " + want.get("trainable_params"));
            }
            List<Weight> ws = l.weights();
            JsonNode wantWs = want.get("weights");
            if (ws.size() != wantWs.size()) {
                problems.add(name + " has " + ws.size() + " weights, want " + wantWs.size());
            } else {
                for (int i = 0; i < ws.size(); i++) {
                    String got = shape(ws.get(i).shape());
                    if (!got.equals(wantWs.get(i).get("shape").toString())) {
                        problems.add(wantWs.get(i).get("name").asText() + " shape " + got + ", want " + wantWs.get(i).get("shape"));
                    }
                }
            }
        }
        int trainable = 0;
        for (Weight w : model.trainableWeights()) trainable += w.size();
        if (model.countParams() != fx.get("total_params").asInt()) problems.add("total params " + model.countParams() + ", want " + fx.get("total_params"));
        if (trainable != fx.get("trainable_params").asInt()) problems.add("trainable params " + trainable + ", want " + fx.get("trainable_params"));
        if (!problems.isEmpty()) throw new IllegalStateException(String.join("; ", problems));
    }

    private void checkSummary() {
        List<String> want = new ArrayList<>();
        for (JsonNode line : fx.get("summary_keras_style")) want.add(line.asText());
        List<String> got = Arrays.asList(model.summary().split("\n", -1));
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String g = i < got.size() ? got.get(i) : "<none>", w = i < want.size() ? want.get(i) : "<none>";
            if (!g.equals(w)) throw new IllegalStateException("line " + (i + 1) + " is \"" + g + "\", want \"" + w + "\"");
        }
    }

    /**
     * Each {@code initializers[]} weight is drawn from the layer's own initializer as rnn4j resolved it from the
     * config: {@code exact} ones must equal the recorded value; random ones are drawn {@link #DRAWS} times and
     * must stay within the recorded {@code bounds} and match the recorded mean and standard deviation (to 5% of
     * the deviation), which is Keras's distribution for that weight's shape and fans.
     */
    private void checkInitializers() {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer l : model.layers()) byName.put(l.name(), l);
        Map<String, Tensor> recorded = new LinkedHashMap<>();
        for (JsonNode w : fx.get("weights")) recorded.put(w.path("name").asText(), tensor(w));
        List<String> problems = new ArrayList<>();
        for (JsonNode e : fx.get("initializers")) {
            String layerName = e.get("layer").asText(), weightName = e.get("name").asText();
            Layer layer = byName.get(layerName);
            if (layer == null) throw new IllegalStateException("initializers: no layer \"" + layerName + "\"");
            String shortName = weightName.substring(weightName.lastIndexOf('/') + 1);
            String key = (shortName.equals("recurrent_kernel") ? "recurrent" : shortName) + "_initializer";
            Object serialized = findInitializer(layer.getConfig(), key);
            if (serialized == null) throw new IllegalStateException("initializers: layer \"" + layerName + "\" has no " + key);
            org.rnn4j.initializers.Initializer init = new org.rnn4j.io.LayerConfig("Layer",
                    ModelConfig.mapper().valueToTree(Map.of(key, serialized)), KerasVersion.KERAS_3).initializer(key, "zeros");
            int[] shape = new int[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asInt();
            Rnn4j.setRandomSeed(fx.path("seed").asLong(1));
            if (e.path("exact").asBoolean()) {
                float[] got = init.create(shape);
                Tensor want = recorded.get(weightName);
                if (want == null) want = findRecorded(recorded, weightName);
                for (int i = 0; i < got.length; i++) {
                    if (Math.abs(got[i] - want.data()[i]) > 1e-6 * Math.max(1, Math.abs(want.data()[i]))) {
                        problems.add(weightName + "[" + i + "] = " + got[i] + ", want exactly " + want.data()[i]);
                        break;
                    }
                }
                continue;
            }
            double sum = 0, sum2 = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            long n = 0;
            for (int d = 0; d < DRAWS; d++) {
                for (float v : init.create(shape)) {
                    sum += v;
                    sum2 += (double) v * v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    n++;
                }
            }
            double mean = sum / n, std = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
            JsonNode bounds = e.get("bounds");
            if (bounds != null && bounds.isArray()) {
                double bLo = bounds.get(0).asDouble(), bHi = bounds.get(1).asDouble(), slack = 1e-6 * Math.max(1, Math.abs(bHi));
                if (lo < bLo - slack || hi > bHi + slack) {
                    problems.add(String.format(Locale.ROOT, "%s draws in [%.6g, %.6g], want within [%.6g, %.6g]", weightName, lo, hi, bLo, bHi));
                }
            }
            double wantStd = e.has("stddev") ? e.get("stddev").asDouble()
                    : bounds != null ? (bounds.get(1).asDouble() - bounds.get(0).asDouble()) / Math.sqrt(12) : Double.NaN;
            double wantMean = e.has("mean") ? e.get("mean").asDouble()
                    : bounds != null ? (bounds.get(1).asDouble() + bounds.get(0).asDouble()) / 2 : Double.NaN;
            String dist = e.path("distribution").asText();
            if (dist.equals("truncated_normal")) wantStd *= 0.87962566103423978; // a normal cut at 2 sigma keeps 88% of it
            if (!Double.isNaN(wantStd) && (Math.abs(std - wantStd) > 0.05 * wantStd || Math.abs(mean - wantMean) > 0.05 * wantStd)) {
                problems.add(String.format(Locale.ROOT, "%s (%s) draws mean %.5g std %.5g, want mean %.5g std %.5g", weightName,
                        dist, mean, std, wantMean, wantStd));
            }
        }
        if (!problems.isEmpty()) throw new IllegalStateException(String.join("; ", problems));
    }

    /** Draws per random initializer: enough values for the mean and deviation to settle within 5%. */
    private static final int DRAWS = 2000;

    private static Object findInitializer(Map<String, Object> config, String key) {
        if (config.containsKey(key)) return config.get(key);
        // A wrapper (TimeDistributed, Bidirectional) or an RNN's cell holds it one level down.
        for (Object v : config.values()) {
            if (v instanceof Map<?, ?> m) {
                Object inner = m.get("config");
                if (inner instanceof Map<?, ?> im && im.containsKey(key)) return im.get(key);
            }
        }
        return null;
    }

    private static Tensor findRecorded(Map<String, Tensor> recorded, String weightName) {
        for (Map.Entry<String, Tensor> e : recorded.entrySet()) if (e.getKey().endsWith("/" + weightName)) return e.getValue();
        throw new IllegalStateException("initializers: no recorded weight \"" + weightName + "\"");
    }

    private void setInitialWeights() {
        initialWeights = new ArrayList<>();
        for (JsonNode w : fx.get("weights")) initialWeights.add(tensor(w));
        model.setWeights(initialWeights);
    }

    /**
     * Every compile field: {@code loss} (a name, {@code {"name", "delta"?}}, a list with one per output, or an object
     * keyed by output name), {@code loss_weights} (a list, or an object keyed by output name), {@code optimizer},
     * {@code metrics}.
     */
    private void compile() {
        JsonNode c = fx.get("compile");
        JsonNode lossSpec = c.get("loss");
        Loss[] losses;
        if (lossSpec.isArray()) {
            losses = new Loss[lossSpec.size()];
            for (int i = 0; i < losses.length; i++) losses[i] = loss(lossSpec.get(i));
        } else if (lossSpec.isObject() && !lossSpec.has("name")) {
            losses = new Loss[model.outputCount()];
            for (int o = 0; o < losses.length; o++) losses[o] = loss(byOutput(lossSpec, o, "loss"));
        } else {
            losses = new Loss[] {loss(lossSpec)};
        }
        double[] lossWeights = null;
        JsonNode lw = c.get("loss_weights");
        if (lw != null && !lw.isNull()) {
            lossWeights = new double[model.outputCount()];
            for (int o = 0; o < lossWeights.length; o++) {
                JsonNode w = lw.isArray() ? lw.get(o) : byOutput(lw, o, "loss_weights");
                if (w == null || !w.isNumber()) throw new IllegalArgumentException("compile.loss_weights has no number for output " + o);
                lossWeights[o] = w.asDouble();
            }
        }
        List<String> metrics = new ArrayList<>();
        for (JsonNode m : c.path("metrics")) metrics.add(m.isTextual() ? m.asText() : m.get("name").asText());
        // The reference's own update rules: TensorFlow.js's Adam places epsilon differently from Keras's.
        KerasVersion version = KerasVersion.of(fx.get("keras_config"));
        model.compile(losses, lossWeights, OptimizerConfig.fromJson(c.get("optimizer"), version), metrics.toArray(new String[0]));
    }

    private static Loss loss(JsonNode spec) {
        String name = spec.isTextual() ? spec.asText() : spec.get("name").asText();
        return spec.hasNonNull("delta") ? new Huber((float) spec.get("delta").asDouble()) : Loss.get(name);
    }

    /** The entry of an object keyed by output name for output {@code o}. */
    private JsonNode byOutput(JsonNode byName, int o, String field) {
        String name = model instanceof Functional f ? f.outputs().get(o).layer().name() : "output_" + (o + 1);
        JsonNode v = byName.get(name);
        if (v == null) throw new IllegalArgumentException("compile." + field + " has no entry for output \"" + name + "\"");
        return v;
    }

    /** Every phase starts from the initial weights and zero states. */
    private void restart() {
        model.setWeights(initialWeights);
        model.resetStates();
    }

    // ---------------------------------------------------------------- predict, probes, stateful

    private void checkPredict() {
        restart();
        JsonNode p = fx.get("predict");
        int batch = p.get("batch_size").asInt();
        Tensor[] out = model.predict(inputs, batch);
        compareAll("predict", out, p.get("outputs"), Tolerance.OUTPUTS, Kind.OUTPUT);
        JsonNode probes = p.get("probes");
        if (probes == null || probes.isEmpty()) return;
        restart();
        Map<String, Tensor> got = probes(batch);
        for (JsonNode probe : probes) {
            String ref = probe.get("ref").asText();
            Tensor t = got.get(ref);
            if (t == null) throw new IllegalStateException("probe \"" + ref + "\": no such layer output");
            compare("probe " + ref, t, probe, Tolerance.OUTPUTS, Kind.OUTPUT);
        }
    }

    /**
     * Intermediate outputs of the inference forward pass, in batches as {@code predict}: {@code name} for a
     * Sequential layer's output, {@code name:i} for its i-th output.
     */
    private Map<String, Tensor> probes(int batch) {
        if (model instanceof Functional f) return functionalProbes(f, batch);
        if (!(model instanceof Sequential)) {
            throw new UnsupportedOperationException("probes of " + model.getClass().getSimpleName() + " models are not supported");
        }
        int n = inputs[0].rows();
        Map<String, List<Tensor>> parts = new LinkedHashMap<>();
        for (int from = 0; from < n; from += batch) {
            Tensor x = inputs[0].slice(from, Math.min(n, from + batch));
            Tensor mask = null;
            for (Layer l : model.layers()) {
                Pass pass = l.call(x, l.supportsMasking() ? mask : null, false);
                for (int i = 0; i < pass.outputs.length; i++) {
                    parts.computeIfAbsent(l.name() + ":" + i, k -> new ArrayList<>()).add(pass.outputs[i]);
                }
                parts.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(pass.output());
                x = pass.output();
                mask = pass.mask;
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Tensor>> e : parts.entrySet()) out.put(e.getKey(), concatRows(e.getValue()));
        return out;
    }

    /** A functional model's layer outputs, as Keras would get them: a model from the same inputs to those tensors. */
    private Map<String, Tensor> functionalProbes(Functional f, int batch) {
        List<KerasTensor> outs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Layer l : f.layers()) {
            for (Node node : l.inboundNodes()) {
                if (!f.contains(node) || node.isInput()) continue;
                for (int i = 0; i < node.outputCount(); i++) {
                    keys.add(l.name() + ":" + i);
                    outs.add(node.output(i));
                }
            }
        }
        Tensor[] values = new Functional(f.inputs(), outs).predict(inputs, batch);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.putIfAbsent(keys.get(i), values[i]);
            if (keys.get(i).endsWith(":0")) out.putIfAbsent(keys.get(i).substring(0, keys.get(i).length() - 2), values[i]);
        }
        return out;
    }

    private void checkStateful() {
        restart();
        JsonNode s = fx.get("stateful");
        int batch = s.get("batch_size").asInt();
        int k = 0;
        for (JsonNode call : s.get("calls")) {
            Tensor[] x = rows(inputs, call.get("input_rows"));
            compareAll("stateful call " + k, model.predict(x, batch), call.get("outputs"), Tolerance.OUTPUTS, Kind.OUTPUT);
            for (JsonNode st : call.path("states_after")) {
                String layer = st.get("layer").asText();
                List<Tensor> states = statesOf(layer);
                JsonNode want = st.get("states");
                if (states.size() != want.size()) {
                    throw new IllegalStateException("layer \"" + layer + "\" has " + states.size() + " states, want " + want.size());
                }
                for (int i = 0; i < states.size(); i++) {
                    compare("stateful call " + k + " " + layer + " state " + i, states.get(i), want.get(i), Tolerance.OUTPUTS, Kind.OUTPUT);
                }
            }
            k++;
        }
        JsonNode after = s.get("after_reset_states");
        if (after != null) {
            model.resetStates();
            Tensor[] x = rows(inputs, after.get("input_rows"));
            compareAll("after_reset_states", model.predict(x, batch), after.get("outputs"), Tolerance.OUTPUTS, Kind.OUTPUT);
        }
    }

    private List<Tensor> statesOf(String layerName) {
        for (Layer l : model.layers()) {
            if (l.name().equals(layerName)) {
                if (!(l instanceof RNN)) throw new IllegalStateException("layer \"" + layerName + "\" is not recurrent");
                List<Tensor> s = ((RNN<?>) l).states();
                if (s == null) throw new IllegalStateException("layer \"" + layerName + "\" carries no state");
                return s;
            }
        }
        throw new IllegalStateException("no layer \"" + layerName + "\"");
    }

    // ---------------------------------------------------------------- evaluate, gradients

    private void checkEvaluate() {
        restart();
        JsonNode e = fx.get("evaluate");
        Map<String, Double> got = model.evaluate(inputs, targets, e.get("batch_size").asInt(), 0);
        compareScalar("evaluate loss", got.get("loss"), e.get("loss").asDouble(), Tolerance.LOSS);
        e.path("metrics").fields().forEachRemaining(m -> compareScalar("evaluate " + m.getKey(), got.get(m.getKey()),
                m.getValue().asDouble(), Tolerance.forMetric(m.getKey(), Tolerance.LOSS)));
    }

    private void checkGradients() {
        restart();
        JsonNode g = fx.get("gradients");
        Tensor[] x = rows(inputs, g.get("input_rows"));
        Tensor[] y = rows(targets, g.get("input_rows"));
        double loss = model.computeGradients(x, y, g.get("training").asBoolean());
        compareScalar("gradients loss", loss, g.get("loss").asDouble(), Tolerance.LOSS);
        List<Weight> ws = model.trainableWeights();
        JsonNode grads = g.get("grads");
        if (ws.size() != grads.size()) {
            throw new IllegalStateException(ws.size() + " trainable weights, want " + grads.size() + " gradients");
        }
        for (int i = 0; i < ws.size(); i++) {
            compare("gradient of " + grads.get(i).path("name").asText("weight " + i), ws.get(i).grad(), grads.get(i),
                    Tolerance.GRADIENTS, Kind.GRADIENT);
        }
    }

    // ---------------------------------------------------------------- fit

    private void checkFit() {
        restart();
        compile(); // a fresh optimizer: no slots, step 0
        JsonNode f = fx.get("fit");
        List<Map<String, Double>> batchLogs = new ArrayList<>();
        List<Integer> batchEpochs = new ArrayList<>();
        int[] epochNow = {0};
        Callback recorder = new Callback() {
            @Override
            public void onEpochBegin(int epoch, Map<String, Double> logs) { epochNow[0] = epoch; }

            @Override
            public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                batchLogs.add(new LinkedHashMap<>(model.lastStepLogs()));
                batchEpochs.add(epochNow[0]);
            }
        };
        History h = model.fit(inputs, targets, new FitOptions().epochs(f.get("epochs").asInt())
                .batchSize(f.get("batch_size").asInt()).shuffle(false).verbose(0).callbacks(recorder));
        Map<String, List<Double>> history = h.history();
        f.get("history").fields().forEachRemaining(e -> {
            List<Double> got = history.get(e.getKey());
            if (got == null || got.size() != e.getValue().size()) {
                throw new IllegalStateException("history \"" + e.getKey() + "\" has " + (got == null ? "no" : got.size())
                        + " values, want " + e.getValue().size());
            }
            for (int i = 0; i < got.size(); i++) {
                compareScalar("history " + e.getKey() + "[" + i + "]", got.get(i), e.getValue().get(i).asDouble(),
                        Tolerance.forMetric(e.getKey(), Tolerance.HISTORY));
            }
        });
        JsonNode wantLogs = f.get("batch_logs");
        if (wantLogs != null) {
            if (batchLogs.size() != wantLogs.size()) {
                throw new IllegalStateException(batchLogs.size() + " training steps, want " + wantLogs.size());
            }
            for (int i = 0; i < batchLogs.size(); i++) {
                JsonNode w = wantLogs.get(i);
                Map<String, Double> got = batchLogs.get(i);
                String at = "batch_logs epoch " + w.get("epoch") + " batch " + w.get("batch") + " ";
                if (batchEpochs.get(i) != w.get("epoch").asInt()) throw new IllegalStateException(at + "ran in epoch " + batchEpochs.get(i));
                w.fields().forEachRemaining(e -> {
                    if (List.of("epoch", "batch", "size").contains(e.getKey())) return;
                    compareScalar(at + e.getKey(), got.get(e.getKey()), e.getValue().asDouble(),
                            Tolerance.forMetric(e.getKey(), Tolerance.HISTORY));
                });
            }
        }
        List<Tensor> after = model.getWeights();
        JsonNode wantW = f.get("weights_after");
        if (after.size() != wantW.size()) throw new IllegalStateException(after.size() + " weights, want " + wantW.size());
        for (int i = 0; i < after.size(); i++) {
            compare("weights_after " + wantW.get(i).path("name").asText("weight " + i), after.get(i), wantW.get(i),
                    Tolerance.TRAINED, Kind.TRAINED);
        }
        JsonNode pa = f.get("predict_after");
        if (pa != null && !pa.isNull()) {
            model.resetStates();
            int batch = pa.path("batch_size").asInt(fx.path("predict").path("batch_size").asInt(32));
            compareAll("predict_after", model.predict(inputs, batch), pa.get("outputs"), Tolerance.TRAINED, Kind.TRAINED);
        }
    }

    // ---------------------------------------------------------------- comparison

    private enum Kind { OUTPUT, GRADIENT, TRAINED, OTHER }

    private void compareAll(String what, Tensor[] got, JsonNode want, Tolerance tol, Kind kind) {
        if (got.length != want.size()) throw new IllegalStateException(what + ": " + got.length + " outputs, want " + want.size());
        for (int i = 0; i < got.length; i++) compare(got.length == 1 ? what : what + " output " + i, got[i], want.get(i), tol, kind);
    }

    /** Elementwise {@code |got - want| <= atol + rtol |want|}; records the largest error and the worst violation. */
    private void compare(String what, Tensor got, JsonNode want, Tolerance tol, Kind kind) {
        Tensor w = tensor(want);
        if (!Arrays.equals(got.shape(), w.shape())) {
            result.fail(what + ": shape " + shape(got.shape()) + ", want " + shape(w.shape()));
            return;
        }
        float[] g = got.data(), d = w.data();
        double maxErr = 0, worstRatio = 1;
        int worst = -1;
        for (int i = 0; i < d.length; i++) {
            double err = Math.abs((double) g[i] - d[i]);
            if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
            maxErr = Math.max(maxErr, err);
            double ratio = err / tol.allowed(d[i]);
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        record(kind, maxErr);
        if (worst >= 0) {
            result.fail(String.format(Locale.ROOT, "%s[%d]: got %.9g, want %.9g (|error| %.2e > %.2e)", what, worst,
                    g[worst], d[worst], Math.abs((double) g[worst] - d[worst]), tol.allowed(d[worst])));
        }
    }

    private void compareScalar(String what, Double got, double want, Tolerance tol) {
        if (got == null) {
            result.fail(what + ": missing");
            return;
        }
        double err = Math.abs(got - want);
        if (!(err <= tol.allowed(want))) {
            result.fail(String.format(Locale.ROOT, "%s: got %.9g, want %.9g (|error| %.2e > %.2e)", what, got, want, err,
                    tol.allowed(want)));
        }
    }

    private void record(Kind kind, double err) {
        switch (kind) {
            case OUTPUT: result.maxOutputError = max(result.maxOutputError, err); break;
            case GRADIENT: result.maxGradientError = max(result.maxGradientError, err); break;
            case TRAINED: result.maxWeightError = max(result.maxWeightError, err); break;
            default: break;
        }
    }

    private static double max(double a, double b) { return Double.isNaN(a) ? b : Math.max(a, b); }

    // ---------------------------------------------------------------- fixture tensors

    /** A fixture tensor {@code {"shape": [...], "data": [...]}}, float32 as the README says to parse it. */
    static Tensor tensor(JsonNode t) {
        JsonNode shapeNode = t.get("shape"), data = t.get("data");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asInt();
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(data.get(i).asText());
        return Tensor.of(v, shape);
    }

    private static Tensor[] tensors(JsonNode list) {
        if (list == null) return new Tensor[0];
        Tensor[] out = new Tensor[list.size()];
        for (int i = 0; i < out.length; i++) out[i] = tensor(list.get(i));
        return out;
    }

    private static Tensor[] rows(Tensor[] ts, JsonNode range) {
        int from = range.get(0).asInt(), to = range.get(1).asInt();
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = ts[i].slice(from, to);
        return out;
    }

    private static Tensor concatRows(List<Tensor> parts) {
        int[] shape = parts.get(0).shape();
        int rows = 0, size = 0;
        for (Tensor t : parts) {
            rows += t.rows();
            size += t.size();
        }
        shape[0] = rows;
        float[] d = new float[size];
        int off = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, d, off, t.size());
            off += t.size();
        }
        return Tensor.of(d, shape);
    }

    /** A shape as the fixtures write it: {@code [null,3,1]}. */
    static String shape(int[] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(s[i] < 0 ? "null" : Integer.toString(s[i]));
        }
        return sb.append(']').toString();
    }

    /** One shape, or a list of shapes when there are several. */
    private static String shapes(List<int[]> ss) {
        if (ss.size() == 1) return shape(ss.get(0));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ss.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(shape(ss.get(i)));
        }
        return sb.append(']').toString();
    }
}
