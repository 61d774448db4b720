package io.loopline.streams;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.schemas.TopicCatalog;
import io.loopline.schemas.TopicSpec;
import io.loopline.streams.internals.DeadLetterHandler;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams application run the way every Loopline Streams service runs one: its application id
 * is {@code worker.group.id}, processing is exactly-once v2 with RocksDB state in a given directory,
 * records it cannot decode go to {@code <topic>.dlq}, a failed stream thread is replaced, and Streams'
 * own meters (process rates, lag, commit latency) join the service's on {@code /metrics}.
 */
public final class StreamsApplication {

    private static final Logger log = LoggerFactory.getLogger(StreamsApplication.class);

    private final String name;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics metrics;

    private StreamsApplication(String name, KafkaStreams streams) {
        this.name = name;
        this.streams = streams;
        this.metrics = new KafkaStreamsMetrics(streams);
    }

    /**
     * Creates the catalog's topics when the configuration says so, checks that {@code inputs} have equal
     * partition counts (a request's events are keyed by its id and must all reach one task), builds the
     * topology and starts it.
     *
     * @throws IllegalStateException when the inputs' partition counts differ
     */
    public static StreamsApplication start(
            LooplineConfig config,
            Path stateDir,
            List<TopicSpec<?>> inputs,
            Function<TopicCatalog, Topology> topology) {
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        TopicCatalog catalog = config.topicCatalog();
        Map<String, Integer> counts = TopicAdmin.partitionCounts(
                config, inputs.stream().map(catalog::name).toList());
        if (new HashSet<>(counts.values()).size() > 1) {
            throw new IllegalStateException(config.service()
                    + " needs its input topics to have equal partition counts, but they have " + counts);
        }
        KafkaStreams streams = new KafkaStreams(topology.apply(catalog), properties(config, stateDir));
        StreamsApplication app = new StreamsApplication(config.service(), streams);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("{} stream thread failed; replacing it", app.name, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        app.metrics.bindTo(Metrics.globalRegistry);
        streams.start();
        return app;
    }

    /** The documentation of a service's state-directory option, which {@link #stateDir} reads. */
    public static final String STATE_DIR_DOC =
            "Directory of the Streams state (RocksDB); empty: a folder named after the application id in the temporary directory.";

    /** Where a service keeps its Streams state: {@code configured}, or when blank a folder named after the application id in the temporary directory. */
    public static Path stateDir(String configured, String applicationId) {
        return configured.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "loopline-streams", applicationId)
                : Path.of(configured);
    }

    static Properties properties(LooplineConfig config, Path stateDir) {
        Properties p = new Properties();
        p.putAll(config.kafkaClientConfigs());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.groupId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Each commit ends a transaction: what a processor emits becomes visible to readers within 100 ms.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int)
                config.replicationFactor().orElse((short) -1));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return p;
    }

    /** The value of {@code key} in this instance's store {@code store}; empty when not here (or while it restores). */
    public <V> Optional<V> get(String store, String key) {
        try {
            ReadOnlyKeyValueStore<String, V> values =
                    streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(values.get(key));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** Stops processing, committing what was processed, within {@code timeout}. */
    public void close(Duration timeout) {
        streams.close(timeout);
        metrics.close();
    }
}
