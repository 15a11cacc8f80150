package org.rnn4j.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.layers.reshaping.RepeatVector;
import org.rnn4j.losses.Loss;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * An encoder–decoder built with the functional API, trained to reverse sequences of symbols: the LSTM encoder
 * reads the sequence and returns its final states ({@code return_state}); the decoder LSTM starts from those states
 * ({@code initial_state}) and is fed the encoder's summary at every output step (the {@code RepeatVector} style, so
 * prediction needs no step-by-step decoding loop); a softmax per step names the symbol. In Keras:
 *
 * <pre>
 * x = keras.Input(shape=(steps, symbols))
 * out, h, c = LSTM(units, return_state=True)(x)
 * seq = LSTM(units, return_sequences=True)(RepeatVector(steps)(out), initial_state=[h, c])
 * y = TimeDistributed(Dense(symbols, activation="softmax"))(seq)
 * model = keras.Model(x, y)
 * </pre>
 *
 * <p>Accuracy is per token, on sequences held out from training, by arg-max of the predicted distribution.
 */
public final class SequenceReversal {
    /** The seed of the default run; results are reproducible bit for bit with it. */
    public static final long DEFAULT_SEED = 1;

    /** Task and training settings. */
    public record Settings(int steps, int symbols, int units, int trainSamples, int testSamples, int epochs, int batchSize,
                           double learningRate) {
        /** The default run: sequences of 5 symbols out of 6, a 48-unit encoder and decoder. */
        public static Settings defaults() { return new Settings(5, 6, 48, 2000, 500, 40, 32, 0.01); }

        public Settings epochs(int e) {
            return new Settings(steps, symbols, units, trainSamples, testSamples, e, batchSize, learningRate);
        }
    }

    /** The outcome: held-out per-token and whole-sequence accuracy, epochs run, parameter count. */
    public record Result(double tokenAccuracy, double sequenceAccuracy, int epochs, int params) {}

    private final PrintStream out;

    public SequenceReversal(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_SEED;
        new SequenceReversal(System.out).run(Settings.defaults(), seed, 0.99);
    }

    /** The model: encoder states initialise the decoder. */
    public static Functional build(Settings s) {
        Input x = new Input(s.steps(), s.symbols()).name("sequence");
        LSTM encoderLstm = new LSTM(s.units()).returnState(true).name("encoder");
        LSTM decoderLstm = new LSTM(s.units()).returnSequences(true).name("decoder");
        KerasTensor[] encoder = encoderLstm.applyAll(x);                  // output, state_h, state_c
        KerasTensor repeated = new RepeatVector(s.steps()).apply(encoder[0]);
        KerasTensor decoded = decoderLstm.apply(repeated, List.of(encoder[1], encoder[2]));
        KerasTensor y = new TimeDistributed(new Dense(s.symbols(), "softmax")).apply(decoded);
        return Model.of(x, y);
    }

    /**
     * Trains until the held-out per-token accuracy reaches {@code target} (checked after each epoch) or the epochs
     * run out.
     */
    public Result run(Settings s, long seed, double target) {
        Rnn4j.setRandomSeed(seed);
        Rnn4j.clearSession();
        SplittableRandom data = new SplittableRandom(seed);
        int[][] train = sequences(data, s.trainSamples(), s);
        int[][] test = sequences(data, s.testSamples(), s);
        Tensor xTrain = oneHot(train, s, false), yTrain = oneHot(train, s, true);
        Tensor xTest = oneHot(test, s, false);

        Functional model = build(s);
        model.compile(Loss.get("categorical_crossentropy"), new Adam(s.learningRate()));
        out.println(model.summary());
        double[] acc = {0, 0};
        int epoch = 0;
        while (epoch < s.epochs() && acc[0] < target) {
            model.fit(xTrain, yTrain, new FitOptions().epochs(1).batchSize(s.batchSize()).verbose(0));
            epoch++;
            acc = accuracy(model.predict(xTest, 256), test, s);
            out.printf(Locale.ROOT, "epoch %d: held-out token accuracy %.4f, whole sequences %.4f%n", epoch, acc[0], acc[1]);
        }
        int[] example = test[0];
        int[] reversed = argmax(model.predict(oneHot(new int[][] {example}, s, false)), s)[0];
        out.println("input    " + java.util.Arrays.toString(example));
        out.println("reversed " + java.util.Arrays.toString(reversed));
        return new Result(acc[0], acc[1], epoch, model.countParams());
    }

    private static int[][] sequences(SplittableRandom r, int n, Settings s) {
        int[][] out = new int[n][s.steps()];
        for (int[] seq : out) for (int t = 0; t < seq.length; t++) seq[t] = r.nextInt(s.symbols());
        return out;
    }

    /** One-hot {@code [n, steps, symbols]}; {@code reversed} gives the target, the sequence back to front. */
    static Tensor oneHot(int[][] seqs, Settings s, boolean reversed) {
        int steps = s.steps(), v = s.symbols();
        float[] d = new float[seqs.length * steps * v];
        for (int i = 0; i < seqs.length; i++) {
            for (int t = 0; t < steps; t++) {
                int sym = seqs[i][reversed ? steps - 1 - t : t];
                d[(i * steps + t) * v + sym] = 1f;
            }
        }
        return Tensor.of(d, seqs.length, steps, v);
    }

    private static int[][] argmax(Tensor p, Settings s) {
        int n = p.shape(0), steps = s.steps(), v = s.symbols();
        float[] d = p.data();
        int[][] out = new int[n][steps];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                int o = (i * steps + t) * v, best = 0;
                for (int k = 1; k < v; k++) if (d[o + k] > d[o + best]) best = k;
                out[i][t] = best;
            }
        }
        return out;
    }

    /** Per-token and whole-sequence accuracy of predictions against the reversed sequences. */
    static double[] accuracy(Tensor p, int[][] seqs, Settings s) {
        int[][] pred = argmax(p, s);
        int tokens = 0, whole = 0, steps = s.steps();
        for (int i = 0; i < seqs.length; i++) {
            boolean all = true;
            for (int t = 0; t < steps; t++) {
                boolean ok = pred[i][t] == seqs[i][steps - 1 - t];
                if (ok) tokens++;
                all &= ok;
            }
            if (all) whole++;
        }
        return new double[] {tokens / (double) (seqs.length * steps), whole / (double) seqs.length};
    }
}
