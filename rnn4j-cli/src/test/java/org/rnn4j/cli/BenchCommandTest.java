package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
    @Test
    void unknownWorkloadIsAOneLineUserErrorNamingTheChoices() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("bench", "--only", "huge"));
        String msg = err.toString().trim();
        assertTrue(msg.startsWith("rnn4j bench: --only: no workload named 'huge'; the file has [seed-one-to-one,"), msg);
    }

    @Test
    void versionNamesTheKernelPlanInUse() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.status(), r.err());
        String plan = org.rnn4j.kernels.KernelPlan.active().describe();
        assertTrue(r.out().startsWith("rnn4j 0.1.0\n") && r.out().contains("\nkernels " + plan + "\n"), r.out());
        assertTrue(plan.matches("(vector(512|256|128)|scalar) \\(tile .*"), plan);
    }

    @Test
    void printsOneJsonLinePerWorkloadWithThePeerScriptsKeys(@TempDir Path dir) throws Exception {
        // The bundled definitions, shrunk so the test is quick: fewer epochs, tiny blocks and streams.
        ObjectMapper json = new ObjectMapper();
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                BenchCommand.class.getResourceAsStream(BenchCommand.DEFAULT_WORKLOADS));
        var w = (com.fasterxml.jackson.databind.node.ObjectNode) spec.get("workloads");
        ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("seed-many-to-one")).put("epochs", 3);
        var small = (com.fasterxml.jackson.databind.node.ObjectNode) w.get("small");
        small.put("batch", 2).put("timesteps", 3).put("units", 4);
        ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("stream")).put("units", 8);
        var timing = (com.fasterxml.jackson.databind.node.ObjectNode) spec.get("timing");
        timing.put("throughput_min_block_seconds", 0.01).put("throughput_repeats", 1).put("stream_calls_per_repeat", 5)
                .put("stream_repeats", 1).put("seed_repeats", 1);
        Path file = dir.resolve("w.json");
        Files.writeString(file, json.writeValueAsString(spec));

        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("bench", "--workloads", file.toString(), "--only", "seed-many-to-one,small,stream"));
        String[] lines = out.toString().trim().split("\n");
        assertEquals(3, lines.length, out.toString());
        JsonNode seed = json.readTree(lines[0]), tp = json.readTree(lines[1]), st = json.readTree(lines[2]);
        assertEquals("seed-many-to-one", seed.get("workload").asText());
        // fit_seconds has 4 decimals: a warmed-up 3-step fit can round to 0.0, so the positive time is step_us's.
        assertTrue(seed.get("fit_seconds").asDouble() >= 0 && seed.get("step_us").asDouble() > 0 && seed.has("final_loss"), lines[0]);
        assertTrue(tp.get("train_samples_per_s").asDouble() > 0 && tp.get("infer_samples_per_s").asDouble() > 0, lines[1]);
        assertTrue(st.get("us_per_step").asDouble() > 0, lines[2]);
        for (JsonNode r : new JsonNode[] {seed, tp, st}) {
            assertTrue(r.has("gflops") && r.has("jdk") && r.get("threads").asInt() >= 1, r.toString());
            assertEquals(org.rnn4j.kernels.KernelPlan.active().describe(), r.get("kernel_plan").asText(), r.toString());
        }
    }

    @Test
    void int8QuantizesTheInferenceModelsAndReportsTheirErrorAgainstFloat32(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                BenchCommand.class.getResourceAsStream(BenchCommand.DEFAULT_WORKLOADS));
        var w = (com.fasterxml.jackson.databind.node.ObjectNode) spec.get("workloads");
        ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("small")).put("batch", 2).put("timesteps", 3).put("units", 4);
        ((com.fasterxml.jackson.databind.node.ObjectNode) w.get("stream")).put("units", 8);
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("timing")).put("throughput_min_block_seconds", 0.01)
                .put("throughput_repeats", 1).put("stream_calls_per_repeat", 5).put("stream_repeats", 1);
        Path file = dir.resolve("w.json");
        Files.writeString(file, json.writeValueAsString(spec));
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("bench", "--workloads", file.toString(), "--only", "small,stream", "--int8"));
        String[] lines = out.toString().trim().split("\n");
        assertEquals(2, lines.length, out.toString());
        for (String line : lines) {
            JsonNode r = json.readTree(line);
            double err = r.get("int8_max_abs_error").asDouble();
            assertTrue(r.get("int8").asBoolean() && err > 0 && err < 0.05 * Math.max(1, r.get("float32_max_abs_output").asDouble()), line);
            assertTrue(!r.has("train_samples_per_s"), "a quantized model is not trained: " + line);
        }
        assertTrue(json.readTree(lines[0]).get("infer_samples_per_s").asDouble() > 0, lines[0]);
        assertTrue(json.readTree(lines[1]).get("us_per_step").asDouble() > 0, lines[1]);
    }

    @Test
    void serveSharesTheSmallModelBetweenClientsAndReportsThreadsThroughputAndLatency(@TempDir Path dir) throws Exception {
        // The small model shrunk and 0.05 s per call kind, so the test is quick; it checks the shape of the report.
        // Every client makes at least one call of each kind however slow the machine is, so 3 clients give >= 3 calls.
        ObjectMapper json = new ObjectMapper();
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                BenchCommand.class.getResourceAsStream(BenchCommand.DEFAULT_WORKLOADS));
        var small = (com.fasterxml.jackson.databind.node.ObjectNode) spec.get("workloads").get("small");
        small.put("timesteps", 3).put("units", 8);
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("timing")).put("serve_seconds", 0.05);
        Path file = dir.resolve("w.json");
        Files.writeString(file, json.writeValueAsString(spec));
        try {
            CommandLine cl = Main.commandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute("bench", "--workloads", file.toString(), "--only", "serve", "--clients", "3",
                    "--threads", "3"));
            JsonNode r = json.readTree(out.toString().trim());
            assertEquals("serve", r.get("workload").asText());
            assertEquals(3, r.get("threads").asInt(), "--threads is applied and reported");
            assertEquals(3, r.get("clients").asInt());
            for (String kind : new String[] {"predict_b1", "predict_b32", "step"}) {
                long calls = r.get(kind + "_calls").asLong();
                double perS = r.get(kind + "_calls_per_s").asDouble(), samples = r.get(kind + "_samples_per_s").asDouble();
                double p50 = r.get(kind + "_p50_us").asDouble(), p99 = r.get(kind + "_p99_us").asDouble();
                assertTrue(calls >= 3 && perS > 0 && p50 > 0 && p99 >= p50, kind + ": " + r);
                assertEquals(kind.equals("predict_b32") ? 32 * perS : perS, samples, 0.2 * samples + 1, kind + ": " + r);
            }
        } finally {
            org.rnn4j.kernels.Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void aThreadCountBelowOneIsAOneLineUserError() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("bench", "--only", "serve", "--threads", "0"));
        assertTrue(err.toString().trim().startsWith("rnn4j bench: --threads: must be at least 1, got 0"), err.toString());
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        assertEquals(2, cl.execute("bench", "--only", "serve", "--clients", "0"));
        assertTrue(err2.toString().trim().startsWith("rnn4j bench: --clients: must be at least 1, got 0"), err2.toString());
    }
}
