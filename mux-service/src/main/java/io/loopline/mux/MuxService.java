package io.loopline.mux;

import io.loopline.core.concurrent.DaemonThreads;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.service.Service;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.RequestStatus;
import io.loopline.mux.internals.AssemblyPool;
import io.loopline.mux.internals.DeadLetterHandler;
import io.loopline.mux.internals.RequestTracker;
import io.loopline.mux.internals.VideoAssembler;
import io.loopline.schemas.TopicCatalog;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mux service: a Kafka Streams application ({@link MuxTopology}, exactly-once, RocksDB state)
 * plus a small pool that assembles videos beside it. Its status store is queryable in-process
 * ({@link #status}); everyone else reads the compacted {@code status} topic.
 */
public final class MuxService implements Service {

    private static final Logger log = LoggerFactory.getLogger(MuxService.class);

    private final MuxConfig config;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private ExecutorService assemblers;
    private VideoAssembler assembler;

    public MuxService(MuxConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return config.service();
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        log.info("{} configuration:\n{}", name(), config.describe());
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        TopicCatalog catalog = config.topicCatalog();
        Map<String, Integer> counts = TopicAdmin.partitionCounts(
                config, MuxTopology.INPUTS.stream().map(catalog::name).toList());
        if (new HashSet<>(counts.values()).size() > 1) {
            // One task must see all of a request's events: the inputs are joined by partition number.
            throw new IllegalStateException(
                    "mux needs its input topics to have equal partition counts, but they have " + counts);
        }
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        assemblers = Executors.newFixedThreadPool(config.assemblyThreads(), DaemonThreads.numbered("mux-assembly"));
        assembler = new VideoAssembler(config, store, Clock.systemUTC());
        AssemblyPool pool = new AssemblyPool(assemblers, assembler, config.retryPolicy(), config.earlyAssemblies());
        streams = new KafkaStreams(MuxTopology.build(catalog, pool, config.statusRetention()), streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            log.error("mux stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        // Kafka Streams' own meters (process rates, lag, commit latency) beside the stage's, on /metrics.
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(Metrics.globalRegistry);
        streams.start();
    }

    Properties streamsProperties() {
        Properties p = new Properties();
        p.putAll(config.kafkaClientConfigs());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.groupId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int)
                config.replicationFactor().orElse((short) -1));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return p;
    }

    /** The latest status of a request this instance tracks; empty when unknown here (or while the store is restoring). */
    public Optional<RequestStatus> status(String requestId) {
        KafkaStreams s;
        synchronized (this) {
            s = streams;
        }
        if (s == null) {
            return Optional.empty();
        }
        try {
            ReadOnlyKeyValueStore<String, RequestStatus> store = s.store(StoreQueryParameters.fromNameAndType(
                    RequestTracker.STATUS_STORE, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(requestId));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void stop() {
        if (streams == null) {
            return;
        }
        streams.close(Duration.ofSeconds(60));
        streams = null;
        streamsMetrics.close();
        assemblers.shutdownNow();
        try {
            if (!assemblers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("An assembly did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assembler.shutdown();
    }

    @Override
    public synchronized boolean isRunning() {
        return streams != null && streams.state().isRunningOrRebalancing();
    }
}
