package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * RTNeural's tf.keras models (testdata/keras-real/rtneural): their weights JSON is not a Keras format, so the
 * models are built in code as the generating scripts built them, the weights set from the JSON in Keras order,
 * and the 100-step output compared with Keras's {@code predict()} within 1e-5 absolute + 1e-5 relative.
 */
class RtneuralTest {
    static final Path DIR = KerasRealTest.REAL.resolve("rtneural");

    @Test
    void lstmReproducesKeras100StepOutput() throws Exception {
        Sequential model = new Sequential();
        model.add(new TimeDistributed(new Dense(8, "tanh")).inputShape(100, 1));
        model.add(new LSTM(8).returnSequences(true).recurrentActivation("sigmoid").unitForgetBias(false));
        model.add(new Dense(1));
        model.setWeights(weights("lstm.json"));
        float[] x = column("lstm_x_python.csv"), want = column("lstm_y_python.csv");
        float[] got = model.predict(Tensor.of(x, 1, 100, 1)).data();
        assertEquals(100, got.length);
        KerasRealTest.assertClose(want, got, "rtneural lstm");
    }

    @Test
    void gruWithResetAfterReproducesKeras100StepOutput() throws Exception {
        Sequential model = new Sequential();
        model.add(new TimeDistributed(new Dense(8, "tanh")).inputShape(100, 1));
        model.add(new GRU(8).resetAfter(true).recurrentActivation("sigmoid").returnSequences(true));
        model.add(new Dense(8, "sigmoid"));
        model.add(new Dense(1));
        model.setWeights(weights("gru.json"));
        float[] x = column("gru_x_python.csv"), want = column("gru_y_python.csv");
        float[] got = model.predict(Tensor.of(x, 1, 100, 1)).data();
        assertEquals(100, got.length);
        KerasRealTest.assertClose(want, got, "rtneural gru");
    }

    /** Every layer's weights, in order, as nested JSON lists. */
    static List<Tensor> weights(String file) throws Exception {
        JsonNode root = ModelConfig.mapper().readTree(DIR.resolve(file).toFile());
        List<Tensor> out = new ArrayList<>();
        for (JsonNode layer : root.get("layers")) for (JsonNode w : layer.get("weights")) out.add(nested(w));
        return out;
    }

    static Tensor nested(JsonNode n) {
        List<Integer> shape = new ArrayList<>();
        for (JsonNode c = n; c.isArray(); c = c.get(0)) shape.add(c.size());
        List<Float> values = new ArrayList<>();
        flatten(n, values);
        float[] d = new float[values.size()];
        for (int i = 0; i < d.length; i++) d[i] = values.get(i);
        return Tensor.of(d, shape.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) for (JsonNode c : n) flatten(c, out);
        else out.add((float) n.asDouble());
    }

    static float[] column(String file) throws Exception {
        List<String> lines = Files.readAllLines(DIR.resolve(file));
        float[] v = new float[lines.size()];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(lines.get(i).trim());
        return v;
    }
}
