package io.loopline.streams;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.service.Service;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service whose work is one {@link StreamsApplication}: it logs its configuration, opens what its
 * processors need ({@link #openResources}), starts the topology, and on stop closes the application
 * (committing what was processed) before its resources.
 */
public abstract class StreamsService implements Service {

    private static final Logger log = LoggerFactory.getLogger(StreamsService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final LooplineConfig config;
    private final Path stateDir;
    private final List<TopicSpec<?>> inputs;
    private StreamsApplication app;

    /**
     * @param inputs the topics the topology reads, which must have equal partition counts
     */
    protected StreamsService(LooplineConfig config, Path stateDir, List<TopicSpec<?>> inputs) {
        this.config = config;
        this.stateDir = stateDir;
        this.inputs = List.copyOf(inputs);
    }

    /** Called once per start, after {@link #openResources}. */
    protected abstract Topology topology(TopicCatalog catalog);

    /** Opens what the processors use (storage, thread pools) before the topology is built; nothing by default. */
    protected void openResources() {}

    /** Closes what {@link #openResources} opened, after the application stopped (or failed to start). */
    protected void closeResources() {}

    @Override
    public String name() {
        return config.service();
    }

    @Override
    public final synchronized void start() {
        if (app != null) {
            return;
        }
        log.info("{} configuration:\n{}", name(), config.describe());
        openResources();
        try {
            app = StreamsApplication.start(config, stateDir, inputs, this::topology);
        } catch (RuntimeException e) {
            closeResources();
            throw e;
        }
    }

    /** The value of {@code key} in this instance's store {@code store}; empty when not here, stopped or restoring. */
    protected final <V> Optional<V> stored(String store, String key) {
        StreamsApplication a;
        synchronized (this) {
            a = app;
        }
        return a == null ? Optional.empty() : a.get(store, key);
    }

    @Override
    public final synchronized void stop() {
        if (app == null) {
            return;
        }
        app.close(CLOSE_TIMEOUT);
        app = null;
        closeResources();
    }

    @Override
    public final synchronized boolean isRunning() {
        return app != null && app.isRunning();
    }
}
