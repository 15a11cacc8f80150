package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhdf.api.Dataset;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Embedding;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Masking;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.recurrent.SimpleRNN;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/** Every recurrent architecture through .keras and TensorFlow.js and back: bit-identical predictions. */
class RoundTripTest {
    @TempDir Path dir;

    private void roundTrips(String name, Supplier<Model> build, Tensor x) {
        Rnn4j.setRandomSeed(name.hashCode());
        Model m = build.get();
        float[] want = m.predict(x).data();
        Path keras = dir.resolve(name + ".keras");
        m.save(keras);
        assertArrayEquals(want, Models.load(keras).predict(x).data(), name + " via .keras");
        Path web = dir.resolve(name + "/model.json");
        Models.save(m, web);
        assertArrayEquals(want, Models.load(web).predict(x).data(), name + " via TF.js");
    }

    private static Tensor data(int n, int t, int f, boolean indices) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(n * 31L + t);
        float[] v = new float[n * t * f];
        for (int i = 0; i < v.length; i++) v[i] = indices ? r.nextInt(1, 9) : (float) r.nextGaussian();
        if (!indices) for (int i = 0; i < f; i++) v[(t - 1) * f + i] = 0f; // sample 0's last step is padding
        return f == 1 && indices ? Tensor.of(v, n, t) : Tensor.of(v, n, t, f);
    }

    @Test
    void sequentialRecurrentStacks() {
        roundTrips("gru_both_ways", () -> new Sequential(new GRU(4).resetAfter(false).returnSequences(true).inputShape(6, 3),
                new GRU(3).resetAfter(true).goBackwards(true), new Dense(2)), data(5, 6, 3, false));
        roundTrips("masked_bidirectional", () -> new Sequential(new Masking(0f).inputShape(6, 3),
                new Bidirectional(new LSTM(4).returnSequences(true), "concat"),
                new Bidirectional(new SimpleRNN(3), "sum"), new Dense(1)), data(5, 6, 3, false));
        roundTrips("embedding_mask_zero", () -> new Sequential(new Embedding(10, 4, true).inputShape(6),
                new LSTM(3).returnSequences(true), new TimeDistributed(new Dense(2))), data(5, 6, 1, true));
    }

    @Test
    void functionalWithInitialState() {
        roundTrips("encoder_decoder", () -> {
            Input in = new Input(6, 3);
            KerasTensor[] enc = new LSTM(4).returnState(true).applyAll(in);
            KerasTensor dec = new LSTM(4).returnSequences(true).apply(in, List.of(enc[1], enc[2]));
            return Model.of(in, new TimeDistributed(new Dense(2)).apply(dec));
        }, data(4, 6, 3, false));
    }

    @Test
    void bidirectionalGruIsStoredAsKeras3Does() throws Exception {
        Rnn4j.setRandomSeed(3);
        Sequential m = new Sequential(new Bidirectional(new GRU(2), "concat").inputShape(4, 3), new Dense(1));
        byte[] h5 = KerasArchive.weightsFile(m, false).toBytes();
        try (Hdf5File f = Hdf5File.open(h5, "w.h5")) {
            assertArrayEquals(new int[] {3, 6}, f.tensor((Dataset) f.node("layers/bidirectional/forward_layer/cell/vars/0")).shape());
            assertArrayEquals(new int[] {2, 6}, f.tensor((Dataset) f.node("layers/bidirectional/backward_layer/cell/vars/2")).shape());
            assertEquals(0, f.children(f.group("layers/bidirectional/vars")).size());
        }
    }
}
