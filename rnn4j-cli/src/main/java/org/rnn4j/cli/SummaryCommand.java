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
                "  ./rnn4j summary model.h5",
                "  ./rnn4j summary temp.keras --plot-model temp.model.png"})
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (plotModel != null) ModelDiagram.checkTarget(plotModel, "--plot-model");
        Model m = weights == null ? Models.load(model) : Models.load(model, weights);
        out.println(m.summary());
        if (plotModel != null) {
            ModelDiagram.write(m, plotModel, "--plot-model");
            out.println("Model diagram: " + plotModel);
        }
        return 0;
    }
}
