package org.rnn4j.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.flink.examples.EventCsv;
import org.rnn4j.flink.examples.ExactlyOnceCheck;
import org.rnn4j.flink.examples.InferenceJob;

/**
 * The example job from a Kafka topic to a Kafka topic, on a real KRaft broker started by the test on 127.0.0.1:
 * Flink's Kafka source reads the events (keyed records, so each key stays in one partition, in order), the
 * predictions go out through the exactly-once (transactional) Kafka sink, and a read-committed consumer finds one
 * prediction per event, each equal to stepping its key alone.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaInferenceJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void theExampleJobRunsFromATopicToATopicExactlyOnce(@TempDir Path dir) throws Exception {
        int keys = 60, steps = 10;
        String uri = TestModels.lstm(dir, "m", 8, 21);
        try (KafkaBroker kafka = new KafkaBroker(dir)) {
            Properties admin = new Properties();
            admin.setProperty("bootstrap.servers", kafka.bootstrap());
            try (Admin a = Admin.create(admin)) {
                a.createTopics(List.of(new NewTopic("events", 2, (short) 1), new NewTopic("predictions", 2, (short) 1)))
                        .all().get(60, TimeUnit.SECONDS);
            }
            Properties prod = new Properties();
            prod.setProperty("bootstrap.servers", kafka.bootstrap());
            prod.setProperty("acks", "all");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(prod, new StringSerializer(), new StringSerializer())) {
                for (StreamEvent e : InferenceJob.generated(keys, steps, TestModels.FEATURES)) {
                    producer.send(new ProducerRecord<>("events", e.key, EventCsv.format(e)));
                }
                producer.flush();
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    InferenceJob.localConfiguration(dir.resolve("checkpoints").toUri().toString(), "hashmap"));
            env.setParallelism(2);
            env.enableCheckpointing(200);
            DataStream<StreamEvent> events = InferenceJob.kafka(env, kafka.bootstrap(), "events", true);
            DataStream<Prediction> out = RecurrentInference.with(ModelSource.of(uri)).batch(32, Duration.ofMillis(2))
                    .apply(events, e -> e.key);
            InferenceJob.kafkaSink(out, kafka.bootstrap(), "predictions");
            env.execute("kafka to kafka");

            List<Prediction> predictions = new ArrayList<>();
            Properties cons = new Properties();
            cons.setProperty("bootstrap.servers", kafka.bootstrap());
            cons.setProperty("group.id", "check");
            cons.setProperty("auto.offset.reset", "earliest");
            cons.setProperty("isolation.level", "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cons, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("predictions"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                // Read until the committed end of every partition (the job has finished, so nothing more comes).
                Map<org.apache.kafka.common.TopicPartition, Long> end = null;
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        predictions.add(EventCsv.parsePrediction(new String(r.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
                    }
                    if (consumer.assignment().isEmpty()) continue;
                    if (end == null) end = consumer.endOffsets(consumer.assignment());
                    boolean done = true;
                    for (var e : end.entrySet()) done &= consumer.position(e.getKey()) >= e.getValue();
                    if (done) break;
                }
            }
            ExactlyOnceCheck.Result r = ExactlyOnceCheck.check(predictions, SharedModels.load(uri), keys, steps, TestModels.FEATURES, 1e-6);
            assertEquals((long) keys * steps, r.events(), r.toString());
            assertEquals(0, r.mismatches(), r.toString());
        }
    }
}
