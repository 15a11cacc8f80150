package org.rnn4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j summary MODEL_FILE [WEIGHTS_H5]}: Keras's {@code model.summary()} of any model file rnn4j reads
 * ({@code .keras}, Keras 1/2 {@code .h5}, TensorFlow.js {@code model.json}, {@code .onnx}, or a JSON config with its
 * weights), and
 * with {@code --plot-model PNG} the layer graph as Keras's {@code plot_model(model, show_shapes=True)} draws it.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print the Keras-style summary (layers, output shapes, parameter counts) of a model file.",
        footer = {"", "Examples:",
                "  ./rnn4j summary testdata/keras-real/dl4j/simple_lstm_tf_keras_1_model.h5",
                "  ./rnn4j summary testdata/keras-real/dl4j/stacked_lstm/lstm_th_keras_2_config.json",
                "  ./rnn4j summary temp.keras --plot-model temp.model.png",
                "(temp.keras: from the first example of ./rnn4j fit --help)"})
public final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL_FILE",
            description = ".keras archive, Keras .h5, TensorFlow.js model.json (or its directory), .onnx, or a JSON config")
    Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WEIGHTS_H5",
            description = "weights-only .h5 for a JSON config (Keras 2 save_weights)")
    Path weights;

    @Option(names = "--plot-model", paramLabel = "PNG",
            description = "Also draw the layer graph with input and output shapes (Keras's plot_model) to this PNG.")
    Path plotModel;

    @Option(names = "--mkdirs", description = "Create the folders of the output files if they do not exist (default: an error).")
    boolean mkdirs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (plotModel != null) OutputTargets.check(plotModel, "--plot-model", mkdirs);
        Model m = weights == null && isBareConfig(model) ? fromConfig(model, out)
                : weights == null ? Models.load(model) : Models.load(model, weights);
        out.println(m.summary());
        if (plotModel != null) {
            ModelDiagram.write(m, plotModel, "--plot-model");
            out.println("Model diagram: " + plotModel);
        }
        return 0;
    }

    /** A Keras JSON model config (not a TensorFlow.js model.json, which names its weights). */
    private static boolean isBareConfig(Path file) {
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") || !java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        try {
            String text = java.nio.file.Files.readString(file);
            return !text.contains("\"modelTopology\"") && !text.contains("\"weightsManifest\"");
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The architecture of a config without weights: enough for a summary and a diagram (the weights are fresh). */
    private static Model fromConfig(Path file, PrintWriter out) {
        try {
            Model m = org.rnn4j.io.ModelConfig.fromJson(java.nio.file.Files.readString(file));
            out.println("(" + file + ": a model config without weights; the architecture only. Give the weights file as a "
                    + "second argument to load them.)");
            return m;
        } catch (java.io.IOException e) {
            throw new UserInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
