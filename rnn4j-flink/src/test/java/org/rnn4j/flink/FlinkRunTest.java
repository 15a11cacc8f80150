package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.flink.examples.ExactlyOnceCheck;
import org.rnn4j.models.Models;

/**
 * The README's {@code flink run} line, for real: the module's shaded jar ({@code rnn4j-flink-VERSION-all.jar}, made by
 * this build before its tests) is submitted with Flink's own command-line client, exactly as
 * {@code flink run -c org.rnn4j.flink.examples.InferenceJob JAR --model ... --source ... --sink ...}, to a standalone
 * session cluster (a JobManager and a TaskManager, each its own JVM on 127.0.0.1) whose {@code lib/} holds Flink and
 * nothing of rnn4j: the job finds rnn4j, the connectors and Kafka's client in the submitted jar alone. Its committed
 * predictions are then checked against stepping every key alone in this JVM.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FlinkRunTest {
    private static final String MAIN = "org.rnn4j.flink.examples.InferenceJob";

    /** Set by the module's pom: the shaded jar, and the Flink "distribution" lib/ beside it. */
    private static Path property(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && Files.exists(Path.of(v)), name + " must name a file the build made (mvn -pl rnn4j-flink -am test makes it); got " + v);
        return Path.of(v);
    }

    @Test
    void theShadedJarHoldsRnn4jAndTheConnectorsButNotFlink() throws IOException {
        try (JarFile jar = new JarFile(property("rnn4j.flink.jobJar").toFile())) {
            for (String present : List.of("org/rnn4j/flink/examples/InferenceJob.class", "org/rnn4j/models/Model.class",
                    "org/apache/flink/connector/kafka/source/KafkaSource.class",
                    "org/apache/flink/connector/datagen/source/DataGeneratorSource.class",
                    "org/apache/flink/connector/file/sink/FileSink.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class")) {
                assertTrue(jar.getEntry(present) != null, "the shaded jar lacks " + present);
            }
            // Flink itself (core, runtime, the DataStream API, the client) comes from the cluster's lib/.
            Pattern flink = Pattern.compile("org/apache/flink/(runtime|streaming/api|streaming/runtime|api/common|core|configuration|client)/.*");
            List<String> leaked = jar.stream().map(ZipEntry::getName).filter(n -> flink.matcher(n).matches()).limit(5).toList();
            assertEquals(List.of(), leaked, "Flink's own classes in the shaded jar");
        }
    }

    @Test
    void theShadedJarRunsWithFlinkRunOnASessionCluster(@TempDir Path dir) throws Exception {
        Path jobJar = property("rnn4j.flink.jobJar"), lib = property("rnn4j.flink.distLib");
        try (Stream<Path> jars = Files.list(lib)) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("flink-clients-")), "no flink-clients in " + lib);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("flink-runtime-")), "no flink-runtime in " + lib);
            assertEquals(List.of(), names.stream().filter(n -> n.startsWith("rnn4j") || n.startsWith("kafka")
                    || n.startsWith("flink-connector-kafka") || n.startsWith("jackson") || n.startsWith("jhdf")).toList(),
                    "the cluster's lib/ must not hold what the job jar brings");
        }
        int keys = 200, steps = 20;
        String model = TestModels.lstm(dir, "model", 8, 42);
        Path predictions = dir.resolve("predictions");
        try (StandaloneFlink flink = new StandaloneFlink(lib, dir.resolve("flink"), 2)) {
            flink.start(Duration.ofSeconds(120));
            StandaloneFlink.Cli run = flink.flink(Duration.ofSeconds(180), List.of("run", "-c", MAIN, jobJar.toString(),
                    "--model", model, "--source", "generator:" + keys + ":" + steps, "--sink", "file:" + predictions,
                    "--checkpoint-ms", "200"));
            assertEquals(0, run.exitCode(), () -> "flink run failed:\n" + run.output() + "\n" + flink.logs());
            assertTrue(Pattern.compile("Job with JobID [0-9a-f]{32} has finished").matcher(run.output()).find(),
                    () -> "flink run did not report the job finished:\n" + run.output());
        }
        ExactlyOnceCheck.Result r = ExactlyOnceCheck.check(ExactlyOnceCheck.readCommitted(predictions),
                Models.load(Path.of(java.net.URI.create(model))), keys, steps, TestModels.FEATURES, 1e-6);
        assertEquals((long) keys * steps, r.events(), r.toString());
        assertEquals(0, r.mismatches(), r.toString());
    }
}
