package io.loopline.core.kafka;

import java.util.Objects;

import org.apache.avro.specific.SpecificRecord;

import io.loopline.schemas.TopicSpec;

/** An event a stage publishes: to which catalog topic, under which key. */
public record OutboundEvent<V extends SpecificRecord>(TopicSpec<V> topic, String key, V value) {

    public OutboundEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public static <V extends SpecificRecord> OutboundEvent<V> of(TopicSpec<V> topic, String key, V value) {
        return new OutboundEvent<>(topic, key, value);
    }
}
