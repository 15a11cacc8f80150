package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.Callback;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/**
 * Keras's stateful semantics: sample i of batch k continues sample i of batch k-1 in every entry point, states
 * are reset only when asked (all of them, or chosen samples), no gradient crosses a batch boundary, and the
 * fixed batch size is enforced with an error that says what was expected.
 */
class StatefulTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** LSTM(3) stateful with batch_input_shape (2, 3, 1), then Dense(1); weights as given. */
    private static Sequential fixtureModel(JsonNode c) {
        Rnn4j.clearSession();
        Sequential m = new Sequential();
        m.add(new LSTM(3).stateful(true).recurrentActivation("sigmoid").batchInputShape(2, 3, 1));
        m.add(new Dense(1));
        List<Tensor> w = new ArrayList<>();
        for (JsonNode t : c.get("weights")) w.add(tensor(t));
        m.setWeights(w);
        m.compile(Loss.get("mse"), new SGD(0.1));
        return m;
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(new File("../testdata/fixtures/keras/" + name + ".json"));
    }

    static Tensor tensor(JsonNode t) {
        JsonNode s = t.get("shape"), d = t.get("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        float[] data = new float[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = Float.parseFloat(d.get(i).asText());
        return Tensor.of(data, shape);
    }

    private static Tensor rows(Tensor x, JsonNode inputRows) {
        return x.slice(inputRows.get(0).asInt(), inputRows.get(1).asInt());
    }

    /** {@code |got - want| <= atol + rtol * |want|} elementwise (the fixture README's comparison). */
    static void assertClose(float[] want, float[] got, double atol, double rtol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double tol = atol + rtol * Math.abs(want[i]);
            assertTrue(Math.abs(got[i] - want[i]) <= tol, what + "[" + i + "]: want " + want[i] + ", got " + got[i]);
        }
    }

    @Test
    void fixtureStatefulCallsCarryStateAndResetRestartsIt() throws IOException {
        JsonNode c = fixture("stateful_lstm");
        Sequential m = fixtureModel(c);
        LSTM lstm = (LSTM) m.layers().get(0);
        Tensor x = tensor(c.get("inputs").get(0));
        for (JsonNode call : c.get("stateful").get("calls")) {
            Tensor y = m.predict(rows(x, call.get("input_rows")), 2);
            assertClose(floats(call.get("outputs").get(0)), y.data(), 2e-5, 1e-4, "stateful call outputs");
            JsonNode states = call.get("states_after").get(0).get("states");
            List<Tensor> got = lstm.states();
            assertClose(floats(states.get(0)), got.get(0).data(), 2e-5, 1e-4, "h after call");
            assertClose(floats(states.get(1)), got.get(1).data(), 2e-5, 1e-4, "c after call");
        }
        m.resetStates();
        JsonNode after = c.get("stateful").get("after_reset_states");
        assertClose(floats(after.get("outputs").get(0)), m.predictOnBatch(rows(x, after.get("input_rows"))).data(),
                2e-5, 1e-4, "after reset_states");
    }

    @Test
    void fixturePredictCarriesStateAcrossBatchesInsideOneCall() throws IOException {
        JsonNode c = fixture("stateful_lstm");
        Sequential m = fixtureModel(c);
        Tensor x = tensor(c.get("inputs").get(0));
        assertClose(floats(c.get("predict").get("outputs").get(0)), m.predict(x, 2).data(), 2e-5, 1e-4, "predict");
        // The same rows batch by batch through predictOnBatch continue the same way.
        m.resetStates();
        float[] want = floats(c.get("predict").get("outputs").get(0));
        for (int b = 0; b < 3; b++) {
            float[] got = m.predictOnBatch(x.slice(2 * b, 2 * b + 2)).data();
            assertClose(java.util.Arrays.copyOfRange(want, 2 * b, 2 * b + 2), got, 2e-5, 1e-4, "predictOnBatch " + b);
        }
    }

    @Test
    void fixtureEvaluateCarriesStateAcrossBatches() throws IOException {
        JsonNode c = fixture("stateful_lstm");
        Sequential m = fixtureModel(c);
        Tensor x = tensor(c.get("inputs").get(0)), y = tensor(c.get("targets").get(0));
        double loss = m.evaluate(x, y, 2).get("loss");
        double want = c.get("evaluate").get("loss").asDouble();
        assertEquals(want, loss, 1e-6 + 1e-5 * Math.abs(want));
        // testOnBatch batch by batch gives the same batch losses.
        m.resetStates();
        double sum = 0;
        for (int b = 0; b < 3; b++) sum += m.testOnBatch(x.slice(2 * b, 2 * b + 2), y.slice(2 * b, 2 * b + 2)).get("loss");
        assertEquals(want, sum / 3, 1e-6 + 1e-5 * Math.abs(want));
    }

    @Test
    void fixtureGradientsOfTheFirstBatchFromZeroState() throws IOException {
        JsonNode c = fixture("stateful_lstm");
        Sequential m = fixtureModel(c);
        JsonNode g = c.get("gradients");
        Tensor x = tensor(c.get("inputs").get(0)), y = tensor(c.get("targets").get(0));
        double loss = m.computeGradients(new Tensor[] {rows(x, g.get("input_rows"))}, new Tensor[] {rows(y, g.get("input_rows"))},
                true);
        assertEquals(g.get("loss").asDouble(), loss, 1e-6 + 1e-5 * Math.abs(loss));
        var ws = m.trainableWeights();
        for (int i = 0; i < ws.size(); i++) {
            assertClose(floats(g.get("grads").get(i)), ws.get(i).grad().data(), 1e-5, 1e-3, "grad " + ws.get(i).path());
        }
    }

    @Test
    void fixtureFitCarriesStateAcrossBatchesAndEpochs() throws IOException {
        JsonNode c = fixture("stateful_lstm");
        Sequential m = fixtureModel(c);
        JsonNode f = c.get("fit");
        Tensor x = tensor(c.get("inputs").get(0)), y = tensor(c.get("targets").get(0));
        List<Double> batchLosses = new ArrayList<>();
        m.resetStates();
        var history = m.fit(x, y, new FitOptions().epochs(f.get("epochs").asInt()).batchSize(2).shuffle(false).verbose(0)
                .callbacks(new Callback() {
                    Model model;

                    @Override
                    public void setModel(Model model) { this.model = model; }

                    @Override
                    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
                        batchLosses.add(model.lastStepLogs().get("loss"));
                    }
                }));
        for (int e = 0; e < 2; e++) {
            double want = f.get("history").get("loss").get(e).asDouble();
            assertEquals(want, history.get("loss").get(e), 1e-5 + 1e-4 * Math.abs(want), "history loss " + e);
        }
        assertEquals(f.get("batch_logs").size(), batchLosses.size());
        for (int i = 0; i < batchLosses.size(); i++) {
            double want = f.get("batch_logs").get(i).get("loss").asDouble();
            assertEquals(want, batchLosses.get(i), 1e-5 + 1e-4 * Math.abs(want), "batch loss " + i);
        }
        var ws = m.weights();
        for (int i = 0; i < ws.size(); i++) {
            assertClose(floats(f.get("weights_after").get(i)), ws.get(i).value().data(), 1e-4, 1e-3, "weights after fit " + i);
        }
        m.resetStates();
        assertClose(floats(f.get("predict_after").get("outputs").get(0)), m.predict(x, 2).data(), 1e-4, 1e-3, "predict after fit");
    }

    private static float[] floats(JsonNode t) { return tensor(t).data(); }

    // ------------------------------------------------------------------ semantics beyond the fixture

    private static Sequential small(int batch, boolean stateful) { return small(batch, 3, stateful); }

    private static Sequential small(int batch, int steps, boolean stateful) {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential();
        m.add(Input.withBatch(batch, steps, 2));
        m.add(new LSTM(4).stateful(stateful).returnSequences(true));
        m.add(new LSTM(3).stateful(stateful));
        m.add(new Dense(1));
        m.compile(Loss.get("mse"), new SGD(0.1));
        return m;
    }

    @Test
    void aStatefulSecondLayerGetsTheFixedBatchFromTheInput() {
        Sequential m = small(2, true);
        Tensor x = GradientCheck.random(3, 4, 3, 2);
        // Two calls on halves equal one call on the 6-step sequences the halves make up.
        Tensor first = x.slice(0, 2), second = x.slice(2, 4);
        m.predictOnBatch(first);
        float[] continued = m.predictOnBatch(second).data();
        Sequential whole = small(2, 6, false);
        whole.setWeights(m.getWeights());
        float[] joined = new float[2 * 6 * 2];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(first.data(), b * 6, joined, b * 12, 6);
            System.arraycopy(second.data(), b * 6, joined, b * 12 + 6, 6);
        }
        float[] want = whole.predict(Tensor.of(joined, 2, 6, 2), 2).data();
        assertClose(want, continued, 1e-6, 0, "continued vs whole sequence");
    }

    @Test
    void trainOnBatchCarriesStateAndNoGradientCrossesTheBatchBoundary() {
        Sequential m = small(2, true);
        Tensor x = GradientCheck.random(4, 4, 3, 2), y = GradientCheck.random(5, 4, 1);
        m.trainOnBatch(x.slice(0, 2), y.slice(0, 2));
        RNN<?> l1 = (RNN<?>) m.layers().get(0), l2 = (RNN<?>) m.layers().get(1);
        List<Tensor> s1 = l1.states(), s2 = l2.states();
        assertNotEquals(0f, s1.get(0).data()[0], "state carried from batch 0");
        Tensor[] bx = {x.slice(2, 4)}, by = {y.slice(2, 4)};
        // The analytic gradient of batch 1 treats the carried state as a constant: it equals central differences
        // of the loss with the carried state held fixed (re-set before every evaluation).
        Runnable restore = () -> { l1.resetStates(s1); l2.resetStates(s2); };
        restore.run();
        m.computeGradients(bx, by, false);
        double eps = 1e-2;
        for (var w : m.trainableWeights()) {
            float[] analytic = w.grad().data().clone(), v = w.value().data();
            double scale = 1e-3;
            for (float a : analytic) scale = Math.max(scale, Math.abs(a));
            for (int i = 0; i < v.length; i++) {
                float orig = v[i];
                v[i] = (float) (orig + eps);
                restore.run();
                double up = m.computeGradients(bx, by, false);
                v[i] = (float) (orig - eps);
                restore.run();
                double down = m.computeGradients(bx, by, false);
                v[i] = orig;
                double numeric = (up - down) / (2 * eps);
                assertEquals(analytic[i], numeric, 2e-2 * scale, w.path() + "[" + i + "]");
            }
        }
        // And the update of trainOnBatch on batch 1 used exactly that gradient (SGD 0.1).
        restore.run();
        m.computeGradients(bx, by, false);
        var w0 = m.trainableWeights().get(0);
        float[] before = w0.value().data().clone(), g = w0.grad().data().clone();
        restore.run();
        m.trainOnBatch(bx[0], by[0]);
        for (int i = 0; i < before.length; i++) assertEquals(before[i] - 0.1f * g[i], w0.value().data()[i], 1e-6);
    }

    @Test
    void resetStatesOfChosenSamplesOnly() {
        Sequential m = small(2, true);
        Tensor x = GradientCheck.random(6, 2, 3, 2);
        m.predictOnBatch(x);
        RNN<?> l1 = (RNN<?>) m.layers().get(0), l2 = (RNN<?>) m.layers().get(1);
        float[] before = l1.states().get(1).data();
        m.resetStates(1);
        for (RNN<?> l : List.of(l1, l2)) {
            for (Tensor s : l.states()) {
                float[] d = s.data();
                int u = l.units();
                for (int j = 0; j < u; j++) assertEquals(0f, d[u + j], "sample 1 reset");
                assertNotEquals(0f, d[0], "sample 0 kept");
            }
        }
        assertEquals(before[0], l1.states().get(1).data()[0]);
        // Sample 1 now starts afresh: its output equals a fresh model's; sample 0 continues.
        float[] got = m.predictOnBatch(x).data();
        Sequential fresh = small(2, true);
        fresh.setWeights(m.getWeights());
        float[] want = fresh.predictOnBatch(x).data();
        assertEquals(want[1], got[1], 0f);
        assertNotEquals(want[0], got[0]);
        // Per layer: only the chosen layer changes.
        l2.resetStates();
        for (Tensor s : l2.states()) for (float v : s.data()) assertEquals(0f, v);
        assertNotEquals(0f, l1.states().get(0).data()[0]);
    }

    @Test
    void resetStatesOfASampleOutsideTheBatchIsRefused() {
        Sequential m = small(2, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.resetStates(2));
        assertTrue(e.getMessage().contains("sample index 2 is outside the batch of 2"), e.getMessage());
    }

    @Test
    void aBatchOfTheWrongSizeNamesBothSizes() {
        Sequential m = small(2, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.predictOnBatch(Tensor.zeros(3, 3, 2)));
        assertTrue(e.getMessage().contains("stateful") && e.getMessage().contains("batch size of 2")
                && e.getMessage().contains("batch of 3 samples"), e.getMessage());
        // predict with a partial last batch, and fit likewise.
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(5, 3, 2), 2));
        assertTrue(p.getMessage().contains("batch of 1 samples"), p.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Tensor.zeros(4, 3, 2), Tensor.zeros(4, 1), new FitOptions().batchSize(4).shuffle(false).verbose(0)));
        assertTrue(f.getMessage().contains("batch of 4 samples"), f.getMessage());
    }

    @Test
    void statefulWithoutAFixedBatchSizeIsRefused() {
        Sequential m = new Sequential();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.add(new LSTM(2).stateful(true).inputShape(3, 1).name("lstm_9")));
        assertTrue(e.getMessage().contains("\"lstm_9\" is stateful") && e.getMessage().contains("batchInputShape")
                && e.getMessage().contains("(None, 3, 1)"), e.getMessage());
    }

    @Test
    void fitWithShuffleOnAStatefulModelIsRefusedWithTheReason() {
        Sequential m = small(2, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Tensor.zeros(4, 3, 2), Tensor.zeros(4, 1), new FitOptions().batchSize(2).verbose(0)));
        assertTrue(e.getMessage().contains("shuffle=true") && e.getMessage().contains("stateful")
                && e.getMessage().contains("shuffle(false)"), e.getMessage());
        // With shuffle off it trains, carrying state.
        m.fit(Tensor.zeros(4, 3, 2), Tensor.zeros(4, 1), new FitOptions().batchSize(2).shuffle(false).verbose(0));
    }

    @Test
    void statesAreNotCarriedWhenNotStateful() {
        Sequential m = small(2, false);
        Tensor x = GradientCheck.random(8, 2, 3, 2);
        assertArrayEquals(m.predictOnBatch(x).data(), m.predictOnBatch(x).data());
    }

    // ------------------------------------------------------------------ keras-js: predict twice, second output

    @Test
    void kerasJsStatefulLstmKeys() throws IOException {
        JsonNode all = JSON.readTree(new File("../testdata/keras-real/keras-js/LSTM.json"));
        // LSTM.5..8: units 4, hard_sigmoid, stateful; return_sequences / go_backwards as the key says.
        boolean[][] options = {{false, false}, {true, false}, {false, true}, {true, true}};
        for (int k = 5; k <= 8; k++) {
            JsonNode c = all.get("recurrent.LSTM." + k);
            LSTM lstm = new LSTM(4).recurrentActivation("hard_sigmoid").stateful(true)
                    .returnSequences(options[k - 5][0]).goBackwards(options[k - 5][1]).batchInputShape(1, 3, 6);
            assertKerasJsSecondCall(lstm, c, "recurrent.LSTM." + k);
        }
    }

    /** Keras called predict twice on the one sample; the second output starts from the first call's final state. */
    static void assertKerasJsSecondCall(RNN<?> layer, JsonNode c, String key) {
        Sequential m = new Sequential(layer);
        List<Tensor> w = new ArrayList<>();
        for (JsonNode t : c.get("weights")) w.add(tensor(t));
        m.setWeights(w);
        Tensor in = tensor(c.get("input"));
        int[] s = in.shape();
        Tensor x = in.reshape(1, s[0], s[1]);
        m.predict(x, 1);
        float[] got = m.predict(x, 1).data();
        assertClose(floats(c.get("expected")), got, 1e-5, 1e-4, key);
        m.resetStates();
        assertNotEquals(floats(c.get("expected"))[0], m.predict(x, 1).data()[0], key + ": after reset the first output differs");
    }
}
