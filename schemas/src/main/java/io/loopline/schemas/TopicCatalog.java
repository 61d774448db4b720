package io.loopline.schemas;

import io.loopline.schemas.serde.SingleObjectAvroDeserializer;
import io.loopline.schemas.serde.SingleObjectAvroSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The catalog ({@link Topics}) bound to one deployment: its topic-name prefix, its value serde
 * classes (Avro single-object encoding by default, or e.g. Confluent's or Apicurio's registry serdes,
 * chosen by class name) and its partition counts.
 */
public final class TopicCatalog {

    /** Value serde classes and the configuration handed to them. */
    public record SerdeSettings(String serializerClass, String deserializerClass, Map<String, Object> configs) {
        public SerdeSettings {
            Objects.requireNonNull(serializerClass, "serializerClass");
            Objects.requireNonNull(deserializerClass, "deserializerClass");
            configs = Map.copyOf(configs);
        }

        /** Avro single-object encoding with the released schemas in {@link ReleasedSchemas}; needs no registry. */
        public static SerdeSettings singleObjectAvro() {
            return new SerdeSettings(
                    SingleObjectAvroSerializer.class.getName(), SingleObjectAvroDeserializer.class.getName(), Map.of());
        }
    }

    private final String prefix;
    private final SerdeSettings serdes;
    private final Map<TopicSpec<?>, Integer> partitions;
    private final Map<TopicSpec<?>, Topic<?>> topics = new ConcurrentHashMap<>();

    /**
     * @param prefix             prepended to every base name, e.g. {@code loopline.}
     * @param serdes             value serde classes
     * @param partitionOverrides partition counts that replace the catalog's defaults
     */
    public TopicCatalog(String prefix, SerdeSettings serdes, Map<TopicSpec<?>, Integer> partitionOverrides) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.serdes = Objects.requireNonNull(serdes, "serdes");
        this.partitions = Map.copyOf(partitionOverrides);
    }

    /** The default deployment: prefix {@code loopline.}, single-object Avro, default partitions. */
    public static TopicCatalog defaults() {
        return new TopicCatalog("loopline.", SerdeSettings.singleObjectAvro(), Map.of());
    }

    public String prefix() {
        return prefix;
    }

    /** The topic with its full name and serdes. */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> Topic<V> topic(TopicSpec<V> spec) {
        return (Topic<V>) topics.computeIfAbsent(spec, s -> create((TopicSpec<V>) s));
    }

    /** The catalog entry with this full topic name, if any. */
    public Optional<TopicSpec<?>> specOf(String fullName) {
        return Topics.ALL.stream().filter(s -> name(s).equals(fullName)).findFirst();
    }

    public String name(TopicSpec<?> spec) {
        return prefix + spec.baseName();
    }

    public int partitions(TopicSpec<?> spec) {
        return partitions.getOrDefault(spec, spec.defaultPartitions());
    }

    /** A value serde for any event type, configured like the catalog's (e.g. for Kafka Streams state). */
    public <V extends SpecificRecord> Serde<V> valueSerde(Class<V> valueType) {
        Map<String, Object> configs = new HashMap<>(serdes.configs());
        configs.put(SingleObjectAvroDeserializer.VALUE_TYPE_CONFIG, valueType.getName());
        @SuppressWarnings("unchecked")
        Serializer<V> serializer = newInstance(serdes.serializerClass(), Serializer.class);
        @SuppressWarnings("unchecked")
        Deserializer<V> deserializer = newInstance(serdes.deserializerClass(), Deserializer.class);
        serializer.configure(configs, false);
        deserializer.configure(configs, false);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private <V extends SpecificRecord> Topic<V> create(TopicSpec<V> spec) {
        return new Topic<>(name(spec), spec, Serdes.String(), valueSerde(spec.valueType()));
    }

    private static <T> T newInstance(String className, Class<T> type) {
        try {
            return Utils.newInstance(className, type);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Serde class " + className + " is not on the class path", e);
        }
    }
}
