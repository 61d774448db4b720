package io.loopline.core.testing;

import io.loopline.core.config.LooplineConfig;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Test fixtures over the embedded broker and S3 server: a service configuration pointing at them
 * (with a fresh topic prefix so tests never see each other's records), and plain reads and writes
 * of raw topic records.
 */
public final class TestClusters {

    private TestClusters() {}

    /** Settings for {@code service} against {@code infra}, under a topic prefix of its own. */
    public static Map<String, String> settings(
            EmbeddedInfrastructure infra, String service, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put(LooplineConfig.KAFKA_BOOTSTRAP_SERVERS, infra.kafka().bootstrapServers());
        props.put(
                LooplineConfig.TOPIC_PREFIX, "t" + UUID.randomUUID().toString().substring(0, 8) + ".");
        props.put(LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS, "4");
        props.put(LooplineConfig.S3_ENDPOINT, infra.s3().endpoint());
        props.put(LooplineConfig.S3_REGION, infra.s3().region());
        props.put(LooplineConfig.S3_ACCESS_KEY, infra.s3().accessKey());
        props.put(LooplineConfig.S3_SECRET_KEY, infra.s3().secretKey());
        props.put(
                LooplineConfig.WORKER_GROUP_ID,
                "loopline-" + service + "-" + UUID.randomUUID().toString().substring(0, 6));
        props.put(LooplineConfig.RETRY_BACKOFF_INITIAL_MS, "50");
        props.put(LooplineConfig.RETRY_BACKOFF_MAX_MS, "200");
        props.put(LooplineConfig.WORKER_POLL_TIMEOUT_MS, "50");
        props.putAll(overrides);
        return props;
    }

    /** Publishes an event to a catalog topic with the deployment's serde, as an app would. */
    public static <V extends SpecificRecord> void publish(
            LooplineConfig config, TopicSpec<V> spec, String key, V value) {
        Topic<V> topic = config.topicCatalog().topic(spec);
        send(
                config,
                topic.name(),
                key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    public static void send(LooplineConfig config, String topic, byte[] key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                config.kafkaClientConfigs(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not send to " + topic, e);
        }
    }

    /**
     * Reads a topic from the beginning until {@code atLeast} records arrived (then for a short quiet
     * period more, so that unexpected extra records are seen too) or the timeout passes.
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            LooplineConfig config, String topic, int atLeast, Duration timeout) {
        return read(config, List.of(topic), atLeast, timeout);
    }

    /** Like {@link #read(LooplineConfig, String, int, Duration)}, counting the records of several topics together. */
    public static List<ConsumerRecord<byte[], byte[]>> read(
            LooplineConfig config, List<String> topics, int atLeast, Duration timeout) {
        Map<String, Object> props = new HashMap<>(config.kafkaClientConfigs());
        props.put("enable.auto.commit", false);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                partitions.stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .forEach(tps::add);
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                if (records.size() >= atLeast && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofMillis(500).toNanos();
                }
            }
        }
        return records;
    }
}
