package io.loopline.status;

import io.loopline.events.RequestStatus;
import io.loopline.schemas.TopicCatalog;
import io.loopline.status.internals.StatusTracker;
import io.loopline.streams.StreamsService;
import java.util.Optional;
import org.apache.kafka.streams.Topology;

/**
 * The status view: a Kafka Streams application ({@link StatusTopology}) that follows every stage's
 * events and keeps the compacted {@code status} topic, one record per request. Its store is queryable
 * in-process ({@link #status}); everyone else reads the topic.
 */
public final class StatusService extends StreamsService {

    private final StatusConfig config;

    public StatusService(StatusConfig config) {
        super(config, config.stateDir(), StatusTopology.INPUTS);
        this.config = config;
    }

    @Override
    protected Topology topology(TopicCatalog catalog) {
        return StatusTopology.build(catalog, config.retention());
    }

    /** The latest status of a request this instance tracks; empty when unknown here (or while the store is restoring). */
    public Optional<RequestStatus> status(String requestId) {
        return stored(StatusTracker.STATUS_STORE, requestId);
    }
}
