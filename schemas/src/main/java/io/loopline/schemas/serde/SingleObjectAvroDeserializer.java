package io.loopline.schemas.serde;

import io.loopline.schemas.ReleasedSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro single-object encoded events into the generated class named by
 * {@value #VALUE_TYPE_CONFIG}. The writer's schema may be any released version
 * ({@link ReleasedSchemas}); Avro resolves it to the current class, so old records keep decoding.
 *
 * <p>Failures are {@link SerializationException}s: {@link UnknownSchemaException} for a fingerprint
 * that no released schema has, and a plain one for bytes that are not single-object encoded at all, a record
 * over {@value #MAX_RECORD_BYTES} bytes, or one whose lengths claim more than its bytes hold — refused before
 * anything that size is allocated, so a 23-byte record claiming a 2 GiB string costs nothing.
 */
public class SingleObjectAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** Configuration key: fully qualified name of the generated class to read into. */
    public static final String VALUE_TYPE_CONFIG = "loopline.value.type";

    static {
        trustEventClasses();
    }

    /**
     * The largest record read: the broker's default {@code message.max.bytes} (1 MiB), far above any event of
     * ours. A larger one is refused before decoding.
     */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private static final int HEADER_BYTES = 10;

    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private SpecificData data;
    private Schema schema;
    private String typeName;

    public SingleObjectAvroDeserializer() {}

    /** A deserializer for {@code type}, ready to use without {@link #configure}. */
    public SingleObjectAvroDeserializer(Class<T> type) {
        init(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object type = configs.get(VALUE_TYPE_CONFIG);
        if (type == null) {
            throw new ConfigException(VALUE_TYPE_CONFIG, null, "names the event class to decode into and is required");
        }
        try {
            Class<?> cls = type instanceof Class<?> c ? c : Class.forName(type.toString());
            if (!SpecificRecord.class.isAssignableFrom(cls)) {
                throw new ConfigException(VALUE_TYPE_CONFIG, type, "is not a generated Avro record class");
            }
            init((Class<T>) cls);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(VALUE_TYPE_CONFIG, type, "class not found");
        }
    }

    private void init(Class<T> type) {
        this.data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.typeName = schema.getFullName();
        // The current schema is also a valid writer even before it is released (e.g. during development).
        readers.put(SchemaNormalization.parsingFingerprint64(schema), new SpecificDatumReader<>(schema, schema, data));
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (schema == null) {
            throw new IllegalStateException("SingleObjectAvroDeserializer used before configure()");
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new SerializationException("Record on topic " + topic + " holds " + bytes.length
                    + " bytes, more than the " + MAX_RECORD_BYTES + " a " + typeName + " may take");
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new SerializationException(
                    "Record on topic " + topic + " is not Avro single-object encoded; expected " + typeName);
        }
        long fingerprint = fingerprint(bytes);
        DatumReader<T> reader = readers.computeIfAbsent(fingerprint, this::readerOf);
        if (reader == null) {
            throw new UnknownSchemaException(topic, fingerprint, typeName);
        }
        try {
            // Avro's decoder over an array refuses a string or bytes length past the record's end before allocating
            // it (over a stream, as in BinaryMessageDecoder, it allocates first: a 23-byte record could claim 2 GiB).
            return reader.read(
                    null, DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new SerializationException(
                    "Record on topic " + topic + " could not be decoded as " + typeName + ": " + e, e);
        }
    }

    /** A reader from the released writer schema with this fingerprint ({@link ReleasedSchemas}); null for none. */
    private DatumReader<T> readerOf(long fingerprint) {
        Schema writer = ReleasedSchemas.get().findByFingerprint(fingerprint);
        return writer == null ? null : new SpecificDatumReader<>(writer, schema, data);
    }

    private static final Set<String> TRUSTED_PACKAGES = Set.of("io.loopline.events", "io.loopline.state");

    private static long fingerprint(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Avro 1.12 refuses to instantiate classes of packages it does not trust; our generated events
     * and state records are decoded by design, so their packages are added to the global predicate once.
     */
    private static synchronized void trustEventClasses() {
        ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(current, c -> TRUSTED_PACKAGES.contains(c.getPackageName())));
    }
}
