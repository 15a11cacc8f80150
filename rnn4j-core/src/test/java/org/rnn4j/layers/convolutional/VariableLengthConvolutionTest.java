package org.rnn4j.layers.convolutional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.normalization.BatchNormalization;
import org.rnn4j.layers.pooling.GlobalAveragePooling1D;
import org.rnn4j.layers.pooling.MaxPooling1D;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Models;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

/** A convolutional Sequential with a variable number of steps: trains on several lengths, predicts any, saves. */
class VariableLengthConvolutionTest {
    @TempDir Path dir;

    @Test
    void trainsAndPredictsOnAnyLength() {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new Conv1D(4, 3).padding("causal").inputShape(Shapes.NONE, 2), new BatchNormalization(),
                new MaxPooling1D(2), new Conv1D(3, 2).padding("same"), new GlobalAveragePooling1D(), new Dense(1));
        m.compile("mse", "adam");
        for (int steps : new int[] {6, 9, 14}) {
            m.fit(GradientCheck.random(steps, 4, steps, 2), GradientCheck.random(steps + 1, 4, 1),
                    new FitOptions().epochs(1).batchSize(4).verbose(0));
        }
        Tensor longer = GradientCheck.random(1, 3, 21, 2), shortest = GradientCheck.random(2, 3, 2, 2);
        float[] a = m.predict(longer).data(), b = m.predict(shortest).data();
        Path p = dir.resolve("v.keras");
        m.save(p);
        var loaded = Models.load(p);
        assertArrayEquals(a, loaded.predict(longer).data());
        assertArrayEquals(b, loaded.predict(shortest).data());
    }
}
