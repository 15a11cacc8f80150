package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Add;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.reshaping.Flatten;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class FunctionalTest {
    @BeforeEach
    void fresh() {
        Rnn4j.clearSession();
        Rnn4j.setRandomSeed(7);
    }

    @Test
    void chainGivesTheSameNumbersAsSequential() {
        Input x = new Input(5, 1);
        LSTM lstm = new LSTM(2);
        Dense dense = new Dense(1);
        Functional f = Model.of(x, dense.apply(lstm.apply(x)));
        Sequential s = new Sequential(new LSTM(2).inputShape(5, 1), new Dense(1));
        s.setWeights(f.getWeights());
        Tensor in = GradientCheck.random(1, 3, 5, 1);
        assertArrayEquals(s.predict(in).data(), f.predict(in).data());
    }

    @Test
    void chainSummaryIsKeras2sSequentialLikeTable() {
        Input x = new Input(5, 1);
        Functional f = Model.of(x, new Dense(1).apply(new LSTM(2).apply(x)));
        assertEquals(String.join("\n",
                "Model: \"model\"",
                "_".repeat(65),
                "Layer (type)                 Output Shape              Param #   ",
                "=".repeat(65),
                "input_1 (InputLayer)         [(None, 5, 1)]            0         ",
                "_".repeat(65),
                "lstm (LSTM)                  (None, 2)                 32        ",
                "_".repeat(65),
                "dense (Dense)                (None, 1)                 3         ",
                "=".repeat(65),
                "Total params: 35",
                "Trainable params: 35",
                "Non-trainable params: 0",
                "_".repeat(65)), f.summary());
    }

    @Test
    void layersAreOrderedAsKeras() {
        Input a = new Input(3).name("a"), b = new Input(3).name("b");
        KerasTensor deep = new Dense(3).name("deep").apply(new Dense(3).name("first").apply(a));
        KerasTensor y = new Dense(1).name("out").apply(new Add().name("sum").apply(deep, b));
        Functional m = Model.of(List.of(a, b), List.of(y));
        // By depth from the outputs, inputs first; within a depth in traversal order from the outputs.
        assertEquals(List.of("a", "first", "deep", "b", "sum", "out"), m.layers().stream().map(l -> l.name()).toList());
        assertEquals(List.of(List.of(List.of("deep", 0, 0, Map.of()), List.of("b", 0, 0, Map.of()))),
                m.inboundNodesConfig(m.getLayer("sum")));
    }

    @Test
    void severalOutputsWeighTheirLosses() {
        Input a = new Input(4), b = new Input(2);
        KerasTensor h = new Dense(3, "tanh").apply(new Concatenate().apply(a, b));
        Dense outA = new Dense(2).name("out_a"), outB = new Dense(1).name("out_b");
        Functional m = Model.of(List.of(a, b), List.of(outA.apply(h), outB.apply(h)));
        m.compile(new Loss[] {Loss.get("mse"), Loss.get("mae")}, new double[] {0.3, 2.0}, new SGD(0.1));
        Tensor[] x = {GradientCheck.random(1, 5, 4), GradientCheck.random(2, 5, 2)};
        Tensor[] y = {GradientCheck.random(3, 5, 2), GradientCheck.random(4, 5, 1)};
        Map<String, Double> logs = m.testOnBatch(x, y);
        assertEquals(List.of("loss", "out_a_loss", "out_b_loss"), List.copyOf(logs.keySet()));
        Tensor[] p = m.predictOnBatch(x);
        double la = Loss.get("mse").compute(y[0], p[0], null, null), lb = Loss.get("mae").compute(y[1], p[1], null, null);
        assertEquals(la, logs.get("out_a_loss"), 1e-7);
        assertEquals(lb, logs.get("out_b_loss"), 1e-7);
        assertEquals(0.3 * la + 2.0 * lb, logs.get("loss"), 1e-6);
        GradientCheck.assertGradients(m, x, y);
    }

    @Test
    void sharedLayerKeepsOneSetOfWeightsAndSumsItsGradients() {
        Input a = new Input(3), b = new Input(3);
        Dense shared = new Dense(2, "tanh").name("shared");
        KerasTensor y = new Dense(1).apply(new Add().apply(shared.apply(a), shared.apply(b)));
        Functional m = Model.of(List.of(a, b), List.of(y));
        assertEquals(2, shared.inboundNodes().size());
        assertEquals(3 * 2 + 2 + 2 + 1, m.countParams());
        assertEquals(5, m.layers().size());
        assertTrue(m.summary().contains("\n                                                                 input_2[0][0]") && m.summary().contains("shared (Dense)                  (None, 2)            8           input_1[0][0]"), m.summary());
        // The same input through both branches gives twice one branch.
        Tensor in = GradientCheck.random(1, 4, 3);
        Functional single = Model.of(a, shared.apply(a));
        Tensor once = single.predict(in);
        Tensor both = Model.of(List.of(a, b), List.of(new Add().apply(shared.apply(a), shared.apply(b))))
                .predict(new Tensor[] {in, in}, 32)[0];
        for (int i = 0; i < once.size(); i++) assertEquals(2 * once.data()[i], both.data()[i], 1e-6);
        m.compile(Loss.get("mse"), new SGD(0.1));
        GradientCheck.assertGradients(m, new Tensor[] {in, GradientCheck.random(2, 4, 3)}, new Tensor[] {GradientCheck.random(3, 4, 1)});
    }

    @Test
    void encoderStatesInitialiseTheDecoderAndReceiveGradients() {
        Input enc = new Input(4, 2), dec = new Input(3, 2);
        KerasTensor[] e = new LSTM(3).returnState(true).applyAll(enc);
        assertEquals(3, e.length);
        LSTM decoder = new LSTM(3).returnSequences(true);
        KerasTensor seq = decoder.apply(dec, List.of(e[1], e[2]));
        KerasTensor y = new TimeDistributed(new Dense(2)).apply(seq);
        Functional m = Model.of(List.of(enc, dec), List.of(y));
        // Keras 2's config form: the states are extra inbound tensors of the decoder's node.
        assertEquals(List.of(List.of(List.of("input_2", 0, 0, Map.of()), List.of("lstm", 0, 1, Map.of()),
                List.of("lstm", 0, 2, Map.of()))), m.inboundNodesConfig(decoder));
        m.compile(Loss.get("mse"), new SGD(0.1));
        Tensor[] x = {GradientCheck.random(1, 3, 4, 2), GradientCheck.random(2, 3, 3, 2)};
        Tensor[] t = {GradientCheck.random(3, 3, 3, 2)};
        // The encoder's weights get gradients only through the states: the check covers that path.
        GradientCheck.assertGradients(m, x, t);
        // Different encoder inputs change the decoder's outputs.
        Tensor p1 = m.predict(x, 8)[0];
        Tensor p2 = m.predict(new Tensor[] {GradientCheck.random(9, 3, 4, 2), x[1]}, 8)[0];
        assertTrue(Math.abs(p1.data()[0] - p2.data()[0]) > 1e-6);
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class, () -> decoder.apply(dec, List.of(e[1])));
        assertEquals("Layer \"lstm_1\" has 2 state(s) but 1 initial state tensor(s) were given", err.getMessage());
    }

    @Test
    void masksFlowAlongTheGraph() {
        Input x = new Input(4, 2);
        KerasTensor seq = new LSTM(3).returnSequences(true).apply(new Masking(0f).apply(x));
        KerasTensor y = new TimeDistributed(new Dense(1)).apply(new Add().apply(seq, seq));
        Functional m = Model.of(x, y);
        Tensor in = GradientCheck.random(1, 2, 4, 2);
        for (int j = 0; j < 2; j++) in.set(0f, 0, 3, j); // sample 0's last step is padding
        Tensor out = m.predict(in);
        // A masked step repeats the previous output (the LSTM keeps its state), through Add and the Dense.
        assertEquals(out.get(0, 2, 0), out.get(0, 3, 0), 0f);
        assertTrue(out.get(1, 2, 0) != out.get(1, 3, 0));
        m.compile(Loss.get("mse"), new SGD(0.1));
        GradientCheck.assertGradients(m, new Tensor[] {in}, new Tensor[] {GradientCheck.random(2, 2, 4, 1)});
    }

    @Test
    void disconnectedGraphIsRefused() {
        Input a = new Input(3), b = new Input(3);
        KerasTensor y = new Dense(1).apply(new Add().apply(a, b));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.of(a, y));
        assertTrue(e.getMessage().startsWith("Graph disconnected"), e.getMessage());
        assertTrue(e.getMessage().contains("input_2"), e.getMessage());
    }

    @Test
    void wrongInputShapeNamesTheModel() {
        Input x = new Input(5, 1);
        Functional m = Model.of(x, new Dense(1).apply(new LSTM(2).apply(x)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(3, 5, 2)));
        assertEquals("Input 0 of layer \"model\" is incompatible: expected shape (None, 5, 1), got (3, 5, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LSTM(2).apply(new Input(3)));
    }

    @Test
    void multiOutputLayerNeedsApplyAll() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LSTM(2).returnState(true).name("enc").apply(new Input(3, 1)));
        assertTrue(e.getMessage().contains("\"enc\" returns 3 tensors; use applyAll"), e.getMessage());
        Input x = new Input(3, 1);
        assertSame(x.layer(), Model.of(x, new Dense(1).apply(new LSTM(2).apply(x))).layers().get(0));
    }

    @Test
    void inferenceModelsShareTheTrainedLayersStepByStep() {
        // Keras's seq2seq recipe: train on whole sequences, then decode one step at a time with models that share
        // the same layers and carry the states through return_state / initial_state.
        Input enc = new Input(4, 2), dec = new Input(3, 2);
        KerasTensor[] e = new LSTM(3).returnState(true).applyAll(enc);
        LSTM decoder = new LSTM(3).returnSequences(true).returnState(true);
        TimeDistributed head = new TimeDistributed(new Dense(2));
        KerasTensor[] d = decoder.applyAll(dec, List.of(e[1], e[2]));
        Functional training = Model.of(List.of(enc, dec), List.of(head.apply(d[0])));
        Tensor xe = GradientCheck.random(1, 2, 4, 2), xd = GradientCheck.random(2, 2, 3, 2);
        Tensor whole = training.predict(new Tensor[] {xe, xd}, 8)[0];

        Functional encoder = Model.of(List.of(enc), List.of(e[1], e[2]));
        Input step = new Input(1, 2), h = new Input(3), c = new Input(3);
        KerasTensor[] s = decoder.applyAll(step, List.of(h, c));
        Functional decodeStep = Model.of(List.of(step, h, c), List.of(head.apply(s[0]), s[1], s[2]));
        assertEquals(training.countParams(), encoder.countParams() + decodeStep.countParams());

        Tensor[] states = encoder.predict(new Tensor[] {xe}, 8);
        for (int t = 0; t < 3; t++) {
            Tensor xt = Tensor.zeros(2, 1, 2);
            for (int b = 0; b < 2; b++) for (int j = 0; j < 2; j++) xt.set(xd.get(b, t, j), b, 0, j);
            Tensor[] out = decodeStep.predict(new Tensor[] {xt, states[0], states[1]}, 8);
            for (int b = 0; b < 2; b++) for (int j = 0; j < 2; j++) assertEquals(whole.get(b, t, j), out[0].get(b, 0, j), 1e-6);
            states = new Tensor[] {out[1], out[2]};
        }
    }

    @Test
    void sharedLayerWithDifferentShapesShowsMultiple() {
        Input v = new Input(3), seq = new Input(4, 3);
        Dense shared = new Dense(2);
        KerasTensor a = new Flatten().apply(shared.apply(seq));
        KerasTensor y = new Concatenate().apply(shared.apply(v), a);
        Functional m = Model.of(List.of(v, seq), List.of(y));
        assertTrue(m.summary().contains("dense (Dense)                   multiple             8 "), m.summary());
        assertArrayEquals(new int[] {-1, 10}, m.outputShapes().get(0));
    }

    @Test
    void fitTrainsSeveralInputsAndOutputsWithPerOutputLogs() {
        Input a = new Input(3, 2).name("a"), b = new Input(4).name("b");
        KerasTensor h = new Concatenate().apply(new LSTM(4).apply(a), b);
        Functional m = Model.of(List.of(a, b), List.of(new Dense(1).name("reg").apply(h), new Dense(1, "sigmoid").name("cls").apply(h)));
        m.compile(new Loss[] {Loss.get("mse"), Loss.get("binary_crossentropy")}, new double[] {1.0, 0.5},
                new org.rnn4j.optimizers.Adam(0.02), "mae");
        Tensor[] x = {GradientCheck.random(1, 64, 3, 2), GradientCheck.random(2, 64, 4)};
        // Targets the inputs determine: a sum and its sign.
        Tensor reg = Tensor.zeros(64, 1), cls = Tensor.zeros(64, 1);
        for (int i = 0; i < 64; i++) {
            float v = x[0].get(i, 2, 0) + x[1].get(i, 0);
            reg.set(v, i, 0);
            cls.set(v > 0 ? 1f : 0f, i, 0);
        }
        Tensor[] y = {reg, cls};
        double before = m.evaluate(x, y, 64, 0).get("loss");
        var history = m.fit(x, y, new FitOptions().epochs(30).batchSize(16).verbose(0).validationSplit(0.25));
        assertTrue(history.history().keySet().containsAll(List.of("loss", "reg_loss", "cls_loss", "reg_mae", "cls_mae",
                "val_loss", "val_reg_loss", "val_cls_loss")), history.history().keySet().toString());
        double after = m.evaluate(x, y, 64, 0).get("loss");
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }

    @Test
    void aModelCalledAsALayerSharesItsWeightsAndGradients() {
        Input x = new Input(4, 2);
        Functional encoder = new Functional(List.of(x), List.of(new LSTM(3).apply(x)), "encoder");
        Input a = new Input(4, 2), b = new Input(4, 2);
        KerasTensor y = new Dense(1).apply(new Add().apply(encoder.apply(a), encoder.apply(b)));
        Functional siamese = Model.of(List.of(a, b), List.of(y));
        assertEquals(encoder.countParams() + 4, siamese.countParams());
        assertTrue(siamese.summary().contains("encoder (Functional)            (None, 3)            72          input_2[0][0]"),
                siamese.summary());
        Tensor in = GradientCheck.random(1, 3, 4, 2);
        Tensor alone = encoder.predict(in);
        Tensor both = Model.of(List.of(a, b), List.of(new Add().apply(encoder.apply(a), encoder.apply(b))))
                .predict(new Tensor[] {in, in}, 8)[0];
        for (int i = 0; i < alone.size(); i++) assertEquals(2 * alone.data()[i], both.data()[i], 1e-6);
        siamese.compile(Loss.get("mse"), new SGD(0.1));
        // Training mode: the shared LSTM runs twice before backward (no dropout here, so the same numbers).
        GradientCheck.assertGradients(siamese, new Tensor[] {in, GradientCheck.random(2, 3, 4, 2)},
                new Tensor[] {GradientCheck.random(3, 3, 1)}, 1e-2, 2e-2, true);
    }
}
