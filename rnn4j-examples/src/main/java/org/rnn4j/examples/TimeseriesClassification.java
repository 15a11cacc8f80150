package org.rnn4j.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.ActivationLayer;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.convolutional.Conv1D;
import org.rnn4j.layers.normalization.BatchNormalization;
import org.rnn4j.layers.pooling.GlobalAveragePooling1D;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * Keras's "Timeseries classification from scratch" (keras.io/examples/timeseries/timeseries_classification_from_scratch),
 * line by line: three blocks of {@code Conv1D(filters, 3, padding="same") -> BatchNormalization -> ReLU}, then
 * {@code GlobalAveragePooling1D} and a softmax {@code Dense}, trained with Adam on
 * {@code sparse_categorical_crossentropy}. Keras uses the FordA engine-noise recordings (500 steps, 2 classes);
 * this runs on a generated stand-in of the same form: one channel, two classes that differ in waveform (a noisy sine
 * against a noisy square wave, random period and phase), so the convolutions have to learn a local shape.
 *
 * <p>As in Keras, evaluation uses BatchNormalization's moving statistics, which follow the batches with momentum
 * 0.99: the held-out accuracy stays near chance for the first few hundred training steps (while the training
 * accuracy is already near 1) and then catches up. Keras's example trains for up to 500 epochs; this one for 24
 * epochs of 20 batches (480 updates of the moving statistics), smaller series (64 steps) and 32 filters instead of
 * 64, so it runs in seconds. Keras's checkpoint, learning-rate and early-stopping callbacks are left out.
 *
 * <p>Run it with {@code ./rnn4j timeseries-classification-demo}.
 */
public final class TimeseriesClassification {
    /** The seed of the default run. */
    public static final long DEFAULT_SEED = 3;

    private final PrintStream out;

    public TimeseriesClassification(PrintStream out) { this.out = out; }

    /** Sizes of a run: steps per series, train/test counts, filters per Conv1D (Keras: 64), epochs, batch size. */
    public record Settings(int steps, int train, int test, int filters, int epochs, int batchSize) {
        public static Settings defaults() { return new Settings(64, 400, 200, 32, 24, 16); }

        public Settings epochs(int e) { return new Settings(steps, train, test, filters, e, batchSize); }
    }

    /** The outcome: test accuracy and loss, and the model's parameter counts. */
    public record Result(double testAccuracy, double testLoss, int params, int nonTrainableParams) {}

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_SEED;
        new TimeseriesClassification(System.out).run(Settings.defaults(), seed);
    }

    /** Builds Keras's model for series of {@code steps} steps and one channel. */
    public static Sequential makeModel(int steps, int filters, int classes) {
        // conv1 = Conv1D(filters=64, kernel_size=3, padding="same")(input_layer); BatchNormalization; ReLU  (x3)
        Sequential model = new Sequential();
        model.add(new Conv1D(filters, 3).padding("same").inputShape(steps, 1));
        model.add(new BatchNormalization());
        model.add(new ActivationLayer("relu"));
        model.add(new Conv1D(filters, 3).padding("same"));
        model.add(new BatchNormalization());
        model.add(new ActivationLayer("relu"));
        model.add(new Conv1D(filters, 3).padding("same"));
        model.add(new BatchNormalization());
        model.add(new ActivationLayer("relu"));
        // gap = GlobalAveragePooling1D()(conv3); output_layer = Dense(num_classes, activation="softmax")(gap)
        model.add(new GlobalAveragePooling1D());
        model.add(new Dense(classes, "softmax"));
        return model;
    }

    public Result run(Settings s, long seed) {
        Rnn4j.setRandomSeed(seed);
        Rnn4j.clearSession();
        SplittableRandom random = new SplittableRandom(seed);
        Tensor[] train = dataset(s.train(), s.steps(), random);
        Tensor[] test = dataset(s.test(), s.steps(), random);
        Sequential model = makeModel(s.steps(), s.filters(), 2);
        out.println(model.summary());
        // model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
        model.compile(org.rnn4j.losses.Loss.get("sparse_categorical_crossentropy"), new Adam(1e-3), "sparse_categorical_accuracy");
        model.fit(train[0], train[1], new FitOptions().epochs(s.epochs()).batchSize(s.batchSize()).validationSplit(0.2).verbose(0));
        // test_loss, test_acc = model.evaluate(x_test, y_test)
        Map<String, Double> eval = model.evaluate(test[0], test[1], 64);
        double acc = eval.get("sparse_categorical_accuracy"), loss = eval.get("loss");
        out.printf(Locale.ROOT, "Test accuracy %.4f%nTest loss %.4f%n", acc, loss);
        int trainable = 0;
        for (org.rnn4j.layers.Weight w : model.trainableWeights()) trainable += w.size();
        return new Result(acc, loss, model.countParams(), model.countParams() - trainable);
    }

    /**
     * {@code n} series of {@code steps} steps, half of each class, shuffled: class 0 a sine, class 1 a square wave
     * of the same amplitude, both with a period of 12 to 28 steps, a random phase and Gaussian noise (sigma 0.4).
     * Returns {@code x [n, steps, 1]} and the labels {@code y [n, 1]}.
     */
    public static Tensor[] dataset(int n, int steps, SplittableRandom random) {
        float[] x = new float[n * steps], y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(2);
            double period = 12 + 16 * random.nextDouble(), phase = 2 * Math.PI * random.nextDouble();
            for (int t = 0; t < steps; t++) {
                double s = Math.sin(2 * Math.PI * t / period + phase);
                double v = label == 0 ? s : Math.signum(s) * 0.8;
                x[i * steps + t] = (float) (v + 0.4 * random.nextGaussian());
            }
            y[i] = label;
        }
        return new Tensor[] {Tensor.of(x, n, steps, 1), Tensor.of(y, n, 1)};
    }
}
