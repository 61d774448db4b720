package io.loopline.client;

import io.loopline.core.config.LooplineConfig;
import io.loopline.events.RequestFailed;
import io.loopline.events.RequestStatus;
import io.loopline.events.VideoCompleted;
import io.loopline.schemas.Topic;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one request's events from the outcome topics ({@code videos.completed}, {@code requests.failed},
 * {@code status}), committed records only: every event of a request is keyed by its id, so only the
 * one partition of each topic that holds the key is read, from the beginning (status is compacted,
 * so that stays short). No consumer group: reading never moves anybody's offsets.
 */
public final class RequestEvents implements AutoCloseable {

    /** What is known of the request so far; the last status seen, and its outcome once there is one. */
    public record Snapshot(
            Optional<RequestStatus> status, Optional<VideoCompleted> completed, Optional<RequestFailed> failed) {
        public boolean finished() {
            return completed.isPresent() || failed.isPresent();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RequestEvents.class);

    private final String requestId;
    private final String bootstrapServers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Topic<?>> topics = new HashMap<>();
    private RequestStatus status;
    private VideoCompleted completed;
    private RequestFailed failed;

    /** Reads {@code requestId}'s events; fails when the broker does not answer within 30 s. */
    public RequestEvents(LooplineConfig config, String requestId) {
        this(config, requestId, METADATA_PATIENCE);
    }

    /** How long the one-shot commands wait for the broker to say where the request's records are. */
    public static final Duration METADATA_PATIENCE = Duration.ofSeconds(30);

    /**
     * Reads {@code requestId}'s events, waiting up to {@code patience} for the broker to say where they are (null:
     * as long as it takes, through a broker outage; the client's own timeouts only pace the attempts).
     */
    public RequestEvents(LooplineConfig config, String requestId, Duration patience) {
        this.requestId = requestId;
        this.bootstrapServers = config.bootstrapServers();
        Map<String, Object> props = new HashMap<>(config.kafkaClientConfigs());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicCatalog catalog = config.topicCatalog();
        byte[] key = requestId.getBytes(StandardCharsets.UTF_8);
        List<TopicPartition> assigned = new ArrayList<>();
        for (TopicSpec<?> spec : List.of(Topics.VIDEOS_COMPLETED, Topics.REQUESTS_FAILED, Topics.STATUS)) {
            Topic<?> topic = catalog.topic(spec);
            List<PartitionInfo> partitions = partitionsFor(topic.name(), patience);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException(
                        "Topic " + topic.name() + " does not exist on " + config.bootstrapServers());
            }
            // The producers' default partitioner: murmur2 of the serialized key.
            assigned.add(new TopicPartition(topic.name(), Utils.toPositive(Utils.murmur2(key)) % partitions.size()));
            topics.put(topic.name(), topic);
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
    }

    /**
     * The topic's partitions, waiting up to {@code patience}; null: asked again, each time for the client's
     * {@code default.api.timeout.ms}, for as long as the broker does not answer.
     */
    private List<PartitionInfo> partitionsFor(String topic, Duration patience) {
        if (patience != null) {
            return consumer.partitionsFor(topic, patience);
        }
        while (true) {
            try {
                return consumer.partitionsFor(topic);
            } catch (TimeoutException e) {
                log.warn("The broker at {} does not answer; still waiting for it", bootstrapServers);
            }
        }
    }

    /** Reads what arrived within {@code wait} (returns as soon as something did). */
    public Snapshot poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            if (r.key() == null
                    || !requestId.equals(new String(r.key(), StandardCharsets.UTF_8))
                    || r.value() == null) {
                continue;
            }
            SpecificRecord value = (SpecificRecord)
                    topics.get(r.topic()).valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (value instanceof RequestStatus s) {
                status = s;
            } else if (value instanceof VideoCompleted c) {
                completed = c;
            } else if (value instanceof RequestFailed f && failed == null) {
                failed = f; // the first failure is the cause; later ones follow from it
            }
        }
        return snapshot();
    }

    /**
     * Reads until the request completes or fails, handing every snapshot to {@code onEach} (progress
     * views), or until {@code timeout} passes (null: no limit). Returns the last snapshot.
     */
    public Snapshot untilFinished(Duration pollEvery, Duration timeout, Consumer<Snapshot> onEach) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Snapshot s = snapshot();
        while (!s.finished() && System.nanoTime() < deadline) {
            s = poll(pollEvery);
            onEach.accept(s);
        }
        return s;
    }

    /** Reads up to the current end of the three partitions. */
    public Snapshot readToEnd(Duration timeout) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline
                && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll(Duration.ofMillis(100));
        }
        return snapshot();
    }

    public Snapshot snapshot() {
        return new Snapshot(Optional.ofNullable(status), Optional.ofNullable(completed), Optional.ofNullable(failed));
    }

    @Override
    public void close() {
        // No group to leave and no offsets to commit: nothing to wait for. (The default close waits to end the
        // fetch session, whose request queues behind the long-poll fetch in flight.)
        consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
}
