package org.rnn4j.layers.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Pass;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/** BatchNormalization and LayerNormalization: Keras's numbers, moving statistics, counts, and finite differences. */
class NormalizationTest {
    // One channel, four rows: mean 2.5, biased variance 1.25.
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2, 1);

    @Test
    void batchNormTrainingUsesBatchStatisticsAndUpdatesMovingOnes() {
        BatchNormalization bn = new BatchNormalization().momentum(0.9);
        float[] y = bn.call(X, null, true).output().data();
        double inv = 1 / Math.sqrt(1.25 + 1e-3);
        assertEquals(-1.5 * inv, y[0], 1e-6);
        assertEquals(1.5 * inv, y[3], 1e-6);
        // moving = moving * 0.9 + batch * 0.1 from (0, 1)
        assertEquals(0.25f, bn.movingMean().value().data()[0], 1e-7f);
        assertEquals(0.9f + 0.125f, bn.movingVariance().value().data()[0], 1e-6f);
    }

    @Test
    void batchNormInferenceUsesMovingStatisticsAndChangesNothing() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[] {-1, 2, 1});
        bn.setWeights(List.of(Tensor.of(new float[] {2}, 1), Tensor.of(new float[] {0.5f}, 1), Tensor.of(new float[] {1}, 1),
                Tensor.of(new float[] {4}, 1)));
        float[] y = bn.call(X, null, false).output().data();
        assertEquals((3 - 1) / Math.sqrt(4 + 1e-3) * 2 + 0.5, y[2], 1e-6);
        assertEquals(1f, bn.movingMean().value().data()[0]);
        assertEquals(4f, bn.movingVariance().value().data()[0]);
    }

    @Test
    void batchNormMaskLeavesMaskedStepsOutOfTheMoments() {
        // Keras 3: with mask [1, 0] per sample the batch moments come from rows 1 and 3 only: mean 2, var 1.
        BatchNormalization bn = new BatchNormalization().momentum(0);
        Pass p = bn.call(X, Tensor.of(new float[] {1, 0, 1, 0}, 2, 2), true);
        assertEquals(2f, bn.movingMean().value().data()[0], 1e-7f);
        assertEquals(1f, bn.movingVariance().value().data()[0], 1e-6f);
        assertEquals(1 / Math.sqrt(1 + 1e-3), p.output().data()[2], 1e-6);
        assertSame(p.mask, p.mask(0));
    }

    @Test
    void summaryCountsMovingStatisticsAsNonTrainable() {
        // Keras: Conv1D(64, 3) + BatchNormalization() on 64 channels = 256 params, 128 of them non-trainable.
        Rnn4j.setRandomSeed(1);
        Sequential m = new Sequential(new Conv1D(64, 3).padding("same").inputShape(20, 1), new BatchNormalization(),
                new LayerNormalization().center(false), new Dense(2));
        String s = m.summary();
        assertEquals(true, s.contains("Total params: 706"), s);
        assertEquals(true, s.contains("Trainable params: 578"), s);
        assertEquals(true, s.contains("Non-trainable params: 128"), s);
        BatchNormalization bare = new BatchNormalization().center(false).scale(false);
        bare.build(new int[] {-1, 5});
        assertEquals(2, bare.weights().size());
        assertEquals(0, bare.trainableWeights().size());
    }

    @Test
    void layerNormNormalizesEachRow() {
        float[] y = new LayerNormalization().call(Tensor.of(new float[] {1, 3, 10, 10}, 2, 2), null, false).output().data();
        assertArrayEquals(new float[] {(float) (-1 / Math.sqrt(1 + 1e-3)), (float) (1 / Math.sqrt(1 + 1e-3)), 0, 0}, y, 1e-6f);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = GradientCheck.random(3, 3, 4, 3);
        Tensor mask = Tensor.of(new float[] {1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1}, 3, 4);
        Object[][] cases = {
            {new BatchNormalization(), true, null}, {new BatchNormalization(), false, null},
            {new BatchNormalization().center(false), true, null}, {new BatchNormalization().scale(false), true, null},
            {new BatchNormalization(), true, mask}, {new LayerNormalization(), false, null},
            {new LayerNormalization().center(false).epsilon(1e-5), false, null}, {new LayerNormalization().scale(false), true, mask},
        };
        for (Object[] c : cases) {
            org.rnn4j.layers.Layer layer = (org.rnn4j.layers.Layer) c[0];
            // Non-trivial gamma and beta, so their gradients and the input gradient through them are exercised.
            layer.build(new int[] {-1, 4, 3});
            for (org.rnn4j.layers.Weight w : layer.trainableWeights()) {
                float[] d = w.value().data();
                for (int i = 0; i < d.length; i++) d[i] = 0.5f + 0.3f * i;
            }
            LayerGradientCheck.assertGradients(layer, new Tensor[] {x}, (Tensor) c[2], (Boolean) c[1], null);
        }
    }
}
