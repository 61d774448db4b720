package io.loopline.core.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads an event topic's values with the topic's deserializer, refusing a record without a value: a tombstone
 * means nothing on an event topic, so it is refused like any undecodable record — and dead-lettered, by the stage
 * workers and the Streams services alike — rather than skipped without a trace.
 */
public final class EventDeserializer<V> implements Deserializer<V> {

    private final Deserializer<V> values;

    public EventDeserializer(Deserializer<V> values) {
        this.values = values;
    }

    @Override
    public V deserialize(String topic, byte[] data) {
        return values.deserialize(topic, requirePresent(data));
    }

    @Override
    public V deserialize(String topic, Headers headers, byte[] data) {
        return values.deserialize(topic, headers, requirePresent(data));
    }

    @Override
    public void close() {
        values.close();
    }

    private static byte[] requirePresent(byte[] data) {
        if (data == null) {
            throw new SerializationException("Record has no value (a tombstone): nothing to process");
        }
        return data;
    }
}
