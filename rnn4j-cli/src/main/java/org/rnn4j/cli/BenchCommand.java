package org.rnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnn4j.cli.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rnn4j bench}: runs the shared benchmark workloads (the notebook's models, LSTM training and inference
 * throughput, single-step streaming) and prints one JSON object per workload, with the keys of the PyTorch peer
 * script so the two can be compared line by line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmark workloads (default: the project's bench/workloads.json) and print one JSON "
                + "line per workload: fit_seconds and final_loss, or train/infer samples per second, or microseconds "
                + "per streaming step, with GFLOP/s, JDK, threads and peak RSS. The 'serve' workload (run only when "
                + "named) shares the small model between --clients threads calling predict (batch 1 and 32) and step, "
                + "and reports calls and samples per second and p50/p99 latency per call.",
        footer = {"", "Examples:", "  ./rnn4j bench", "  ./rnn4j bench --only stream,small --threads 1",
                "  ./rnn4j bench --only serve --clients 8 --threads 2",
                "  ./rnn4j bench --only stream,small --int8",
                "  ./rnn4j bench --workloads bench/workloads.json --only seed-one-to-one"})
public final class BenchCommand implements Callable<Integer> {
    /** The bundled copy of the project's bench/workloads.json. */
    static final String DEFAULT_WORKLOADS = "/org/rnn4j/cli/bench/workloads.json";

    @Option(names = "--workloads", paramLabel = "FILE", description = "Workloads file (default: the bundled bench/workloads.json).")
    Path workloads;

    @Option(names = "--only", split = ",", paramLabel = "NAME", description = "Run only these workloads (comma-separated).")
    List<String> only;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads the kernels use (any N >= 1; default: rnn4j.threads, else every available processor).")
    Integer threads;

    @Option(names = "--clients", paramLabel = "K", defaultValue = "8",
            description = "Client threads of the serve workload (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--int8", description = "Quantize the throughput and stream models to int8 (model.quantize(\"int8\")) "
            + "before timing their inference; training is not timed (a quantized model is inference-only). Each line "
            + "adds int8_max_abs_error: the worst output difference from the float32 model on the workload's inputs.")
    boolean int8;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        JsonNode file;
        if (workloads != null) {
            if (!Files.isRegularFile(workloads)) throw new UserInputException("--workloads: no such file: " + workloads);
            try {
                file = json.readTree(workloads.toFile());
            } catch (IOException e) {
                throw new UserInputException("--workloads: " + workloads + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        } else {
            try (InputStream in = BenchCommand.class.getResourceAsStream(DEFAULT_WORKLOADS)) {
                if (in == null) throw new IllegalStateException("bundled workloads.json is missing from the jar");
                file = json.readTree(in);
            }
        }
        if (threads != null) {
            if (threads < 1) throw new UserInputException("--threads: must be at least 1, got " + threads);
            org.rnn4j.kernels.Parallel.setThreads(threads);
        }
        if (clients < 1) throw new UserInputException("--clients: must be at least 1, got " + clients);
        Workloads w;
        try {
            w = new Workloads(file).int8(int8);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--workloads: " + e.getMessage());
        }
        List<String> names = new ArrayList<>();
        if (only == null || only.isEmpty()) {
            names.addAll(w.names());
        } else {
            for (String n : only) {
                if (!w.names().contains(n) && !Workloads.SERVE.equals(n)) {
                    throw new UserInputException("--only: no workload named '" + n + "'; the file has " + w.names()
                            + " (and there is '" + Workloads.SERVE + "')");
                }
                names.add(n);
            }
        }
        for (String n : names) {
            Map<String, Object> r;
            try {
                r = w.run(n, clients);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
            out.println(json.writeValueAsString(r));
            out.flush();
        }
        return 0;
    }
}
