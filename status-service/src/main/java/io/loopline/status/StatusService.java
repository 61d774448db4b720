package io.loopline.status;

import io.loopline.core.service.Service;
import io.loopline.events.RequestStatus;
import io.loopline.status.internals.StatusTracker;
import io.loopline.streams.StreamsApplication;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status view: a Kafka Streams application ({@link StatusTopology}, run as a {@link StreamsApplication})
 * that follows every stage's events and keeps the compacted {@code status} topic, one record per request.
 * Its store is queryable in-process ({@link #status}); everyone else reads the topic.
 */
public final class StatusService implements Service {

    private static final Logger log = LoggerFactory.getLogger(StatusService.class);

    private final StatusConfig config;
    private StreamsApplication app;

    public StatusService(StatusConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.service();
    }

    @Override
    public synchronized void start() {
        if (app != null) {
            return;
        }
        log.info("{} configuration:\n{}", name(), config.describe());
        app = StreamsApplication.start(
                config,
                config.stateDir(),
                StatusTopology.INPUTS,
                catalog -> StatusTopology.build(catalog, config.retention()));
    }

    /** The latest status of a request this instance tracks; empty when unknown here (or while the store is restoring). */
    public Optional<RequestStatus> status(String requestId) {
        StreamsApplication a;
        synchronized (this) {
            a = app;
        }
        return a == null ? Optional.empty() : a.get(StatusTracker.STATUS_STORE, requestId);
    }

    @Override
    public synchronized void stop() {
        if (app != null) {
            app.close(Duration.ofSeconds(60));
            app = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return app != null && app.isRunning();
    }
}
