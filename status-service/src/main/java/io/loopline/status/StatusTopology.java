package io.loopline.status;

import io.loopline.events.RequestStatus;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import io.loopline.status.internals.StatusTracker;
import io.loopline.streams.Topologies;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The status view's Streams topology: every stage's event about a request (requests,
 * media.validated, segments.rendered, videos.streaming, videos.completed, requests.failed — all keyed by
 * request id, so
 * one task sees all of a request's events) flows into one {@link StatusTracker}, which writes the
 * compacted {@code status} topic.
 */
public final class StatusTopology {

    /** The topics the view reads; they must have equal partition counts (checked at start). */
    public static final List<TopicSpec<?>> INPUTS = List.of(
            Topics.REQUESTS,
            Topics.MEDIA_VALIDATED,
            Topics.SEGMENTS_RENDERED,
            Topics.VIDEOS_STREAMING,
            Topics.VIDEOS_COMPLETED,
            Topics.REQUESTS_FAILED);

    private StatusTopology() {}

    public static Topology build(TopicCatalog catalog, Duration retention) {
        Topology topology = new Topology();
        String[] sources = Topologies.addSources(topology, catalog, INPUTS);
        topology.addProcessor("tracker", () -> new StatusTracker(retention), sources);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StatusTracker.STATUS_STORE),
                        Serdes.String(),
                        catalog.valueSerde(RequestStatus.class)),
                "tracker");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StatusTracker.SEGMENT_STORE), Serdes.String(), Serdes.Integer()),
                "tracker");
        Topologies.addSink(topology, StatusTracker.STATUS_SINK, catalog, Topics.STATUS, "tracker");
        return topology;
    }
}
