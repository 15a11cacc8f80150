package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.Adagrad;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.Fixture;

/** The reference case {@code lstm_return_state}: LSTM(3, return_sequences, return_state) -> Concatenate(h, c) -> Dense(1). */
class FunctionalFixtureTest {
    private final Fixture f = Fixture.load("lstm_return_state");
    private Input x;
    private KerasTensor[] lstmOut;
    private Functional model;

    @BeforeEach
    void build() {
        Rnn4j.clearSession();
        x = new Input(4, 2);
        lstmOut = new LSTM(3).recurrentActivation("sigmoid").returnSequences(true).returnState(true).applyAll(x);
        KerasTensor y = new Dense(1).apply(new Concatenate().apply(lstmOut[1], lstmOut[2]));
        model = Model.of(x, y);
        model.setWeights(f.weights());
        model.compile(new Loss[] {Loss.get("mse")}, null, new Adagrad(0.1, 0.1, 1e-7));
    }

    @Test
    void namesAndLayersAreKeras2s() {
        assertEquals("model", model.name());
        assertEquals(List.of("input_1", "lstm", "concatenate", "dense"), model.layers().stream().map(l -> l.name()).toList());
        assertEquals(f.json.get("total_params").asInt(), model.countParams());
    }

    @Test
    void summaryMatchesKeras2Layout() {
        assertEquals(f.text("summary_keras_style"), model.summary());
    }

    @Test
    void predictAndProbesMatch() {
        JsonNode p = f.json.get("predict");
        Tensor got = model.predict(f.inputs(), p.get("batch_size").asInt())[0];
        Fixture.assertClose("predict", Fixture.tensor(p.get("outputs").get(0)), got, 2e-5, 1e-4);
        // The LSTM's three outputs, through a second model sharing the same layers.
        Functional probes = Model.of(List.of(x), List.of(lstmOut));
        Tensor[] outs = probes.predict(f.inputs(), 32);
        for (JsonNode probe : p.get("probes")) {
            int i = Integer.parseInt(probe.get("ref").asText().split(":")[1]);
            Fixture.assertClose("probe " + probe.get("ref").asText(), Fixture.tensor(probe), outs[i], 2e-5, 1e-4);
        }
    }

    @Test
    void gradientsMatch() {
        JsonNode g = f.json.get("gradients");
        double loss = model.computeGradients(f.inputs(), f.targets(), g.get("training").asBoolean());
        Fixture.assertClose("loss", g.get("loss").asDouble(), loss, 1e-6, 1e-5);
        List<Weight> ws = model.trainableWeights();
        JsonNode grads = g.get("grads");
        assertEquals(grads.size(), ws.size());
        for (int i = 0; i < ws.size(); i++) {
            Fixture.assertClose("grad " + grads.get(i).get("name").asText(), Fixture.tensor(grads.get(i)), ws.get(i).grad(),
                    1e-5, 1e-3);
        }
    }

    @Test
    void evaluateAndFitFollowTheReference() {
        double eval = model.evaluate(f.inputs(), f.targets(), f.json.get("evaluate").get("batch_size").asInt(), 0).get("loss");
        Fixture.assertClose("evaluate loss", f.json.get("evaluate").get("loss").asDouble(), eval, 1e-6, 1e-5);
        JsonNode fit = f.json.get("fit");
        var history = model.fit(f.inputs(), f.targets(), new FitOptions().epochs(fit.get("epochs").asInt())
                .batchSize(fit.get("batch_size").asInt()).shuffle(false).verbose(0));
        JsonNode want = fit.get("history").get("loss");
        for (int e = 0; e < want.size(); e++) {
            Fixture.assertClose("history loss " + e, want.get(e).asDouble(), history.get("loss").get(e), 1e-5, 1e-4);
        }
        List<Tensor> after = Fixture.tensors(fit.get("weights_after"));
        List<Tensor> got = model.getWeights();
        for (int i = 0; i < after.size(); i++) Fixture.assertClose("weight " + i + " after fit", after.get(i), got.get(i), 1e-4, 1e-3);
    }
}
