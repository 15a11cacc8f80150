package org.rnn4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.EarlyStopping;
import org.rnn4j.layers.Dropout;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.convolutional.Conv1DTranspose;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's "Timeseries anomaly detection using an Autoencoder"
 * (keras.io/examples/timeseries/timeseries_anomaly_detection), line by line: a convolutional autoencoder
 * ({@code Conv1D} down twice with stride 2, {@code Conv1DTranspose} up twice, a last {@code Conv1DTranspose} to one
 * channel) learns to reconstruct one-day windows of a normal daily series; the threshold is the largest
 * reconstruction error (MAE) on the training windows; in the test series, a step is anomalous when every window
 * covering it (Keras's slice, which leaves out the window starting at the step itself) reconstructs worse than the
 * threshold. Keras uses the NAB {@code art_daily_small_noise} / {@code art_daily_jumpsup} series (288 steps a day);
 * this runs on a generated stand-in of the same shape with 48 steps a day: a daily bump from 20 to 80 with small
 * noise, 20 days to train on, and 20 days to test with a jump of +60 over half a day at steps
 * {@link #JUMP_START}..{@link #JUMP_END} (exclusive).
 *
 * <p>Run it with {@code ./rnn4j anomaly-detection-demo}.
 */
public final class TimeseriesAnomalyDetection {
    public static final long DEFAULT_SEED = 1;
    /** Steps per day, and per window (Keras: TIME_STEPS = 288, one day at 5 minutes). */
    public static final int TIME_STEPS = 48;
    public static final int DAYS = 20;
    /** The injected jump in the test series: steps [JUMP_START, JUMP_END). */
    public static final int JUMP_START = 11 * TIME_STEPS + 12, JUMP_END = JUMP_START + TIME_STEPS / 2;

    private final PrintStream out;

    public TimeseriesAnomalyDetection(PrintStream out) { this.out = out; }

    /** The outcome: the threshold, the anomalous test windows, and the steps detected as anomalous. */
    public record Result(double threshold, int anomalousWindows, List<Integer> anomalousSteps, int epochs) {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_SEED;
        new TimeseriesAnomalyDetection(System.out).run(50, seed);
    }

    /** Keras's autoencoder for windows of {@code steps} steps and one feature. */
    public static Sequential makeModel(int steps) {
        Sequential model = new Sequential();
        model.add(new Conv1D(32, 7).padding("same").strides(2).activation("relu").inputShape(steps, 1));
        model.add(new Dropout(0.2));
        model.add(new Conv1D(16, 7).padding("same").strides(2).activation("relu"));
        model.add(new Conv1DTranspose(16, 7).padding("same").strides(2).activation("relu"));
        model.add(new Dropout(0.2));
        model.add(new Conv1DTranspose(32, 7).padding("same").strides(2).activation("relu"));
        model.add(new Conv1DTranspose(1, 7).padding("same"));
        return model;
    }

    public Result run(int epochs, long seed) {
        Rnn4j.setRandomSeed(seed);
        Rnn4j.clearSession();
        SplittableRandom random = new SplittableRandom(seed);
        float[] train = series(random, false), test = series(random, true);
        // training_mean = df_small_noise.mean(); training_std = df_small_noise.std(); normalize both series with them
        double mean = 0, var = 0;
        for (float v : train) mean += v;
        mean /= train.length;
        for (float v : train) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / (train.length - 1)); // pandas' std: the sample deviation
        Tensor xTrain = windows(normalize(train, mean, std)), xTest = windows(normalize(test, mean, std));
        Sequential model = makeModel(TIME_STEPS);
        model.compile(org.rnn4j.losses.Loss.get("mse"), new Adam(0.001));
        out.println(model.summary());
        // model.fit(x_train, x_train, epochs=50, batch_size=128, validation_split=0.1,
        //           callbacks=[EarlyStopping(monitor="val_loss", patience=5, mode="min")])
        var history = model.fit(xTrain, xTrain, new FitOptions().epochs(epochs).batchSize(128).validationSplit(0.1).verbose(0)
                .callbacks(new EarlyStopping().monitor("val_loss").patience(5).mode("min")));
        int ran = history.history().get("loss").size();
        // threshold = np.max(train_mae_loss)
        double[] trainMae = mae(model.predict(xTrain, 128), xTrain);
        double threshold = 0;
        for (double v : trainMae) threshold = Math.max(threshold, v);
        double[] testMae = mae(model.predict(xTest, 128), xTest);
        boolean[] anomalies = new boolean[testMae.length];
        int count = 0;
        for (int i = 0; i < testMae.length; i++) if (anomalies[i] = testMae[i] > threshold) count++;
        // for data_idx in range(TIME_STEPS - 1, len(df_test_value) - TIME_STEPS + 1):
        //     if np.all(anomalies[data_idx - TIME_STEPS + 1 : data_idx]): anomalous_data_indices.append(data_idx)
        List<Integer> steps = new ArrayList<>();
        for (int idx = TIME_STEPS - 1; idx < test.length - TIME_STEPS + 1; idx++) {
            boolean all = true;
            for (int w = idx - TIME_STEPS + 1; w < idx && all; w++) all = anomalies[w];
            if (all) steps.add(idx);
        }
        out.printf(Locale.ROOT, "epochs run: %d%nReconstruction error threshold: %.4f%nNumber of anomaly samples: %d%n", ran,
                threshold, count);
        out.println("Anomalous steps: " + (steps.isEmpty() ? "none" : steps.get(0) + ".." + steps.get(steps.size() - 1)
                + " (" + steps.size() + " steps); injected jump " + JUMP_START + ".." + (JUMP_END - 1)));
        return new Result(threshold, count, steps, ran);
    }

    /** 20 days of the daily pattern: 20 at night, a smooth bump to 80 by day, noise sigma 2; the test series jumps. */
    static float[] series(SplittableRandom random, boolean withJump) {
        float[] v = new float[DAYS * TIME_STEPS];
        for (int t = 0; t < v.length; t++) {
            double phase = (t % TIME_STEPS) / (double) TIME_STEPS;
            double day = Math.max(0, Math.sin(2 * Math.PI * (phase - 0.25)));
            v[t] = (float) (20 + 60 * day + 2 * random.nextGaussian());
            if (withJump && t >= JUMP_START && t < JUMP_END) v[t] += 60;
        }
        return v;
    }

    private static float[] normalize(float[] v, double mean, double std) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) ((v[i] - mean) / std);
        return out;
    }

    /** Keras's create_sequences: every window of TIME_STEPS consecutive steps, [n - TIME_STEPS + 1, TIME_STEPS, 1]. */
    static Tensor windows(float[] v) {
        int n = v.length - TIME_STEPS + 1;
        float[] out = new float[n * TIME_STEPS];
        for (int i = 0; i < n; i++) System.arraycopy(v, i, out, i * TIME_STEPS, TIME_STEPS);
        return Tensor.of(out, n, TIME_STEPS, 1);
    }

    /** np.mean(np.abs(pred - x), axis=1) per window (one feature). */
    static double[] mae(Tensor pred, Tensor x) {
        int n = x.shape(0);
        double[] out = new double[n];
        float[] p = pred.data(), d = x.data();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < TIME_STEPS; t++) s += Math.abs(p[i * TIME_STEPS + t] - d[i * TIME_STEPS + t]);
            out[i] = s / TIME_STEPS;
        }
        return out;
    }
}
