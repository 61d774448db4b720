package io.loopline.schemas;

import java.time.Duration;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of the pipeline as declared in the catalog ({@link Topics}): its name without the
 * deployment's prefix, the event type of its values, and how it is created. Keys are always strings.
 *
 * @param baseName          name without the prefix, e.g. {@code requests}
 * @param valueType         generated Avro class of the values
 * @param defaultPartitions partitions when the deployment does not say otherwise
 * @param compacted         {@code cleanup.policy=compact} (latest value per key) instead of delete
 * @param retention         how long records are kept ({@code retention.ms}); ignored when compacted
 * @param keyDoc            what the key is
 */
public record TopicSpec<V extends SpecificRecord>(
        String baseName,
        Class<V> valueType,
        int defaultPartitions,
        boolean compacted,
        Duration retention,
        String keyDoc) {

    public TopicSpec {
        Objects.requireNonNull(baseName, "baseName");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(retention, "retention");
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("A topic needs at least one partition: " + baseName);
        }
    }
}
