package io.loopline.mux;

import io.loopline.events.SegmentRendered;
import io.loopline.mux.internals.AssemblyPool;
import io.loopline.mux.internals.AssemblyTracker;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.state.AssemblyState;
import io.loopline.streams.Topologies;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Mux's Streams topology: rendered segments (and failures, which drop a request's segments) — both
 * keyed by request id, so one task sees all of a request's events — flow into one
 * {@link AssemblyTracker}, which writes {@code videos.streaming} once a request's stream can be watched,
 * {@code videos.completed} when its video is made, or {@code requests.failed} when it cannot be.
 */
public final class MuxTopology {

    /** The topics the tracker reads; they must have equal partition counts (checked at start). */
    public static final List<TopicSpec<?>> INPUTS = List.of(Topics.SEGMENTS_RENDERED, Topics.REQUESTS_FAILED);

    private MuxTopology() {}

    public static Topology build(TopicCatalog catalog, AssemblyPool assemblies, Duration requestRetention) {
        Topology topology = new Topology();
        String[] sources = Topologies.addSources(topology, catalog, INPUTS);
        topology.addProcessor("tracker", () -> new AssemblyTracker(assemblies, requestRetention), sources);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(AssemblyTracker.REQUEST_STORE),
                        Serdes.String(),
                        catalog.valueSerde(AssemblyState.class)),
                "tracker");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(AssemblyTracker.SEGMENT_STORE),
                        Serdes.String(),
                        catalog.valueSerde(SegmentRendered.class)),
                "tracker");
        Topologies.addSink(topology, AssemblyTracker.COMPLETED_SINK, catalog, Topics.VIDEOS_COMPLETED, "tracker");
        Topologies.addSink(topology, AssemblyTracker.FAILED_SINK, catalog, Topics.REQUESTS_FAILED, "tracker");
        Topologies.addSink(topology, AssemblyTracker.STREAMING_SINK, catalog, Topics.VIDEOS_STREAMING, "tracker");
        return topology;
    }
}
