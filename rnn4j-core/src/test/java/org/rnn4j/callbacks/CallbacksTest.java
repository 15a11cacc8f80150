package org.rnn4j.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.models.TrainingDivergedException;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;
import org.rnn4j.testing.GradientCheck;

class CallbacksTest {
    /** Overwrites a logged quantity with a scripted value per epoch: a crafted loss curve on a real model. */
    static final class Scripted implements Callback {
        final String key;
        final double[] curve;

        Scripted(String key, double... curve) {
            this.key = key;
            this.curve = curve;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) { logs.put(key, curve[epoch]); }
    }

    /** Records a copy of the first weight at each epoch end. */
    static final class WeightRecorder implements Callback {
        final List<float[]> kernels = new ArrayList<>();
        org.rnn4j.models.Model model;

        @Override public void setModel(org.rnn4j.models.Model m) { model = m; }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) { kernels.add(model.weights().get(0).value().data().clone()); }
    }

    static Sequential tinyModel() {
        Rnn4j.setRandomSeed(7);
        Sequential m = new Sequential();
        m.add(new Dense(1).inputShape(2));
        m.compile(new org.rnn4j.losses.MeanSquaredError(), new SGD(0.05));
        return m;
    }

    static final Tensor X = GradientCheck.random(1, 16, 2);
    static final Tensor Y = GradientCheck.random(2, 16, 1);

    @Test
    void earlyStoppingStopsWhenPatienceRunsOutAndRestoresTheBestEpoch() {
        Sequential m = tinyModel();
        WeightRecorder rec = new WeightRecorder();
        EarlyStopping es = new EarlyStopping().monitor("val_loss").patience(2).restoreBestWeights(true);
        // Best at epoch 2; epochs 3 and 4 do not improve: wait reaches 2 at epoch 4, which stops training.
        var h = m.fit(X, Y, new FitOptions().epochs(20).batchSize(4).verbose(0).shuffle(false).validationSplit(0.25)
                .callbacks(new Scripted("val_loss", 1.0, 0.8, 0.5, 0.6, 0.7, 0.4, 0.3), rec, es));
        assertEquals(5, h.get("loss").size(), "epochs run");
        assertEquals(4, es.stoppedEpoch());
        assertEquals(2, es.bestEpoch());
        assertEquals(List.of(1.0, 0.8, 0.5, 0.6, 0.7), h.get("val_loss"));
        assertArrayEquals(rec.kernels.get(2), m.weights().get(0).value().data(), "weights of the best epoch are restored");
        assertFalse(java.util.Arrays.equals(rec.kernels.get(2), rec.kernels.get(4)), "training moved the weights after epoch 2");
    }

    @Test
    void earlyStoppingMinDeltaBaselineAndWarmup() {
        // min_delta 0.1: 0.95 and 0.9 are not improvements over 1.0 (need < 0.9); patience 2 stops at epoch 2.
        EarlyStopping es = new EarlyStopping().monitor("loss").minDelta(0.1).patience(2);
        var h = tinyModel().fit(X, Y, new FitOptions().epochs(10).verbose(0).callbacks(new Scripted("loss", 1.0, 0.95, 0.9, 0.5), es));
        assertEquals(3, h.get("loss").size());
        // A baseline never beaten: improvements over the best do not reset the wait, so the first non-improvement
        // (epoch 2) already has waited 3 epochs. Without the baseline the wait restarts at each improvement.
        EarlyStopping base = new EarlyStopping().monitor("loss").patience(3).baseline(0.1);
        h = tinyModel().fit(X, Y, new FitOptions().epochs(10).verbose(0).callbacks(new Scripted("loss", 1.0, 0.9, 0.95, 0.95, 0.95, 0.95), base));
        assertEquals(3, h.get("loss").size());
        EarlyStopping noBase = new EarlyStopping().monitor("loss").patience(3);
        h = tinyModel().fit(X, Y, new FitOptions().epochs(10).verbose(0).callbacks(new Scripted("loss", 1.0, 0.9, 0.95, 0.95, 0.95, 0.95), noBase));
        assertEquals(5, h.get("loss").size());
        // start_from_epoch 3: the rising loss of epochs 0-2 is ignored; patience 0 stops at the first non-improvement.
        EarlyStopping warm = new EarlyStopping().monitor("loss").startFromEpoch(3);
        h = tinyModel().fit(X, Y, new FitOptions().epochs(10).verbose(0).callbacks(new Scripted("loss", 1, 2, 3, 0.5, 0.4, 0.6, 0.1), warm));
        assertEquals(6, h.get("loss").size());
        // Mode max on accuracy-like values.
        EarlyStopping max = new EarlyStopping().monitor("score").mode("max").patience(1);
        h = tinyModel().fit(X, Y, new FitOptions().epochs(10).verbose(0).callbacks(new Scripted("score", 0.1, 0.5, 0.4, 0.9), max));
        assertEquals(3, h.get("loss").size());
    }

    @Test
    void autoModeNeedsAKnownDirection() {
        Sequential m = tinyModel();
        m.compile("mse", "sgd", "mae", "accuracy");
        EarlyStopping ok = new EarlyStopping().monitor("val_accuracy").patience(0);
        m.fit(X, Y, new FitOptions().epochs(3).verbose(0).validationSplit(0.25).callbacks(new Scripted("val_accuracy", 0.5, 0.6, 0.55), ok));
        assertEquals(2, ok.stoppedEpoch(), "accuracy is maximised");
        EarlyStopping bad = new EarlyStopping().monitor("my_score");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(X, Y, new FitOptions().epochs(1).verbose(0).callbacks(new Scripted("my_score", 1), bad)));
        assertTrue(e.getMessage().contains("monitor=my_score"), e.getMessage());
    }

    @Test
    void reduceLrOnPlateauLowersTheRateAfterPatienceAndCoolsDown() {
        Sequential m = tinyModel();
        ReduceLROnPlateau r = new ReduceLROnPlateau().monitor("loss").factor(0.5).patience(2).cooldown(1).minLr(0.01);
        // Keras's counters: epoch 0 sets the best; 1 waits 1; 2 waits 2 and halves the rate (logged before the cut);
        // 3 spends the cooldown then, no longer cooling down, already waits 1; 4 cuts again; 6 cuts to min_lr; 8 would
        // cut but the rate is not above min_lr (compared in float32).
        var h = m.fit(X, Y, new FitOptions().epochs(10).verbose(0)
                .callbacks(new Scripted("loss", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), r));
        List<Double> lr = h.get("learning_rate");
        double[] expected = {0.05, 0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125, 0.01, 0.01, 0.01};
        for (int e = 0; e < expected.length; e++) assertEquals((float) expected[e], lr.get(e), 0.0, "learning_rate logged at epoch " + e);
        assertEquals(0.01, m.optimizer().learningRate(), 1e-12);
        // An improvement by more than min_delta resets the wait.
        Sequential m2 = tinyModel();
        var h2 = m2.fit(X, Y, new FitOptions().epochs(4).verbose(0).callbacks(
                new Scripted("loss", 1, 0.99, 0.98, 0.97), new ReduceLROnPlateau().monitor("loss").patience(1).minDelta(0.001)));
        assertEquals(0.05f, h2.get("learning_rate").get(3), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1.0));
    }

    @Test
    void learningRateSchedulerSetsTheRateEachEpoch() {
        Sequential m = tinyModel();
        var h = m.fit(X, Y, new FitOptions().epochs(4).verbose(0)
                .callbacks(new LearningRateScheduler((epoch, lr) -> epoch < 2 ? lr : lr * 0.1)));
        assertEquals(List.of((double) 0.05f, (double) 0.05f, (double) (float) (0.05f * 0.1), (double) (float) ((float) (0.05f * 0.1) * 0.1)),
                h.get("learning_rate"));
    }

    @Test
    void csvLoggerWritesAParsableFileAsPythonsCsvModule(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("log.csv");
        Sequential m = tinyModel();
        m.compile("mse", "sgd", "mae");
        var h = m.fit(X, Y, new FitOptions().epochs(3).verbose(0).callbacks(new CSVLogger(f.toString())));
        String text = Files.readString(f);
        assertTrue(text.endsWith("\r\n"), "excel dialect line ends");
        String[] lines = text.split("\r\n");
        assertEquals(4, lines.length);
        // No validation data: Keras adds val_ columns, filled with NA.
        assertEquals("epoch,loss,mae,val_loss,val_mae", lines[0]);
        for (int e = 0; e < 3; e++) {
            String[] cells = lines[e + 1].split(",");
            assertEquals(Integer.toString(e), cells[0]);
            assertEquals(h.get("loss").get(e), Double.parseDouble(cells[1]), 0.0);
            assertEquals(h.get("mae").get(e), Double.parseDouble(cells[2]), 0.0);
            assertEquals("NA", cells[3]);
            assertEquals("NA", cells[4]);
        }
        // Append continues without a second header; another separator is honoured.
        m.fit(X, Y, new FitOptions().epochs(1).verbose(0).callbacks(new CSVLogger(f, ",", true)));
        assertEquals(5, Files.readString(f).split("\r\n").length);
        Path g = dir.resolve("semi.csv");
        m.fit(X, Y, new FitOptions().epochs(1).verbose(0).validationSplit(0.25).callbacks(new CSVLogger(g, ";", false)));
        assertEquals("epoch;loss;mae;val_loss;val_mae", Files.readString(g).split("\r\n")[0]);
    }

    @Test
    void terminateOnNaNStopsAfterTheBatchInsteadOfThrowing() {
        Sequential m = tinyModel();
        Tensor bad = Y.copy();
        bad.data()[5] = Float.NaN; // batch 1 of 4 (batch size 4, no shuffle)
        assertThrows(TrainingDivergedException.class,
                () -> tinyModel().fit(X, bad, new FitOptions().epochs(1).batchSize(4).verbose(0).shuffle(false)));
        TerminateOnNaN t = new TerminateOnNaN();
        List<Integer> batchesEnded = new ArrayList<>();
        boolean[] trainEnded = {false};
        Callback spy = new Callback() {
            @Override public void onTrainBatchEnd(int batch, Map<String, Double> logs) { batchesEnded.add(batch); }

            @Override public void onTrainEnd(Map<String, Double> logs) { trainEnded[0] = true; }
        };
        // The callback's message goes to the stream the caller chose for the fit, not to System.out.
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        var h = m.fit(X, bad, new FitOptions().epochs(3).batchSize(4).verbose(0).shuffle(false).callbacks(t, spy)
                .output(new PrintStream(captured, true, StandardCharsets.UTF_8)));
        assertEquals(1, h.get("loss").size(), "the epoch ends and training stops");
        assertTrue(t.terminated());
        assertEquals(List.of(0, 1), batchesEnded);
        assertTrue(trainEnded[0]);
        assertEquals("Batch 1: Invalid loss, terminating training", captured.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void fitEvaluateAndPredictWriteProgressToTheCallersStreamOnly() {
        Sequential m = tinyModel();
        ByteArrayOutputStream mine = new ByteArrayOutputStream();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            PrintStream out = new PrintStream(mine, true, StandardCharsets.UTF_8);
            m.fit(X, Y, new FitOptions().epochs(2).batchSize(4).verbose(2).output(out)
                    .callbacks(new EarlyStopping().monitor("loss").patience(0).verbose(1)));
            m.evaluate(new Tensor[] {X}, new Tensor[] {Y}, null, 8, 2, out);
            m.predict(new Tensor[] {X}, 8, 2, out);
            m.printSummary(out);
        } finally {
            System.setOut(saved);
        }
        String text = mine.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Epoch 2/2"), text);            // fit's per-epoch lines
        assertTrue(text.contains("2/2 - "), text);                // evaluate's and predict's (2 batches of 8)
        assertTrue(text.contains("Total params: 3"), text);       // the summary
        assertEquals("", stdout.toString(StandardCharsets.UTF_8), "nothing goes to System.out");
    }

    @Test
    void modelCheckpointSavesPerEpochOrOnlyTheBest(@TempDir Path dir) {
        Sequential m = tinyModel();
        String pattern = dir.resolve("w-{epoch:02d}-{val_loss:.2f}.weights.h5").toString();
        m.fit(X, Y, new FitOptions().epochs(3).verbose(0).validationSplit(0.25).callbacks(
                new Scripted("val_loss", 0.5, 0.25, 0.75), new ModelCheckpoint(pattern).saveWeightsOnly(true)));
        assertTrue(Files.exists(dir.resolve("w-01-0.50.weights.h5")));
        assertTrue(Files.exists(dir.resolve("w-02-0.25.weights.h5")));
        assertTrue(Files.exists(dir.resolve("w-03-0.75.weights.h5")));

        Path best = dir.resolve("best.weights.h5");
        WeightRecorder rec = new WeightRecorder();
        ModelCheckpoint ck = new ModelCheckpoint(best.toString()).saveWeightsOnly(true).saveBestOnly(true);
        Sequential m2 = tinyModel();
        m2.fit(X, Y, new FitOptions().epochs(4).verbose(0).validationSplit(0.25)
                .callbacks(new Scripted("val_loss", 0.5, 0.25, 0.75, 0.3), rec, ck));
        assertEquals(0.25, ck.best());
        Sequential fresh = tinyModel();
        fresh.loadWeights(best);
        assertArrayEquals(rec.kernels.get(1), fresh.weights().get(0).value().data(), "the best epoch's weights were saved");
        assertNotEquals(rec.kernels.get(1)[0], rec.kernels.get(3)[0]);

        // The whole model, as a .keras archive, at every epoch.
        Sequential m3 = tinyModel();
        WeightRecorder rec3 = new WeightRecorder();
        m3.fit(X, Y, new FitOptions().epochs(2).verbose(0).callbacks(rec3,
                new ModelCheckpoint(dir.resolve("m-{epoch}.keras").toString()).monitor("loss")));
        Sequential again = tinyModel();
        again.loadWeights(dir.resolve("m-1.keras"));
        assertArrayEquals(rec3.kernels.get(0), again.weights().get(0).value().data());
        assertTrue(Files.exists(dir.resolve("m-2.keras")));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tinyModel().fit(X, Y,
                new FitOptions().epochs(1).verbose(0).callbacks(new ModelCheckpoint(dir.resolve("x.h5").toString()).saveWeightsOnly(true))));
        assertTrue(e.getMessage().contains("must end in `.weights.h5`"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tinyModel().fit(X, Y, new FitOptions().epochs(1).verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("{nope}.weights.h5").toString()).saveWeightsOnly(true))));
        assertTrue(e.getMessage().startsWith("Failed to format this callback filepath"), e.getMessage());
    }

    @Test
    void hooksRunInKerasOrder() {
        List<String> calls = new ArrayList<>();
        Callback spy = new Callback() {
            @Override public void setParams(Map<String, Object> p) { calls.add("params " + p); }
            @Override public void onTrainBegin(Map<String, Double> l) { calls.add("train_begin"); }
            @Override public void onTrainEnd(Map<String, Double> l) { calls.add("train_end " + l.keySet()); }
            @Override public void onEpochBegin(int e, Map<String, Double> l) { calls.add("epoch_begin " + e); }
            @Override public void onEpochEnd(int e, Map<String, Double> l) { calls.add("epoch_end " + e + " " + l.keySet()); }
            @Override public void onBatchBegin(int b, Map<String, Double> l) { calls.add("batch_begin " + b); }
            @Override public void onBatchEnd(int b, Map<String, Double> l) { calls.add("batch_end " + b + " " + l.keySet()); }
            @Override public void onTestBegin(Map<String, Double> l) { calls.add("test_begin"); }
            @Override public void onTestEnd(Map<String, Double> l) { calls.add("test_end " + l.keySet()); }
            @Override public void onTestBatchBegin(int b, Map<String, Double> l) { calls.add("test_batch_begin " + b); }
            @Override public void onTestBatchEnd(int b, Map<String, Double> l) { calls.add("test_batch_end " + b); }
            @Override public void onPredictBegin(Map<String, Double> l) { calls.add("predict_begin"); }
            @Override public void onPredictEnd(Map<String, Double> l) { calls.add("predict_end"); }
            @Override public void onPredictBatchBegin(int b, Map<String, Double> l) { calls.add("predict_batch_begin " + b); }
            @Override public void onPredictBatchEnd(int b, Map<String, Double> l) { calls.add("predict_batch_end " + b); }
        };
        Sequential m = tinyModel();
        m.compile("mse", "sgd", "mae");
        m.fit(X.slice(0, 6), Y.slice(0, 6), new FitOptions().epochs(1).batchSize(4).verbose(0)
                .validationData(X.slice(6, 9), Y.slice(6, 9)).callbacks(spy));
        assertEquals(List.of("params {verbose=0, epochs=1, steps=2}", "train_begin", "epoch_begin 0",
                "batch_begin 0", "batch_end 0 [loss, mae]", "batch_begin 1", "batch_end 1 [loss, mae]",
                "test_begin", "test_batch_begin 0", "test_batch_end 0", "test_end [loss, mae]",
                "epoch_end 0 [loss, mae, val_loss, val_mae]", "train_end [loss, mae, val_loss, val_mae]"), calls);
        calls.clear();
        m.evaluate(new Tensor[] {X}, new Tensor[] {Y}, null, 10, 0, spy);
        assertEquals(List.of("test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1",
                "test_end [loss, mae]"), calls);
        calls.clear();
        m.predict(new Tensor[] {X}, 10, 0, spy);
        assertEquals(List.of("predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1",
                "predict_batch_end 1", "predict_end"), calls);
    }

    @Test
    void pythonFormattingMatchesPython() {
        assertEquals("0.1", PythonFormat.repr(0.1));
        assertEquals("1e-05", PythonFormat.repr(1e-5));
        assertEquals("0.0001", PythonFormat.repr(1e-4));
        assertEquals("1.5e+16", PythonFormat.repr(1.5e16));
        assertEquals("2.0", PythonFormat.repr(2));
        assertEquals("0.10000000149011612", PythonFormat.repr((double) 0.1f));
        assertEquals("nan", PythonFormat.repr(Double.NaN));
        Map<String, Object> v = Map.of("epoch", 3, "val_loss", 0.123456, "acc", 0.5);
        assertEquals("03-0.12.keras", PythonFormat.format("{epoch:02d}-{val_loss:.2f}.keras", v));
        assertEquals("3 0.123456 5.000000e-01 50.0% {x}", PythonFormat.format("{epoch} {val_loss} {acc:e} {acc:.1%} {{x}}", v));
        assertEquals("  3|0.123|0.5", PythonFormat.format("{epoch:3d}|{val_loss:.3g}|{acc:g}", v));
        assertThrows(IllegalArgumentException.class, () -> PythonFormat.format("{val_loss:d}", v));
    }
}
