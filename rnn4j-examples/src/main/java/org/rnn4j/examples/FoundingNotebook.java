package org.rnn4j.examples;

import java.io.PrintStream;
import java.util.Locale;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;
import org.rnn4j.tensor.Tensor;

/**
 * The founding notebook, cell by cell: Keras LSTMs in Sequential models, their summaries and parameter counts
 * ({@code 4 * (input_dim*units + units*units + units)}), then the three sequence-prediction shapes trained on
 * {@code 0.0, 0.2, 0.4, 0.6, 0.8}. Each section mirrors a notebook cell; the Python is in the comments.
 *
 * <p>Run it with {@code ./rnn4j notebook}.
 */
public final class FoundingNotebook {
    /** The seed of the default run; results are reproducible bit for bit with it. */
    public static final long DEFAULT_SEED = 7;

    private final PrintStream out;

    /** Final training losses of the three experiments, in order, after {@link #run()}. */
    public final double[] finalLosses = new double[3];
    /** Parameter counts of every summary printed, in order. */
    public final java.util.List<Integer> summaryParams = new java.util.ArrayList<>();

    public FoundingNotebook(PrintStream out) { this.out = out; }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_SEED;
        new FoundingNotebook(System.out).run(seed);
    }

    public void run() { run(DEFAULT_SEED); }

    public void run(long seed) {
        Rnn4j.setRandomSeed(seed);
        Rnn4j.clearSession();
        heading("Part 1: LSTM layers, their shapes and parameter counts");

        // data = array([0.1, 0.2, 0.3]).reshape((1, 3, 1))
        Tensor data = Tensor.of(new float[] {0.1f, 0.2f, 0.3f}, 1, 3, 1);
        out.println("data shape: " + Shapes.toString(data.shape()));

        // model = Sequential(); model.add(LSTM(1, input_shape=(3, 1)))  -> one output per sequence
        Sequential model = new Sequential();
        model.add(new LSTM(1).inputShape(3, 1));
        summary(model);
        out.println("predict: " + values(model.predict(data)) + " shape " + Shapes.toString(model.predict(data).shape()));

        // LSTM(1, return_sequences=True): one output per timestep
        model = new Sequential();
        model.add(new LSTM(1).returnSequences(true).inputShape(3, 1));
        summary(model);
        out.println("predict shape with return_sequences: " + Shapes.toString(model.predict(data).shape()));

        // LSTM(1, stateful=True, batch_input_shape=(1, 3, 1)): state carried from batch to batch
        model = new Sequential();
        model.add(new LSTM(1).stateful(true).batchInputShape(1, 3, 1));
        summary(model);
        Tensor first = model.predict(data, 1);
        Tensor second = model.predict(data, 1);
        model.resetStates();
        Tensor afterReset = model.predict(data, 1);
        out.println("stateful predict, twice then after reset_states(): " + values(first) + ", " + values(second)
                + ", " + values(afterReset));

        // data2 = array([[0.1, 1.0], [0.2, 0.9], [0.3, 0.8]]).reshape((1, 3, 2)): two features per timestep
        Tensor data2 = Tensor.of(new float[] {0.1f, 1.0f, 0.2f, 0.9f, 0.3f, 0.8f}, 1, 3, 2);
        out.println("data shape: " + Shapes.toString(data2.shape()));
        model = new Sequential();
        model.add(new LSTM(1).inputShape(3, 2));
        summary(model);

        // No input_shape: the model is built by its first fit, as in Keras.
        model = new Sequential();
        model.add(new LSTM(1));
        model.compile("mean_squared_error", "adam");
        model.fit(data, Tensor.of(new float[] {0.4f}, 1, 1), new FitOptions().epochs(1).batchSize(1).verbose(0));
        summary(model);

        // LSTM(2) then Dense(1): 4*(1*2 + 2*2 + 2) = 32 plus 2*1 + 1 = 3
        model = new Sequential();
        model.add(new LSTM(2).inputShape(3, 1));
        model.add(new Dense(1));
        summary(model);

        heading("Part 2: three sequence-prediction problems on 0.0, 0.2, 0.4, 0.6, 0.8");
        float[] seq = {0.0f, 0.2f, 0.4f, 0.6f, 0.8f};

        // One-to-one: X = seq.reshape(5, 1, 1), y = seq.reshape(5, 1)
        out.println("One-to-one: LSTM(5) on (1, 1) + Dense(1), 1000 epochs, batch 5");
        Tensor x = Tensor.of(seq.clone(), 5, 1, 1);
        Tensor y = Tensor.of(seq.clone(), 5, 1);
        model = new Sequential();
        model.add(new LSTM(5).inputShape(1, 1));
        model.add(new Dense(1));
        model.compile("mean_squared_error", "adam");
        summary(model);
        finalLosses[0] = model.fit(x, y, new FitOptions().epochs(1000).batchSize(5).verbose(0)).last("loss");
        report(model.predict(x, 5), y, finalLosses[0]);

        // Many-to-one: X = seq.reshape(1, 5, 1), y = seq.reshape(1, 5)
        out.println("Many-to-one: LSTM(5) on (5, 1) + Dense(5), 500 epochs, batch 1");
        x = Tensor.of(seq.clone(), 1, 5, 1);
        y = Tensor.of(seq.clone(), 1, 5);
        model = new Sequential();
        model.add(new LSTM(5).inputShape(5, 1));
        model.add(new Dense(5));
        model.compile("mean_squared_error", "adam");
        summary(model);
        finalLosses[1] = model.fit(x, y, new FitOptions().epochs(500).batchSize(1).verbose(0)).last("loss");
        report(model.predict(x, 1), y, finalLosses[1]);

        // Many-to-many: X = seq.reshape(1, 5, 1), y = seq.reshape(1, 5, 1)
        out.println("Many-to-many: LSTM(10, return_sequences=True) on (5, 1) + TimeDistributed(Dense(1)), 1000 epochs, batch 1");
        y = Tensor.of(seq.clone(), 1, 5, 1);
        model = new Sequential();
        model.add(new LSTM(10).returnSequences(true).inputShape(5, 1));
        model.add(new TimeDistributed(new Dense(1)));
        model.compile("mean_squared_error", "adam");
        summary(model);
        finalLosses[2] = model.fit(x, y, new FitOptions().epochs(1000).batchSize(1).verbose(0)).last("loss");
        report(model.predict(x, 1), y, finalLosses[2]);

        out.println(String.format(Locale.ROOT, "final losses: one-to-one %.3e, many-to-one %.3e, many-to-many %.3e",
                finalLosses[0], finalLosses[1], finalLosses[2]));
    }

    private void heading(String s) {
        out.println();
        out.println("## " + s);
        out.println();
    }

    private void summary(Sequential model) {
        out.println(model.summary());
        summaryParams.add(model.countParams());
        out.println();
    }

    private void report(Tensor predicted, Tensor target, double loss) {
        float[] p = predicted.data(), t = target.data();
        out.println("  target     predicted");
        for (int i = 0; i < p.length; i++) out.println(String.format(Locale.ROOT, "  %6.3f     %9.5f", t[i], p[i]));
        out.println(String.format(Locale.ROOT, "  final training loss (mse): %.3e", loss));
        out.println();
    }

    private static String values(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(String.format(Locale.ROOT, "%.5f", d[i]));
        }
        return sb.append(']').toString();
    }
}
