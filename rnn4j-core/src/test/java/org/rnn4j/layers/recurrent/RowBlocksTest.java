package org.rnn4j.layers.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.Rnn4j;
import org.rnn4j.kernels.Parallel;
import org.rnn4j.kernels.RowBlocks;
import org.rnn4j.layers.Pass;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;
import org.rnn4j.testing.LayerGradientCheck;

/**
 * Large enough batches run the time loop as row blocks, one per thread (up to the thread count), in arrays laid out
 * block by block: every row must come out as if its sequence ran alone, forward and backward, whatever the number of
 * blocks and the split points, with masks, recurrent dropout, initial and returned states and the packed recurrent
 * kernel, for every cell. The thresholds are lowered here so that small layers are cut into blocks of two rows or
 * more; {@link #aTinyLayerStaysOnOneThread} checks the real ones.
 */
class RowBlocksTest {
    @BeforeEach
    void cutSmallBatches() {
        RowBlocks.setThresholds(2, 0);
    }

    @AfterEach
    void restore() {
        RowBlocks.resetThresholds();
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aTinyLayerStaysOnOneThread() {
        RowBlocks.resetThresholds();
        Parallel.setThreads(8);
        // A block gets at least one register tile of rows (KernelPlan: 8 with the Vector API, 4 in plain Java).
        int tile = RowBlocks.defaultMinRows();
        assertEquals(1, RowBlocks.count(64, 10, 1, 4, 16), "LSTM(4) on one feature, batch 64");
        assertEquals(1, RowBlocks.count(2 * tile - 1, 50, 8, 64, 256), "fewer than two blocks of " + tile + " rows");
        assertEquals(2, RowBlocks.count(2 * tile, 50, 8, 64, 256), "two blocks of " + tile + " rows");
        assertEquals(32 / tile, RowBlocks.count(32, 50, 8, 64, 256), "the small workload: B32 T50 I8 LSTM(64)");
        assertEquals(8, RowBlocks.count(128, 50, 8, 64, 256));
        Parallel.setThreads(3);
        assertEquals(3, RowBlocks.count(128, 50, 8, 64, 256));
        Parallel.setThreads(1);
        assertEquals(1, RowBlocks.count(128, 50, 8, 64, 256));
    }

    @ParameterizedTest(name = "{0}, batch {1}, {2} threads")
    @CsvSource({"lstm, 16, 2", "lstm, 17, 3", "lstm, 33, 8", "lstm, 64, 4", "gru, 17, 4", "gru, 33, 3",
            "gru_reset_before, 16, 8", "simple_rnn, 33, 3", "simple_rnn, 17, 8"})
    void eachRowEqualsItsSequenceRunAlone(String cell, int batch, int threads) {
        Parallel.setThreads(threads);
        int steps = 5, dim = 3, units = 17;
        Rnn4j.setRandomSeed(11);
        RNN<?> whole = RecurrentGradientTest.make(cell, units).returnSequences(true);
        Tensor x = GradientCheck.random(4, batch, steps, dim);
        float[] m = new float[batch * steps];
        Arrays.fill(m, 1f);
        for (int b = 0; b < batch; b += 3) m[b * steps + steps - 1] = 0; // post-padded rows
        Tensor mask = Tensor.of(m, batch, steps);
        Tensor out = whole.call(new Tensor[] {x}, mask, false).output();
        for (int b = 0; b < batch; b++) {
            RNN<?> alone = whole.copyConfig("alone");
            alone.build(java.util.List.of(new int[] {1, steps, dim}));
            alone.setWeights(whole.getWeights());
            Tensor xb = Tensor.of(Arrays.copyOfRange(x.data(), b * steps * dim, (b + 1) * steps * dim), 1, steps, dim);
            Tensor mb = Tensor.of(Arrays.copyOfRange(m, b * steps, (b + 1) * steps), 1, steps);
            float[] expected = alone.call(new Tensor[] {xb}, mb, false).output().data();
            float[] actual = Arrays.copyOfRange(out.data(), b * steps * units, (b + 1) * steps * units);
            assertArrayEquals(expected, actual, 1e-5f, "row " + b + " of " + batch);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"lstm, masked", "lstm, recurrent_dropout", "lstm, activations", "lstm, initial_and_returned_states",
            "gru, masked", "gru, recurrent_dropout", "gru, initial_and_returned_states",
            "gru_reset_before, masked", "gru_reset_before, recurrent_dropout", "gru_reset_before, activations",
            "simple_rnn, masked", "simple_rnn, recurrent_dropout", "simple_rnn, initial_and_returned_states",
            "lstm, no_bias", "gru, no_bias"})
    void gradientsOfASplitBatchMatchFiniteDifferences(String cell, String option) {
        Parallel.setThreads(3); // blocks of 6, 6 and 7 rows
        int batch = 19, steps = 3, dim = 2, units = 3;
        Rnn4j.setRandomSeed(3);
        RNN<?> layer = RecurrentGradientTest.make(cell, units).returnSequences(true);
        Tensor mask = null;
        boolean training = false;
        Tensor x = GradientCheck.random(1, batch, steps, dim);
        Tensor[] inputs = {x};
        Runnable before = null;
        switch (option) {
            case "masked": {
                float[] m = new float[batch * steps];
                Arrays.fill(m, 1f);
                m[2] = 0;                 // row 0, last step
                m[10 * steps] = 0;        // row 10 (second block), first step
                m[18 * steps + 1] = 0;    // row 18 (third block), middle step
                mask = Tensor.of(m, batch, steps);
                break;
            }
            case "recurrent_dropout":
                layer.recurrentDropout(0.4);
                training = true;
                before = LayerGradientCheck.reseed(5);
                break;
            case "initial_and_returned_states":
                // The states go in and come out row by row of each block; reversed in time for good measure.
                layer.returnState(true).goBackwards(true);
                inputs = new Tensor[1 + layer.cell().stateCount()];
                inputs[0] = x;
                for (int s = 1; s < inputs.length; s++) inputs[s] = GradientCheck.random(7 + s, batch, units);
                break;
            case "no_bias":
                if (layer instanceof LSTM) ((LSTM) layer).useBias(false);
                if (layer instanceof GRU) ((GRU) layer).useBias(false);
                break;
            default:
                if (layer instanceof LSTM) ((LSTM) layer).activation("elu").recurrentActivation("hard_sigmoid");
                if (layer instanceof GRU) ((GRU) layer).activation("elu").recurrentActivation("hard_sigmoid");
        }
        LayerGradientCheck.assertGradients(layer, inputs, mask, training, before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru", "gru_reset_before", "simple_rnn"})
    void aSecondBackwardAddsToTheGradients(String cell) {
        // The first block adds into the weight gradients, the others into scratch that is added after.
        Parallel.setThreads(8); // eight blocks of three rows
        Rnn4j.setRandomSeed(4);
        RNN<?> layer = RecurrentGradientTest.make(cell, 5);
        Tensor x = GradientCheck.random(2, 24, 3, 2), g = GradientCheck.random(3, 24, 5);
        layer.weights().forEach(w -> w.zeroGrad());
        layer.call(new Tensor[] {x}, null, true).backward(new Tensor[] {g});
        float[][] once = layer.weights().stream().map(w -> w.grad().data().clone()).toArray(float[][]::new);
        layer.call(new Tensor[] {x}, null, true).backward(new Tensor[] {g});
        for (int w = 0; w < once.length; w++) {
            float[] twice = once[w].clone();
            for (int i = 0; i < twice.length; i++) twice[i] *= 2;
            assertArrayEquals(twice, layer.weights().get(w).grad().data(), 1e-5f, layer.weights().get(w).path());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru"})
    void aStatefulSplitBatchCarriesEachRowsStates(String cell) {
        Parallel.setThreads(4);
        // Two calls of 3 steps on a stateful layer equal the last 3 of one call of the 6 steps.
        int batch = 16, dim = 2, units = 4;
        Rnn4j.setRandomSeed(8);
        RNN<?> stateful = RecurrentGradientTest.make(cell, units).stateful(true).returnSequences(true);
        stateful.build(java.util.List.of(new int[] {batch, 3, dim}));
        RNN<?> whole = stateful.copyConfig("whole").stateful(false);
        whole.build(java.util.List.of(new int[] {batch, 6, dim}));
        whole.setWeights(stateful.getWeights());
        Tensor x = GradientCheck.random(5, batch, 6, dim);
        float[] first = new float[batch * 3 * dim], second = new float[batch * 3 * dim];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), b * 6 * dim, first, b * 3 * dim, 3 * dim);
            System.arraycopy(x.data(), (b * 6 + 3) * dim, second, b * 3 * dim, 3 * dim);
        }
        stateful.call(new Tensor[] {Tensor.of(first, batch, 3, dim)}, null, false);
        float[] carried = stateful.call(new Tensor[] {Tensor.of(second, batch, 3, dim)}, null, false).output().data();
        float[] all = whole.call(new Tensor[] {x}, null, false).output().data();
        for (int b = 0; b < batch; b++) {
            assertArrayEquals(Arrays.copyOfRange(all, (b * 6 + 3) * units, (b + 1) * 6 * units),
                    Arrays.copyOfRange(carried, b * 3 * units, (b + 1) * 3 * units), 1e-5f, "row " + b);
        }
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @CsvSource({"lstm, 1", "lstm, 2", "lstm, 3", "lstm, 8", "gru, 3", "gru, 8", "gru_reset_before, 3",
            "gru_reset_before, 8", "simple_rnn, 3", "simple_rnn, 8"})
    void weightGradientsOfABatchAreTheSumOverItsRows(String cell, int threads) {
        Parallel.setThreads(threads);
        int batch = 20, steps = 4, dim = 2, units = 8;
        Rnn4j.setRandomSeed(21);
        RNN<?> whole = RecurrentGradientTest.make(cell, units);
        Tensor x = GradientCheck.random(6, batch, steps, dim);
        Tensor g = GradientCheck.random(7, batch, units);
        Pass p = whole.call(new Tensor[] {x}, null, true);
        whole.weights().forEach(w -> w.zeroGrad());
        p.backward(new Tensor[] {g});
        float[][] sum = new float[3][];
        for (int w = 0; w < 3; w++) sum[w] = new float[whole.weights().get(w).grad().size()];
        RNN<?> alone = whole.copyConfig("alone");
        alone.build(java.util.List.of(new int[] {1, steps, dim}));
        alone.setWeights(whole.getWeights());
        for (int b = 0; b < batch; b++) {
            Tensor xb = Tensor.of(Arrays.copyOfRange(x.data(), b * steps * dim, (b + 1) * steps * dim), 1, steps, dim);
            Tensor gb = Tensor.of(Arrays.copyOfRange(g.data(), b * units, (b + 1) * units), 1, units);
            alone.weights().forEach(w -> w.zeroGrad());
            alone.call(new Tensor[] {xb}, null, true).backward(new Tensor[] {gb});
            for (int w = 0; w < 3; w++) {
                float[] d = alone.weights().get(w).grad().data();
                for (int i = 0; i < d.length; i++) sum[w][i] += d[i];
            }
        }
        for (int w = 0; w < 3; w++) {
            assertArrayEquals(sum[w], whole.weights().get(w).grad().data(), 1e-4f, whole.weights().get(w).path());
        }
    }
}
