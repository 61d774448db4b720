package io.loopline.mux;

import io.loopline.events.RequestStatus;
import io.loopline.events.SegmentRendered;
import io.loopline.mux.internals.AssemblyPool;
import io.loopline.mux.internals.RequestTracker;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Mux's Streams topology: every event that tells about a request's progress (requests,
 * media.validated, segments.rendered, requests.failed — all keyed by request id, so one task sees
 * all of a request's events) flows into one {@link RequestTracker}, which writes the compacted
 * {@code status} topic and, when a request's segments are complete, {@code videos.completed}.
 */
public final class MuxTopology {

    /** The topics the tracker reads; they must have equal partition counts (checked at start). */
    public static final List<TopicSpec<?>> INPUTS =
            List.of(Topics.REQUESTS, Topics.MEDIA_VALIDATED, Topics.SEGMENTS_RENDERED, Topics.REQUESTS_FAILED);

    private MuxTopology() {}

    public static Topology build(TopicCatalog catalog, AssemblyPool assemblies, Duration statusRetention) {
        Topology topology = new Topology();
        Serde<String> keys = Serdes.String();
        String[] sources = new String[INPUTS.size()];
        for (int i = 0; i < INPUTS.size(); i++) {
            TopicSpec<?> spec = INPUTS.get(i);
            sources[i] = "source-" + spec.baseName();
            topology.addSource(
                    sources[i], keys.deserializer(), valueSerde(catalog, spec).deserializer(), catalog.name(spec));
        }
        topology.addProcessor("tracker", () -> new RequestTracker(assemblies, statusRetention), sources);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RequestTracker.STATUS_STORE),
                        keys,
                        catalog.valueSerde(RequestStatus.class)),
                "tracker");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RequestTracker.SEGMENT_STORE),
                        keys,
                        catalog.valueSerde(SegmentRendered.class)),
                "tracker");
        topology.addSink(
                RequestTracker.STATUS_SINK,
                catalog.name(Topics.STATUS),
                keys.serializer(),
                valueSerde(catalog, Topics.STATUS).serializer(),
                "tracker");
        topology.addSink(
                RequestTracker.COMPLETED_SINK,
                catalog.name(Topics.VIDEOS_COMPLETED),
                keys.serializer(),
                valueSerde(catalog, Topics.VIDEOS_COMPLETED).serializer(),
                "tracker");
        topology.addSink(
                RequestTracker.FAILED_SINK,
                catalog.name(Topics.REQUESTS_FAILED),
                keys.serializer(),
                valueSerde(catalog, Topics.REQUESTS_FAILED).serializer(),
                "tracker");
        return topology;
    }

    @SuppressWarnings("unchecked")
    private static Serde<SpecificRecord> valueSerde(TopicCatalog catalog, TopicSpec<?> spec) {
        return (Serde<SpecificRecord>) (Serde<?>) catalog.valueSerde(spec.valueType());
    }
}
