package org.rnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.rnn4j.Rnn4j;
import org.rnn4j.callbacks.EarlyStopping;
import org.rnn4j.callbacks.History;
import org.rnn4j.data.Scaler;
import org.rnn4j.losses.MeanSquaredError;
import org.rnn4j.models.FitOptions;
import org.rnn4j.models.Model;
import org.rnn4j.optimizers.Adam;
import org.rnn4j.tensor.Tensor;

/**
 * What {@code rnn4j fit} does, shared with {@code rnn4j demo}: read the CSV, prepare windows, build and train the
 * model with Keras's progress bar, save it with its settings, write the history CSV and plot, and score the model on
 * the test part beside the naive baselines.
 *
 * <pre>{@code
 * Training.Args a = new Training.Args();  a.csv = Path.of("airline-passengers.csv");  a.target = "Passengers";
 * a.window = 12;  a.out = Path.of("airline.keras");
 * Training.Result r = Training.run(a, out);
 * }</pre>
 */
final class Training {
    /** The options of {@code fit}, with its defaults. */
    static final class Args {
        Path csv;
        /** How the CSV is laid out (null: delimiter detected, header row, ISO dates). */
        org.rnn4j.data.CsvOptions csvOptions;
        String target;
        List<String> features = new ArrayList<>();
        int window;
        int horizon = 1;
        String model = "lstm:32";
        int epochs = 50;
        int batchSize = 32;
        double validationSplit = 0.1;
        double testSplit = 0.2;
        int earlyStopping;
        long seed = 42;
        String scaler = "minmax";
        int difference;
        double learningRate = 0.001;
        int season;
        int verbose = 1;
        Path out;
        /** Where to draw the model's layer graph ({@code --plot-model}), or null. */
        Path plotModel;
        /** Create missing output folders instead of refusing them. */
        boolean mkdirs;

        void check() {
            positive("--window", window);
            positive("--horizon", horizon);
            positive("--epochs", epochs);
            positive("--batch-size", batchSize);
            if (earlyStopping < 0) throw new UserInputException("--early-stopping must be 0 (off) or a positive patience, got " + earlyStopping);
            if (difference < 0) throw new UserInputException("--difference must be 0 (off) or a positive lag, got " + difference);
            if (season < 0) throw new UserInputException("--season must be 0 (off) or a positive period, got " + season);
            fraction("--validation-split", validationSplit);
            fraction("--test-split", testSplit);
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new UserInputException("--learning-rate must be a positive number, got " + learningRate);
            }
            if (verbose < 0 || verbose > 2) throw new UserInputException("--verbose must be 0, 1 or 2, got " + verbose);
            if (out.getFileName() == null || !out.getFileName().toString().endsWith(".keras") || Files.isDirectory(out)) {
                throw new UserInputException("--out " + out + ": expected a file name ending in .keras (Keras 3's format)");
            }
            Scaler.byName(scaler.toLowerCase(Locale.ROOT));
            OutputTargets.check(out, "--out", mkdirs);
            if (plotModel != null) OutputTargets.check(plotModel, "--plot-model", mkdirs);
        }

        private static void positive(String option, int v) {
            if (v <= 0) throw new UserInputException(option + " must be a positive integer, got " + v);
        }

        private static void fraction(String option, double v) {
            if (!(v >= 0 && v < 1)) throw new UserInputException(option + " must be a fraction in [0, 1), got " + v);
        }
    }

    /** What training produced. */
    record Result(Model model, History history, Forecaster forecaster, Forecaster.Evaluation evaluation, int bestEpoch,
                  Path historyCsv, Path historyPng) {}

    private Training() {}

    static Result run(Args a, PrintWriter out) {
        a.check();
        SeriesData data = SeriesData.read(a.csv, a.target, a.features, a.csvOptions);
        ForecastSettings s = new ForecastSettings();
        s.target = a.target;
        s.features = List.copyOf(a.features);
        s.window = a.window;
        s.horizon = a.horizon;
        s.difference = a.difference;
        s.validationSplit = a.validationSplit;
        s.testSplit = a.testSplit;
        s.modelSpec = a.model;
        s.scaler = Scaler.byName(a.scaler.toLowerCase(Locale.ROOT));
        Forecaster f = Forecaster.forTraining(data, s);

        Rnn4j.setRandomSeed(a.seed);
        Rnn4j.clearSession();
        Model model = ModelSpecs.build(a.model, a.window, f.columns(), a.horizon);
        model.compile(new MeanSquaredError(), new Adam(a.learningRate));
        Tensor[] train = f.part(Forecaster.Part.TRAIN), val = f.part(Forecaster.Part.VALIDATION);

        out.println("Data: " + data.file + ", " + data.size() + " rows (" + data.label(0) + " to " + data.label(data.size() - 1)
                + "), target " + a.target + (a.features.isEmpty() ? "" : ", features " + String.join(", ", a.features)));
        out.println("Split: " + part(f, "train", 0, f.split.trainEnd(), train) + "; "
                + part(f, "validation", f.split.trainEnd(), f.split.testStart(), val) + "; "
                + part(f, "test", f.split.testStart(), data.size(), f.part(Forecaster.Part.TEST)));
        out.println("Windows of " + a.window + " steps -> the next " + (a.horizon == 1 ? "value" : a.horizon + " values")
                + (a.difference > 0 ? ", on differences at lag " + a.difference : "") + ", " + s.scaler.className()
                + " fitted on the training rows");
        out.println(model.summary());
        if (a.plotModel != null) {
            ModelDiagram.write(model, a.plotModel, "--plot-model");
            out.println("Model diagram: " + a.plotModel);
        }
        out.flush();

        FitOptions o = new FitOptions().epochs(a.epochs).batchSize(a.batchSize).verbose(a.verbose).shuffle(true)
                .output(Streams.printStream(out));
        if (val != null) o.validationData(val[0], val[1]);
        String monitor = val != null ? "val_loss" : "loss";
        EarlyStopping stopping = a.earlyStopping > 0
                ? new EarlyStopping().monitor(monitor).patience(a.earlyStopping).restoreBestWeights(true) : null;
        if (stopping != null) o.callbacks(stopping);
        History history = model.fit(train[0], train[1], o);
        out.flush();
        int bestEpoch = stopping != null ? stopping.bestEpoch() + 1 : 0;
        if (stopping != null) {
            out.println((stopping.stoppedEpoch() > 0 ? "Early stopping at epoch " + (stopping.stoppedEpoch() + 1) + ": " + monitor
                    + " did not improve for " + a.earlyStopping + " epochs; " : "") + "kept the weights of epoch " + bestEpoch
                    + " (best " + monitor + " " + org.rnn4j.callbacks.ProgressBar.format(stopping.best()) + ")");
        }

        s.attachTo(model);
        save(model, a.out);
        Path historyCsv = sibling(a.out, ".history.csv"), historyPng = sibling(a.out, ".history.png");
        writeHistory(history, historyCsv);
        Plots.history(history.history(), bestEpoch, historyPng, a.model + " on " + a.csv.getFileName() + ": loss per epoch");
        out.println("Saved " + a.out + " (model, scaler and settings), " + historyCsv + ", " + historyPng);

        Forecaster.Evaluation e = null;
        if (f.part(Forecaster.Part.TEST) != null) {
            e = f.evaluate(model, a.model, a.season);
            Report.table(out, f, e);
        }
        out.flush();
        return new Result(model, history, f, e, bestEpoch, historyCsv, historyPng);
    }

    private static String part(Forecaster f, String name, int from, int to, Tensor[] samples) {
        if (to <= from) return "no " + name;
        return name + " " + (to - from) + " rows (" + f.data.label(from) + " to " + f.data.label(to - 1) + ", "
                + (samples == null ? 0 : samples[0].rows()) + " windows)";
    }

    static void save(Model model, Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UserInputException("cannot create the folder of " + path + ": " + e.getMessage(), e);
        }
        model.save(path);
    }

    /** {@code dir/name.keras} -> {@code dir/name<suffix>}. */
    static Path sibling(Path model, String suffix) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".keras") ? name.substring(0, name.length() - ".keras".length()) : name;
        return model.resolveSibling(stem + suffix);
    }

    /** The history as Keras's CSVLogger writes it: {@code epoch} (from 0), then the keys in sorted order. */
    static void writeHistory(History history, Path csv) {
        Map<String, List<Double>> h = history.history();
        List<String> keys = new ArrayList<>(new TreeSet<>(h.keySet()));
        StringBuilder sb = new StringBuilder("epoch");
        for (String k : keys) sb.append(',').append(k);
        sb.append('\n');
        List<Integer> epochs = history.epochs();
        for (int i = 0; i < epochs.size(); i++) {
            sb.append(epochs.get(i));
            for (String k : keys) sb.append(',').append(h.get(k).get(i));
            sb.append('\n');
        }
        try {
            org.rnn4j.io.AtomicFiles.write(csv, out -> out.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UserInputException("cannot write " + csv + ": " + e.getMessage(), e);
        }
    }
}
