package io.loopline.core.kafka;

import io.loopline.core.metrics.StageMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Copies an undecodable record, byte for byte, to a dead-letter topic with headers saying why. */
public final class DeadLetterPublisher {

    private static final int MAX_MESSAGE_CHARS = 2000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String groupId;

    public DeadLetterPublisher(KafkaProducer<byte[], byte[]> producer, String groupId) {
        this.producer = producer;
        this.groupId = groupId;
    }

    /** Publishes and waits for the acknowledgement. */
    public void publish(ConsumerRecord<byte[], byte[]> record, String dlqTopic, Throwable cause)
            throws ExecutionException, InterruptedException, TimeoutException {
        producer.send(letter(record, dlqTopic, groupId, cause)).get(2, TimeUnit.MINUTES);
    }

    /** The dead letter of {@code record}: its original key, value and headers plus where it came from and why it failed. */
    public static ProducerRecord<byte[], byte[]> letter(
            ConsumerRecord<byte[], byte[]> record, String dlqTopic, String groupId, Throwable cause) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        add(headers, DeadLetterHeaders.ORIGINAL_TOPIC, record.topic());
        add(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(record.partition()));
        add(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(record.offset()));
        add(headers, DeadLetterHeaders.ORIGINAL_TIMESTAMP, Long.toString(record.timestamp()));
        add(headers, DeadLetterHeaders.CONSUMER_GROUP, groupId);
        add(headers, DeadLetterHeaders.EXCEPTION_CLASS, cause.getClass().getName());
        String message = String.valueOf(cause.getMessage());
        add(
                headers,
                DeadLetterHeaders.EXCEPTION_MESSAGE,
                message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
        StageMetrics.deadLettered(groupId, dlqTopic).increment();
        // The key goes through as raw bytes too: it may be what could not be decoded.
        return new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
