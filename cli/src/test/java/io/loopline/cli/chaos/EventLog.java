package io.loopline.cli.chaos;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.DeadLetterHeaders;
import io.loopline.events.RequestFailed;
import io.loopline.events.SegmentRendered;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything the pipeline publishes that the suite judges — segments rendered, videos completed, requests failed and
 * the dead letters of the consumed topics — read committed from the beginning by a consumer of its own (no group,
 * so it survives the broker's restart and freeze by just polling again), each with the moment it arrived here.
 */
final class EventLog implements AutoCloseable {

    /** The topics the suite poisons; their dead-letter topics are watched. */
    static final List<TopicSpec<?>> POISONED =
            List.of(Topics.REQUESTS, Topics.MEDIA_VALIDATED, Topics.RENDER_TASKS, Topics.SEGMENTS_RENDERED);

    record Segment(String requestId, int index, long arrivedNanos) {}

    record Completion(VideoCompleted event, long arrivedNanos) {}

    record Failure(RequestFailed event, long arrivedNanos) {}

    /** A dead letter: where the record came from, which consumer gave up on it, and when (broker timestamps). */
    record DeadLetter(String topic, int partition, long offset, String group, long originalTimestamp, long timestamp) {}

    final List<Segment> segments = new CopyOnWriteArrayList<>();
    final List<Completion> completions = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<SegmentRendered> segmentsTopic;
    private final Topic<VideoCompleted> completedTopic;
    private final Topic<RequestFailed> failedTopic;
    private final Thread reader;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    EventLog(LooplineConfig client) {
        TopicCatalog catalog = client.topicCatalog();
        segmentsTopic = catalog.topic(Topics.SEGMENTS_RENDERED);
        completedTopic = catalog.topic(Topics.VIDEOS_COMPLETED);
        failedTopic = catalog.topic(Topics.REQUESTS_FAILED);
        Map<String, Object> props = new HashMap<>(client.kafkaClientConfigs());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chaos-event-log");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<String> topics = new ArrayList<>(List.of(segmentsTopic.name(), completedTopic.name(), failedTopic.name()));
        POISONED.forEach(spec -> topics.add(catalog.topic(spec).dlqName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "chaos-event-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    record(r, System.nanoTime());
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void record(ConsumerRecord<byte[], byte[]> r, long now) {
        if (r.topic().equals(segmentsTopic.name()) && (r.value() == null || !Poison.isEvent(r.key()))) {
            return; // the suite's own poison, on a topic it watches
        }
        if (r.topic().equals(segmentsTopic.name())) {
            SegmentRendered s = segmentsTopic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            segments.add(new Segment(s.getRequestId(), s.getSegmentIndex(), now));
        } else if (r.topic().equals(completedTopic.name())) {
            completions.add(
                    new Completion(completedTopic.valueSerde().deserializer().deserialize(r.topic(), r.value()), now));
        } else if (r.topic().equals(failedTopic.name())) {
            failures.add(new Failure(failedTopic.valueSerde().deserializer().deserialize(r.topic(), r.value()), now));
        } else {
            deadLetters.add(new DeadLetter(
                    header(r, DeadLetterHeaders.ORIGINAL_TOPIC),
                    Integer.parseInt(header(r, DeadLetterHeaders.ORIGINAL_PARTITION)),
                    Long.parseLong(header(r, DeadLetterHeaders.ORIGINAL_OFFSET)),
                    header(r, DeadLetterHeaders.CONSUMER_GROUP),
                    Long.parseLong(header(r, DeadLetterHeaders.ORIGINAL_TIMESTAMP)),
                    r.timestamp()));
        }
    }

    /** Fails when the reader has stopped on an error: nothing more would be seen. */
    void requireReading() {
        if (failure != null) {
            throw new IllegalStateException("The suite stopped reading the pipeline's events", failure);
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    List<Completion> completionsOf(String requestId) {
        return completions.stream()
                .filter(c -> c.event().getRequestId().equals(requestId))
                .toList();
    }

    List<Failure> failuresOf(String requestId) {
        return failures.stream()
                .filter(f -> f.event().getRequestId().equals(requestId))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(10_000);
        consumer.close();
    }
}
