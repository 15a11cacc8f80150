package org.rnn4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.tensor.Tensor;

/**
 * The real Keras 2.0 outputs of transcranial/keras-js ({@code testdata/keras-real/keras-js/}): each key's layer is
 * built from its configuration (the table in that folder's README), weights are set from the file, and the output
 * on the file's single sample must match Keras's within 1e-5. Stateful keys compare the second of two calls.
 */
class KerasJsFixturesTest {
    private static final String DIR = "../testdata/keras-real/keras-js/";
    private static final double TOLERANCE = 1e-5;

    /** One key's layer; {@code stateful} keys run twice. */
    private record Case(Supplier<Layer> layer, boolean stateful) {}

    private static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        // recurrent.LSTM.*: units=4, tanh, hard_sigmoid unless stated.
        c.put("recurrent.LSTM.0", rnn(() -> lstm(4, "tanh", "hard_sigmoid")));
        c.put("recurrent.LSTM.1", rnn(() -> lstm(5, "sigmoid", "sigmoid")));
        c.put("recurrent.LSTM.2", rnn(() -> lstm(4, "tanh", "hard_sigmoid").returnSequences(true)));
        c.put("recurrent.LSTM.3", rnn(() -> lstm(4, "tanh", "hard_sigmoid").goBackwards(true)));
        c.put("recurrent.LSTM.4", rnn(() -> lstm(4, "tanh", "hard_sigmoid").returnSequences(true).goBackwards(true)));
        c.put("recurrent.LSTM.5", stateful(() -> lstm(4, "tanh", "hard_sigmoid").stateful(true)));
        c.put("recurrent.LSTM.6", stateful(() -> lstm(4, "tanh", "hard_sigmoid").returnSequences(true).stateful(true)));
        c.put("recurrent.LSTM.7", stateful(() -> lstm(4, "tanh", "hard_sigmoid").goBackwards(true).stateful(true)));
        c.put("recurrent.LSTM.8", stateful(() -> lstm(4, "tanh", "hard_sigmoid").returnSequences(true).goBackwards(true)
                .stateful(true)));
        // recurrent.GRU.*: the Keras 2.0 GRU, reset gate before the recurrent matrix (reset_after=false).
        c.put("recurrent.GRU.0", rnn(() -> gru(4, "tanh", "hard_sigmoid")));
        c.put("recurrent.GRU.1", rnn(() -> gru(5, "sigmoid", "sigmoid")));
        c.put("recurrent.GRU.2", rnn(() -> gru(4, "tanh", "hard_sigmoid").returnSequences(true)));
        c.put("recurrent.GRU.3", rnn(() -> gru(4, "tanh", "hard_sigmoid").goBackwards(true)));
        c.put("recurrent.GRU.4", rnn(() -> gru(4, "tanh", "hard_sigmoid").returnSequences(true).goBackwards(true)));
        c.put("recurrent.GRU.5", stateful(() -> gru(4, "tanh", "hard_sigmoid").stateful(true)));
        c.put("recurrent.GRU.6", stateful(() -> gru(4, "tanh", "hard_sigmoid").returnSequences(true).stateful(true)));
        c.put("recurrent.GRU.7", stateful(() -> gru(4, "tanh", "hard_sigmoid").goBackwards(true).stateful(true)));
        c.put("recurrent.GRU.8", stateful(() -> gru(4, "tanh", "hard_sigmoid").useBias(false).returnSequences(true)
                .goBackwards(true).stateful(true)));
        c.put("recurrent.SimpleRNN.0", rnn(() -> new SimpleRNN(4).activation("tanh")));
        c.put("recurrent.SimpleRNN.1", rnn(() -> new SimpleRNN(5).activation("sigmoid")));
        c.put("recurrent.SimpleRNN.2", rnn(() -> new SimpleRNN(4).returnSequences(true)));
        c.put("recurrent.SimpleRNN.3", rnn(() -> new SimpleRNN(4).goBackwards(true)));
        c.put("recurrent.SimpleRNN.4", rnn(() -> new SimpleRNN(4).returnSequences(true).goBackwards(true)));
        c.put("recurrent.SimpleRNN.5", stateful(() -> new SimpleRNN(4).stateful(true)));
        c.put("recurrent.SimpleRNN.6", stateful(() -> new SimpleRNN(4).returnSequences(true).stateful(true)));
        c.put("recurrent.SimpleRNN.7", stateful(() -> new SimpleRNN(4).goBackwards(true).stateful(true)));
        c.put("recurrent.SimpleRNN.8", stateful(() -> new SimpleRNN(4).useBias(false).returnSequences(true)
                .goBackwards(true).stateful(true)));
        c.put("wrappers.Bidirectional.0", rnn(() -> new Bidirectional(new SimpleRNN(4), "sum")));
        c.put("wrappers.Bidirectional.1", rnn(() -> new Bidirectional(new SimpleRNN(4), "mul")));
        c.put("wrappers.Bidirectional.2", rnn(() -> new Bidirectional(new SimpleRNN(4), "concat")));
        c.put("wrappers.Bidirectional.3", rnn(() -> new Bidirectional(new SimpleRNN(4), "ave")));
        c.put("wrappers.Bidirectional.4", rnn(() -> new Bidirectional(new SimpleRNN(4).returnSequences(true), "concat")));
        c.put("wrappers.Bidirectional.5", rnn(() -> new Bidirectional(gru(4, "tanh", "hard_sigmoid").returnSequences(true),
                "concat")));
        c.put("wrappers.Bidirectional.6", rnn(() -> new Bidirectional(lstm(4, "tanh", "hard_sigmoid").returnSequences(true),
                "concat")));
        c.put("wrappers.Bidirectional.7", rnn(() -> new Bidirectional(new SimpleRNN(4).returnSequences(true), "sum")));
        c.put("wrappers.TimeDistributed.0", rnn(() -> new TimeDistributed(new Dense(4))));
        // wrappers.TimeDistributed.1 wraps a Conv2D, which rnn4j does not have.
        c.put("embeddings.Embedding.0", rnn(() -> new Embedding(5, 3, false)));
        c.put("embeddings.Embedding.1", rnn(() -> new Embedding(20, 5, true)));
        c.put("embeddings.Embedding.2", rnn(() -> new Embedding(33, 2, false)));
        return c;
    }

    private static Case rnn(Supplier<Layer> s) { return new Case(s, false); }

    private static Case stateful(Supplier<Layer> s) { return new Case(s, true); }

    private static LSTM lstm(int units, String act, String ract) {
        return new LSTM(units).activation(act).recurrentActivation(ract);
    }

    private static GRU gru(int units, String act, String ract) {
        return new GRU(units).activation(act).recurrentActivation(ract).resetAfter(false);
    }

    /** Max abs error of every key of one file, for reports. */
    static Map<String, Double> maxErrors(String file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(new File(DIR + file + ".json"));
        Map<String, Case> cases = cases();
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            Case c = cases.get(key);
            if (c == null) continue;
            JsonNode k = root.get(key);
            Tensor x = withBatch(tensor(k.get("input")));
            Tensor want = tensor(k.get("expected"));
            Layer layer = c.layer().get();
            int[] sampleShape = tensor(k.get("input")).shape();
            if (c.stateful()) {
                layer.batchInputShape(1, sampleShape);
            } else {
                layer.inputShape(sampleShape);
            }
            layer.build(layer.declaredInputShape());
            List<Tensor> weights = new ArrayList<>();
            for (JsonNode w : k.get("weights")) weights.add(tensor(w));
            layer.setWeights(weights);
            Tensor got = layer.call(x, null, false).output();
            if (c.stateful()) got = layer.call(x, null, false).output(); // the second call, from the carried state
            assertArrayEquals(withBatch(want).shape(), got.shape(), key + ": output shape");
            double max = 0;
            for (int i = 0; i < got.size(); i++) max = Math.max(max, Math.abs(got.data()[i] - want.data()[i]));
            errors.put(key, max);
        }
        return errors;
    }

    @ParameterizedTest
    @ValueSource(strings = {"LSTM", "GRU", "SimpleRNN", "Bidirectional", "TimeDistributed", "Embedding"})
    void reproducesKerasOutputs(String file) throws IOException {
        Map<String, Double> errors = maxErrors(file);
        int expectedKeys = file.equals("TimeDistributed") ? 1 : file.equals("Embedding") ? 3
                : file.equals("Bidirectional") ? 8 : 9;
        assertEquals(expectedKeys, errors.size(), "keys checked in " + file + ": " + errors.keySet());
        for (Map.Entry<String, Double> e : errors.entrySet()) {
            assertTrue(e.getValue() <= TOLERANCE, e.getKey() + ": max abs error " + e.getValue() + " > " + TOLERANCE);
        }
        if (Boolean.getBoolean("rnn4j.report")) System.out.println(file + " " + errors);
    }

    private static Tensor tensor(JsonNode n) {
        JsonNode s = n.get("shape"), d = n.get("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).asInt();
        float[] data = new float[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = (float) d.get(i).asDouble();
        return Tensor.of(data, shape);
    }

    private static Tensor withBatch(Tensor t) {
        int[] s = t.shape(), b = new int[s.length + 1];
        b[0] = 1;
        System.arraycopy(s, 0, b, 1, s.length);
        return t.reshape(b);
    }
}
