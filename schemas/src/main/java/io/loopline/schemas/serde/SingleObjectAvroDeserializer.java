package io.loopline.schemas.serde;

import io.loopline.schemas.ReleasedSchemas;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
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
 * that no released schema has, and a plain one for bytes that are not single-object encoded at all.
 */
public class SingleObjectAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** Configuration key: fully qualified name of the generated class to read into. */
    public static final String VALUE_TYPE_CONFIG = "loopline.value.type";

    static {
        trustEventClasses();
    }

    private BinaryMessageDecoder<T> decoder;
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
        SpecificData data = SpecificData.getForClass(type);
        Schema schema = data.getSchema(type);
        this.decoder = new BinaryMessageDecoder<>(data, schema, ReleasedSchemas.get());
        // The current schema is also a valid writer even before it is released (e.g. during development).
        this.decoder.addSchema(schema);
        this.typeName = schema.getFullName();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (decoder == null) {
            throw new IllegalStateException("SingleObjectAvroDeserializer used before configure()");
        }
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new UnknownSchemaException(topic, fingerprint(bytes), typeName);
        } catch (BadHeaderException e) {
            throw new SerializationException("Record on topic " + topic + " is not Avro single-object encoded ("
                    + e.getMessage() + "); expected " + typeName);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new SerializationException(
                    "Record on topic " + topic + " could not be decoded as " + typeName + ": " + e, e);
        }
    }

    private static final Set<String> TRUSTED_PACKAGES = Set.of("io.loopline.events", "io.loopline.state");

    private static long fingerprint(byte[] bytes) {
        return bytes.length >= 10
                ? ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()
                : 0L;
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
