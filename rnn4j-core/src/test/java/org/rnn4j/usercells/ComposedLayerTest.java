package org.rnn4j.usercells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.LayerRegistry;
import org.rnn4j.layers.Weight;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/** A custom layer from primitives: whole-model gradients against finite differences, per timestep, save and load. */
class ComposedLayerTest {
    @TempDir Path dir;

    private static Sequential model() {
        Rnn4j.setRandomSeed(21);
        Sequential m = new Sequential();
        m.add(new LSTM(3).returnSequences(true).inputShape(4, 2));
        m.add(new ScaledTanh(2)); // per timestep on [batch, 4, 3]
        m.compile(org.rnn4j.losses.Loss.get("mse"), new SGD(0.1));
        return m;
    }

    private static Tensor[] data() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        float[] x = new float[3 * 4 * 2], y = new float[3 * 4 * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian() * 0.5f;
        return new Tensor[] {Tensor.of(x, 3, 4, 2), Tensor.of(y, 3, 4, 2)};
    }

    @Test
    void gradientsOfTheUserLayersWeightsMatchFiniteDifferences() {
        Sequential m = model();
        Tensor[] d = data();
        m.computeGradients(new Tensor[] {d[0]}, new Tensor[] {d[1]}, true);
        List<Weight> ws = m.trainableWeights();
        for (Weight w : ws.subList(ws.size() - 3, ws.size())) { // kernel, bias, gate of ScaledTanh
            float[] v = w.value().data(), g = w.grad().data().clone();
            for (int i = 0; i < v.length; i++) {
                float saved = v[i];
                double h = 1e-2;
                v[i] = (float) (saved + h);
                w.markChanged();
                double up = m.evaluate(new Tensor[] {d[0]}, new Tensor[] {d[1]}, 3, 0).get("loss");
                v[i] = (float) (saved - h);
                w.markChanged();
                double down = m.evaluate(new Tensor[] {d[0]}, new Tensor[] {d[1]}, 3, 0).get("loss");
                v[i] = saved;
                w.markChanged();
                assertEquals((up - down) / (2 * h), g[i], 2e-3, w.path() + "[" + i + "]");
            }
        }
        // The LSTM below also received gradients through the user layer's input gradient.
        float s = 0;
        for (float v : ws.get(0).grad().data()) s += Math.abs(v);
        assertEquals(true, s > 0, "LSTM kernel gradient is zero");
    }

    @Test
    void savedAndLoadedThroughItsRegisteredFactory() {
        Sequential m = model();
        Path f = dir.resolve("user_layer.keras");
        m.save(f);
        LayerRegistry.register("ScaledTanh", c -> new ScaledTanh(c.getInt("units", -1)));
        Model back = Models.load(f);
        Tensor x = data()[0];
        assertArrayEquals(m.predict(x).data(), back.predict(x).data());
        assertEquals("ScaledTanh", back.layers().get(1).className());
    }
}
