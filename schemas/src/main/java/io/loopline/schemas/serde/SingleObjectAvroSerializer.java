package io.loopline.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes events in Avro's single-object encoding: {@code C3 01}, the writer schema's CRC-64-AVRO
 * fingerprint (8 bytes, little-endian), then the Avro binary body. Readers resolve the fingerprint
 * with {@link io.loopline.schemas.ReleasedSchemas}, so no registry is needed.
 */
public class SingleObjectAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Map<Schema, BinaryMessageEncoder<T>> encoders = new ConcurrentHashMap<>();

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        BinaryMessageEncoder<T> encoder = encoders.computeIfAbsent(
                data.getSchema(), schema -> new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema));
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode " + data.getSchema().getFullName() + " for topic " + topic + ": " + e.getMessage(),
                    e);
        }
    }
}
