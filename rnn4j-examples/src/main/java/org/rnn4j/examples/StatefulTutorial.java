package org.rnn4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;

/**
 * The stateful-LSTM tutorial: can an LSTM that sees one element per call remember the first element of a
 * sequence? Each sequence has 20 elements, all zero except the first, which is 1 in exactly half of them; the
 * label is that first element. The model {@code LSTM(10)} with batch shape (1, 1, 1) then {@code Dense(1, sigmoid)}
 * is trained one element per {@code train_on_batch}, with the sequence's label at every step, and
 * {@code reset_states()} after each sequence.
 *
 * <p>With {@code stateful=True} the state carries the first element through the 19 zeros, and test accuracy
 * (the mean over every {@code test_on_batch} call) reaches 1. Without it every call starts from a zero state:
 * only the first step can be right, the other 19 are a coin toss on balanced labels, so accuracy cannot exceed
 * {@code (1 + 19 * 0.5) / 20 = 0.525}.
 *
 * <pre>{@code
 * StatefulTutorial.Outcome o = new StatefulTutorial(System.out).run(7, 15);
 * double a = o.stateful().finalTestAccuracy();   // 1.0
 * }</pre>
 *
 * <p>Run it with {@code ./rnn4j stateful-demo}.
 */
public final class StatefulTutorial {
    public static final long DEFAULT_SEED = 7;
    public static final int DEFAULT_EPOCHS = 15;
    public static final int TRAIN_SEQUENCES = 1000, TEST_SEQUENCES = 200, LENGTH = 20;

    private final PrintStream out;

    public StatefulTutorial(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_SEED;
        new StatefulTutorial(System.out).run(seed, DEFAULT_EPOCHS);
    }

    /** One epoch's means over every call: training loss and accuracy, then test loss and accuracy. */
    public record Epoch(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {}

    /** The per-epoch curve of one model, its parameter count and its training time. */
    public record Curve(boolean stateful, int params, List<Epoch> epochs, double seconds, long trainCalls) {
        public double finalTestAccuracy() { return epochs.get(epochs.size() - 1).testAccuracy(); }

        /** The first epoch (1-based) whose test accuracy reaches {@code level}, or -1. */
        public int firstEpochReaching(double level) {
            for (int e = 0; e < epochs.size(); e++) if (epochs.get(e).testAccuracy() >= level) return e + 1;
            return -1;
        }
    }

    public record Outcome(Curve stateful, Curve stateless) {}

    /** Runs the stateful and the stateless model for {@code epochs} epochs each on the seed's data. */
    public Outcome run(long seed, int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be a positive integer, got " + epochs);
        out.println(TRAIN_SEQUENCES + " training and " + TEST_SEQUENCES + " test sequences of length " + LENGTH
                + ", all zeros but the first element (1 in half of them); the label is the first element.");
        out.println("One element per train_on_batch with the sequence's label, reset_states() after each sequence.");
        Curve stateful = train(true, seed, epochs);
        Curve stateless = train(false, seed, epochs);

        out.println();
        out.println("test accuracy per epoch");
        out.println("epoch   stateful   stateless");
        int n = Math.max(stateful.epochs().size(), stateless.epochs().size());
        for (int e = 0; e < n; e++) {
            out.println(String.format(Locale.ROOT, "%5d   %8s   %9s", e + 1, cell(stateful, e), cell(stateless, e)));
        }
        out.println(String.format(Locale.ROOT, "stateful test accuracy: %.4f, stateless test accuracy: %.4f",
                stateful.finalTestAccuracy(), stateless.finalTestAccuracy()));
        return new Outcome(stateful, stateless);
    }

    private static String cell(Curve c, int e) {
        return e < c.epochs().size() ? String.format(Locale.ROOT, "%.4f", c.epochs().get(e).testAccuracy()) : "";
    }

    /**
     * {@code n} sequences whose first element is 1 in exactly half of them (the positions drawn by the generator),
     * every other element 0. The label of a sequence is {@code sequence[0]}.
     */
    static float[][] sequences(int n, SplittableRandom r) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[][] s = new float[n][LENGTH];
        for (int i = 0; i < n / 2; i++) s[order[i]][0] = 1f;
        return s;
    }

    /** Trains one model ({@code stateful} or not) for {@code epochs} epochs on the seed's data; prints its curve. */
    public Curve train(boolean stateful, long seed, int epochs) {
        float[][] train = sequences(TRAIN_SEQUENCES, new SplittableRandom(seed));
        float[][] test = sequences(TEST_SEQUENCES, new SplittableRandom(seed + 1));
        Rnn4j.setRandomSeed(seed);
        // model = Sequential([LSTM(10, batch_input_shape=(1, 1, 1), stateful=...), Dense(1, activation='sigmoid')])
        Sequential model = new Sequential();
        model.add(new LSTM(10).stateful(stateful).batchInputShape(1, 1, 1));
        model.add(new Dense(1, "sigmoid"));
        model.compile("binary_crossentropy", "adam", "accuracy");
        out.println();
        out.println("## " + (stateful ? "Stateful" : "Stateless") + " LSTM (stateful=" + stateful + ")");
        out.println(model.summary());
        out.println("epoch   train loss   train acc   test loss   test acc");

        // One (1, 1, 1) input and one (1, 1) target, refilled for every call.
        Tensor x = Tensor.zeros(1, 1, 1), y = Tensor.zeros(1, 1);
        List<Epoch> curve = new ArrayList<>();
        // Thread CPU time besides wall time: on a loaded machine the wall clock says little about the call path.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime(), cpuStart = threads.getCurrentThreadCpuTime(), calls = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] tr = pass(model, train, x, y, true);
            calls += (long) train.length * LENGTH;
            double[] te = pass(model, test, x, y, false);
            Epoch e = new Epoch(tr[0], tr[1], te[0], te[1]);
            curve.add(e);
            out.println(String.format(Locale.ROOT, "%5d   %10.4f   %9.4f   %9.4f   %8.4f", epoch + 1, e.trainLoss(),
                    e.trainAccuracy(), e.testLoss(), e.testAccuracy()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double perCall = 1e6 / (epochs * (double) (train.length + test.length) * LENGTH);
        out.println(String.format(Locale.ROOT, "%d epochs in %.1f s, %.1f s CPU (%.1f us, %.1f us CPU per train_on_batch or "
                + "test_on_batch call)", epochs, seconds, cpu, seconds * perCall, cpu * perCall));
        return new Curve(stateful, model.countParams(), curve, seconds, calls);
    }

    /** One pass over the sequences, one element per call; returns the mean loss and accuracy over all calls. */
    private static double[] pass(Sequential model, float[][] data, Tensor x, Tensor y, boolean training) {
        double loss = 0, acc = 0;
        for (float[] seq : data) {
            y.data()[0] = seq[0];
            for (int t = 0; t < LENGTH; t++) {
                x.data()[0] = seq[t];
                Map<String, Double> logs = training ? model.trainOnBatch(x, y) : model.testOnBatch(x, y);
                loss += logs.get("loss");
                acc += logs.get("accuracy");
            }
            model.resetStates();
        }
        int calls = data.length * LENGTH;
        return new double[] {loss / calls, acc / calls};
    }
}
