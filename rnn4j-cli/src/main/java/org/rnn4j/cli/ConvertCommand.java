package org.rnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnn4j.models.Model;
import org.rnn4j.models.Models;
import org.rnn4j.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j convert IN OUT}: reads any model file rnn4j reads ({@code .keras}, Keras {@code .h5}, TensorFlow.js
 * {@code model.json}, {@code .onnx}) and writes it as {@code .keras}, {@code .onnx} or TensorFlow.js
 * ({@code .json} or a directory). Keras {@code .h5} is read only: rnn4j writes Keras's newer {@code .keras}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model between .keras, Keras .h5 (read only), TensorFlow.js model.json and .onnx.",
        footer = {"", "Examples:",
                "  ./rnn4j convert airline.keras airline.onnx    # to ONNX Runtime",
                "  ./rnn4j convert testdata/fixtures/onnx/lstm_last_linear/model.onnx lstm.keras    # a PyTorch export, to fine-tune in rnn4j",
                "  ./rnn4j convert testdata/keras-real/dl4j/simple_lstm_tf_keras_1_model.h5 model.json    # to TensorFlow.js",
                "  ./rnn4j convert airline.keras airline_step.onnx --onnx-stateful    # one timestep, states in and out",
                "(airline.keras: from the second example of ./rnn4j fit --help)"})
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = ".keras, .h5, model.json (or its directory), or .onnx")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = ".keras, .onnx, or .json / a directory (TensorFlow.js)")
    Path out;

    @Option(names = "--onnx-stateful",
            description = "Write the ONNX graph for one timestep: inputs x and each recurrent layer's L/h (L/c), outputs y "
                    + "and L/h_out (L/c_out), for a server that carries the states.")
    boolean stateful;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean onnx = name.endsWith(".onnx");
        if (!onnx && !name.endsWith(".keras") && !name.endsWith(".json") && !Files.isDirectory(out)) {
            throw new UserInputException("OUT " + out + ": write .keras, .onnx, or .json / a directory (TensorFlow.js)"
                    + (name.endsWith(".h5") ? "; .h5 is read only (rnn4j writes Keras's .keras instead)" : ""));
        }
        if (stateful && !onnx) throw new UserInputException("--onnx-stateful: OUT " + out + " is not an .onnx file");
        if (!Files.exists(in)) throw new UserInputException("IN " + in + ": no such file");
        Model model;
        try {
            model = Models.load(in);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("IN " + in + ": " + e.getMessage(), e);
        }
        try {
            if (onnx) OnnxExporter.save(model, out, stateful ? OnnxExporter.Options.STATEFUL : OnnxExporter.Options.DEFAULT);
            else Models.save(model, out);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("OUT " + out + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Wrote " + out + " (" + model.countParams() + " parameters)");
        return 0;
    }
}
