package io.loopline.core.kafka;

import io.loopline.schemas.TopicSpec;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * An event a stage publishes: to which catalog topic, under which key.
 *
 * @param spread null: the partition follows from the key (the producer's hash); otherwise the event
 *               goes to partition {@code spread mod partitions} — for work items that should be dealt
 *               evenly over a topic's partitions, and so over its consumers
 */
public record OutboundEvent<V extends SpecificRecord>(TopicSpec<V> topic, String key, V value, Integer spread) {

    public OutboundEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public static <V extends SpecificRecord> OutboundEvent<V> of(TopicSpec<V> topic, String key, V value) {
        return new OutboundEvent<>(topic, key, value, null);
    }

    /** The same event, dealt to partition {@code spread mod partitions}. */
    public OutboundEvent<V> spread(int spread) {
        return new OutboundEvent<>(topic, key, value, spread);
    }
}
