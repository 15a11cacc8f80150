package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.onnx.PyTorchFixturesTest.assertClose;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Average;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.merging.Multiply;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.models.Model;
import org.rnn4j.models.RecurrentState;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * Every exportable kind of model, with random weights, exported to ONNX and run in ONNX Runtime (the real
 * runtime, its Java API): the outputs match rnn4j's {@code predict} within 1e-5 abs + 1e-5 rel on batches 1 and 7;
 * the one-timestep stateful graph, driven for 20 steps, matches {@code model.step}.
 */
class OnnxRuntimeExportTest {
    private static final double TOL = 1e-5;

    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "lstm_sequences_timedistributed_dense", () -> seq(new LSTM(8).returnSequences(true).inputShape(5, 4),
                new TimeDistributed(new Dense(3))));
        add(cases, "lstm_last_dense_softmax", () -> seq(new LSTM(6).inputShape(5, 4), new Dense(3, "softmax")));
        add(cases, "gru_reset_after_last", () -> seq(new GRU(7).inputShape(5, 4), new Dense(2)));
        add(cases, "gru_reset_before_sequences", () -> seq(new GRU(5).resetAfter(false).returnSequences(true).inputShape(6, 3),
                new Dense(2, "tanh")));
        add(cases, "simple_rnn_tanh", () -> seq(new SimpleRNN(6).returnSequences(true).inputShape(5, 4), new Dense(1)));
        add(cases, "simple_rnn_relu_last", () -> seq(new SimpleRNN(4).activation("relu").inputShape(5, 3), new Dense(2, "sigmoid")));
        add(cases, "lstm_go_backwards_sequences", () -> seq(new LSTM(5).goBackwards(true).returnSequences(true).inputShape(5, 3)));
        add(cases, "stacked_lstm_gru", () -> seq(new LSTM(6).returnSequences(true).inputShape(5, 4), new GRU(4), new Dense(1)));
        for (String merge : List.of("concat", "sum", "mul", "ave")) {
            add(cases, "bidirectional_lstm_sequences_" + merge, () -> seq(
                    new Bidirectional(new LSTM(5).returnSequences(true), merge).inputShape(6, 3), new Dense(2)));
            add(cases, "bidirectional_gru_last_" + merge, () -> seq(new Bidirectional(new GRU(4), merge).inputShape(6, 3)));
        }
        add(cases, "bidirectional_simple_rnn", () -> seq(new Bidirectional(new SimpleRNN(3)).inputShape(4, 2), new Dense(2)));
        add(cases, "activation_dropout", () -> seq(new LSTM(6).returnSequences(true).inputShape(5, 4), new Dropout(0.3),
                new ActivationLayer("relu"), new TimeDistributed(new Dense(2)), new ActivationLayer("softmax")));
        add(cases, "masking_lstm_last", () -> seq(new Masking(0f).inputShape(6, 3), new LSTM(5), new Dense(2)));
        add(cases, "masking_bidirectional_sequences", () -> seq(new Masking(0f).inputShape(6, 3),
                new Bidirectional(new GRU(4).returnSequences(true)), new TimeDistributed(new Dense(2))));
        add(cases, "embedding_lstm", () -> seq(new Embedding(11, 4).inputShape(6), new LSTM(5), new Dense(3)));
        add(cases, "dynamic_time_gru", () -> {
            Input x = new Input(-1, 3);
            return Model.of(x, new Dense(2).apply(new GRU(5).returnSequences(true).apply(x)));
        });
        add(cases, "functional_merges", OnnxRuntimeExportTest::merges);
        add(cases, "functional_encoder_decoder_states", OnnxRuntimeExportTest::encoderDecoder);
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String name, Supplier<Model> model) {
        cases.add(Arguments.of(name, model));
    }

    static Model seq(org.rnn4j.layers.Layer... layers) {
        Sequential m = new Sequential();
        for (org.rnn4j.layers.Layer l : layers) m.add(l);
        return m;
    }

    static Model merges() {
        Input x = new Input(5, 4);
        KerasTensor a = new LSTM(6).returnSequences(true).apply(x);
        KerasTensor b = new GRU(6).returnSequences(true).apply(x);
        KerasTensor c = new SimpleRNN(6).returnSequences(true).apply(x);
        KerasTensor sum = new Add().apply(a, b);
        KerasTensor prod = new Multiply().apply(b, c);
        KerasTensor avg = new Average().apply(a, c);
        KerasTensor cat = new Concatenate().apply(sum, prod, avg);
        return Model.of(x, new TimeDistributed(new Dense(2)).apply(cat));
    }

    static Model encoderDecoder() {
        Input x = new Input(5, 3);
        KerasTensor[] enc = new LSTM(6).returnState(true).applyAll(x);
        KerasTensor rep = new RepeatVector(4).apply(enc[0]);
        KerasTensor dec = new LSTM(6).returnSequences(true).apply(rep, List.of(enc[1], enc[2]));
        return Model.of(x, new TimeDistributed(new Dense(3, "softmax")).apply(dec));
    }

    /** Random weights, including biases, so no gate hides behind a zero. */
    static void randomize(Model model, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> ws = new ArrayList<>();
        for (Tensor t : model.getWeights()) {
            float[] v = new float[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextDouble() - 0.5);
            ws.add(Tensor.of(v, t.shape()));
        }
        model.setWeights(ws);
    }

    static Tensor input(Model model, int batch, int timesteps, long seed, boolean tokens, boolean padded) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] shape = inputShape(model, batch, timesteps);
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = tokens ? r.nextInt(11) : (float) (r.nextDouble() * 2 - 1);
        if (padded) {
            // Trailing padding: sample b keeps its first (steps - b % steps) timesteps, at least one.
            int steps = shape[1];
            int features = shape[2];
            for (int b = 0; b < batch; b++) {
                int keep = Math.max(1, steps - b % steps);
                for (int t = keep; t < steps; t++) for (int f = 0; f < features; f++) v[(b * steps + t) * features + f] = 0f;
            }
        }
        return Tensor.of(v, shape);
    }

    static int[] inputShape(Model model, int batch, int timesteps) {
        int[] declared = model instanceof Sequential s ? s.inputShape()
                : ((org.rnn4j.models.Functional) model).inputs().get(0).batchShape();
        int[] shape = declared.clone();
        shape[0] = batch;
        if (shape.length > 1 && shape[1] < 0) shape[1] = timesteps;
        return shape;
    }

    /** The shape of the last output read by {@link #runOrtAll} (tests run one at a time per thread). */
    private static long[] lastShape;

    static float[] runOrt(byte[] onnx, Map<String, Tensor> inputs, String output) throws OrtException {
        return runOrtAll(onnx, inputs, List.of(output)).get(0);
    }

    static List<float[]> runOrtAll(byte[] onnx, Map<String, Tensor> inputs, List<String> outputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx, opts)) {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                try {
                    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                        long[] shape = java.util.Arrays.stream(e.getValue().shape()).asLongStream().toArray();
                        feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()), shape));
                    }
                    try (OrtSession.Result result = session.run(feeds)) {
                        List<float[]> out = new ArrayList<>();
                        for (String name : outputs) {
                            OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
                            lastShape = t.getInfo().getShape();
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] v = new float[fb.remaining()];
                            fb.get(v);
                            out.add(v);
                        }
                        return out;
                    }
                } finally {
                    for (OnnxTensor t : feeds.values()) t.close();
                }
            }
        }
    }

    static String inputName(Model model) {
        return model instanceof Sequential ? "input" : ((org.rnn4j.models.Functional) model).inputs().get(0).name();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeMatchesPredict(String name, Supplier<Model> build) throws OrtException {
        Model model = build.get();
        randomize(model, name.hashCode());
        org.rnn4j.onnx.proto.Onnx.ModelProto proto = OnnxExporter.toProto(model, OnnxExporter.Options.DEFAULT);
        java.util.Set<String> read = new java.util.HashSet<>();
        proto.getGraph().getNodeList().forEach(n -> read.addAll(n.getInputList()));
        for (org.rnn4j.onnx.proto.Onnx.TensorProto init : proto.getGraph().getInitializerList()) {
            assertTrue(read.contains(init.getName()), name + ": initializer " + init.getName() + " is read by no node");
        }
        byte[] onnx = proto.toByteArray();
        for (int batch : new int[] {1, 7}) {
            for (int timesteps : name.startsWith("dynamic") ? new int[] {5, 9} : new int[] {0}) {
                Tensor x = input(model, batch, timesteps, 31L * batch + timesteps, name.startsWith("embedding"),
                        name.startsWith("masking"));
                Tensor want = model.predict(x);
                float[] got = runOrt(onnx, Map.of(inputName(model), x), "y");
                assertEquals(java.util.Arrays.toString(want.shape()), java.util.Arrays.toString(
                        java.util.Arrays.stream(lastShape).mapToInt(v -> (int) v).toArray()), name + ": output shape");
                assertClose(want.data(), got, TOL, TOL, name + " batch " + batch);
            }
        }
    }

    static Stream<Arguments> streamingModels() {
        return Stream.of(
                Arguments.of("lstm_dense", (Supplier<Model>) () -> seq(new LSTM(8).returnSequences(true).inputShape(5, 3),
                        new TimeDistributed(new Dense(2)))),
                Arguments.of("gru_gru_dense", (Supplier<Model>) () -> seq(new GRU(6).returnSequences(true).inputShape(5, 3),
                        new GRU(4), new Dense(2, "tanh"))),
                Arguments.of("simple_rnn", (Supplier<Model>) () -> seq(new SimpleRNN(5).inputShape(5, 3), new Dense(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamingModels")
    void statefulOneStepGraphDrivenTwentySteps(String name, Supplier<Model> build) throws OrtException {
        Model model = build.get();
        randomize(model, name.hashCode());
        org.rnn4j.onnx.proto.Onnx.ModelProto proto = OnnxExporter.toProto(model, OnnxExporter.Options.STATEFUL);
        byte[] onnx = proto.toByteArray();
        List<String> stateIn = new ArrayList<>();
        List<String> stateOut = new ArrayList<>();
        for (var in : proto.getGraph().getInputList()) if (!in.getName().equals("input")) stateIn.add(in.getName());
        for (var out : proto.getGraph().getOutputList()) if (!out.getName().equals("y")) stateOut.add(out.getName());
        assertEquals(stateIn.size(), stateOut.size(), "one state output per state input");
        int features = 3;
        for (int batch : new int[] {1, 7}) {
            List<RecurrentState> states = new ArrayList<>();
            for (int b = 0; b < batch; b++) states.add(model.newState());
            Map<String, Tensor> carried = new HashMap<>();
            SplittableRandom r = new SplittableRandom(batch);
            for (int step = 0; step < 20; step++) {
                float[][] xs = new float[batch][features];
                float[] flat = new float[batch * features];
                for (int b = 0; b < batch; b++) {
                    for (int f = 0; f < features; f++) {
                        xs[b][f] = (float) (r.nextDouble() * 2 - 1);
                        flat[b * features + f] = xs[b][f];
                    }
                }
                float[][] want = model.step(states, xs);
                Map<String, Tensor> feeds = new HashMap<>();
                feeds.put("input", Tensor.of(flat, batch, features));
                for (var in : proto.getGraph().getInputList()) {
                    if (in.getName().equals("input")) continue;
                    Tensor s = carried.get(in.getName());
                    int units = (int) in.getType().getTensorType().getShape().getDim(1).getDimValue();
                    feeds.put(in.getName(), s != null ? s : Tensor.zeros(batch, units));
                }
                List<String> outs = new ArrayList<>(List.of("y"));
                outs.addAll(stateOut);
                List<float[]> got = runOrtAll(onnx, feeds, outs);
                float[] wantFlat = new float[batch * want[0].length];
                for (int b = 0; b < batch; b++) System.arraycopy(want[b], 0, wantFlat, b * want[0].length, want[0].length);
                assertClose(wantFlat, got.get(0), TOL, TOL, name + " batch " + batch + " step " + step);
                for (int i = 0; i < stateOut.size(); i++) {
                    String in = stateIn.get(i);
                    assertEquals(in + "_out", stateOut.get(i), "state outputs follow the state inputs");
                    carried.put(in, Tensor.of(got.get(1 + i), batch, got.get(1 + i).length / batch));
                }
            }
        }
    }

    @Test
    void refusesLayersOnnxCannotTake() {
        Model model = seq(new LSTM(4).returnSequences(true).inputShape(5, 3), new org.rnn4j.layers.reshaping.Permute(2, 1));
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.rnn4j.io.ModelFormatException.class,
                () -> OnnxExporter.toProto(model, OnnxExporter.Options.DEFAULT));
        assertTrue(e.getMessage().contains("Permute") && e.getMessage().contains("exportable"), e.getMessage());
        Model masked = seq(new Masking(0f).inputShape(5, 3), new LSTM(4).returnSequences(true), new Dense(1));
        e = org.junit.jupiter.api.Assertions.assertThrows(org.rnn4j.io.ModelFormatException.class,
                () -> OnnxExporter.toProto(masked, OnnxExporter.Options.DEFAULT));
        assertTrue(e.getMessage().contains("zero_output_for_mask"), e.getMessage());
    }
}
