package org.rnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.losses.Loss;
import org.rnn4j.optimizers.SGD;
import org.rnn4j.tensor.Tensor;

/** Bad input gets a one-line message that says what to change. */
class ModelErrorsTest {
    private static Sequential model() {
        return new Sequential(new LSTM(2).inputShape(3, 1), new Dense(1));
    }

    @Test
    void fitBeforeCompileSaysToCallCompile() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model().fit(Tensor.zeros(4, 3, 1), Tensor.zeros(4, 1), 1, 2));
        assertEquals("You must call compile() before fit(): e.g. model.compile(\"mse\", \"adam\")", e.getMessage());
    }

    @Test
    void differentSampleCountsAreNamed() {
        Sequential m = model();
        m.compile("mse", "adam");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(Tensor.zeros(4, 3, 1), Tensor.zeros(5, 1), 1, 2));
        assertEquals("fit: x and y must have the same number of samples, got 4 input samples and 5 target samples", e.getMessage());
    }

    @Test
    void unknownNamesListWhatIsAccepted() {
        Sequential m = model();
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class, () -> m.compile("msee", "adam"));
        assertTrue(loss.getMessage().startsWith("Unknown loss 'msee'; expected one of [mean_squared_error, mse"), loss.getMessage());
        IllegalArgumentException opt = assertThrows(IllegalArgumentException.class, () -> m.compile("mse", "adamw2"));
        assertTrue(opt.getMessage().startsWith("Unknown optimizer 'adamw2'; expected one of [sgd, adam"), opt.getMessage());
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class, () -> m.compile("mse", "adam", "acuracy"));
        assertTrue(metric.getMessage().startsWith("Unknown metric 'acuracy'; expected one of [accuracy"), metric.getMessage());
    }

    @Test
    void unitsAndRatesAreChecked() {
        assertEquals("Dense units must be a positive integer, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Dense(-1)).getMessage());
        assertEquals("Dropout rate must be in [0, 1), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5)).getMessage());
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingEpochAndBatch() {
        Sequential m = model();
        m.compile(Loss.get("mse"), new SGD(0.01));
        float[] y = {0f, 0f, 0f, 0f, 0f, Float.NaN};
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> m.fit(Tensor.zeros(6, 3, 1), Tensor.of(y, 6, 1),
                        new FitOptions().epochs(2).batchSize(2).shuffle(false).verbose(0)));
        assertEquals(0, e.epoch());
        assertEquals(2, e.batch());
        assertTrue(e.getMessage().startsWith("Training stopped: the loss became NaN at epoch 1, batch 3."), e.getMessage());
    }
}
