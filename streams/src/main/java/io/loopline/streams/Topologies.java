package io.loopline.streams;

import io.loopline.core.kafka.EventDeserializer;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/** Sources and sinks of catalog topics (string keys, the catalog's value serdes) for a processor topology. */
public final class Topologies {

    private Topologies() {}

    /** Adds a source named {@code source-<topic>} for each input; returns their names, for the processor's parents. */
    public static String[] addSources(Topology topology, TopicCatalog catalog, List<TopicSpec<?>> inputs) {
        String[] sources = new String[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            TopicSpec<?> spec = inputs.get(i);
            sources[i] = "source-" + spec.baseName();
            topology.addSource(
                    sources[i],
                    Serdes.String().deserializer(),
                    new EventDeserializer<>(valueSerde(catalog, spec).deserializer()),
                    catalog.name(spec));
        }
        return sources;
    }

    /** Adds the sink {@code name}, which writes what {@code parent} forwards to it to {@code topic}. */
    public static void addSink(
            Topology topology, String name, TopicCatalog catalog, TopicSpec<?> topic, String parent) {
        topology.addSink(
                name,
                catalog.name(topic),
                Serdes.String().serializer(),
                valueSerde(catalog, topic).serializer(),
                parent);
    }

    @SuppressWarnings("unchecked")
    private static Serde<SpecificRecord> valueSerde(TopicCatalog catalog, TopicSpec<?> spec) {
        return (Serde<SpecificRecord>) (Serde<?>) catalog.valueSerde(spec.valueType());
    }
}
