package io.loopline.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as one deployment sees it: full name (prefix included) and the key and value serdes that
 * deployment uses. Obtained from {@link TopicCatalog#topic(TopicSpec)}.
 */
public record Topic<V extends SpecificRecord>(
        String name, TopicSpec<V> spec, Serde<String> keySerde, Serde<V> valueSerde) {

    /** The dead-letter topic of this topic. */
    public String dlqName() {
        return name + Topics.DLQ_SUFFIX;
    }
}
