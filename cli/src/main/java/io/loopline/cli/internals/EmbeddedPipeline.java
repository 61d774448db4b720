package io.loopline.cli.internals;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.service.Service;
import io.loopline.core.service.SideBySide;
import io.loopline.embedded.EmbeddedInfrastructure;
import io.loopline.embedded.EmbeddedS3;
import io.loopline.feature.FeatureConfig;
import io.loopline.feature.FeatureService;
import io.loopline.ingest.IngestConfig;
import io.loopline.ingest.IngestService;
import io.loopline.mux.MuxConfig;
import io.loopline.mux.MuxService;
import io.loopline.packstage.ModelOptions;
import io.loopline.render.RenderConfig;
import io.loopline.render.RenderService;
import io.loopline.status.StatusConfig;
import io.loopline.status.StatusService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: an in-process Kafka broker and S3-compatible server, and the
 * four stages and the status view configured against them exactly as they would be in a cluster (same topics, same
 * events, same storage keys). Closing stops the services, then the servers, and deletes their data.
 * {@link #against} runs the same services against a cluster elsewhere.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPipeline.class);

    /** The in-process broker and S3 server; null when the services run against a cluster elsewhere. */
    private final EmbeddedInfrastructure infrastructure;

    private final Map<String, String> settings;
    private final StatusService status;
    private final List<Service> services = new ArrayList<>();

    private EmbeddedPipeline(EmbeddedInfrastructure infrastructure, Map<String, String> settings) {
        this.infrastructure = infrastructure;
        this.settings = settings;
        this.status = new StatusService(new StatusConfig(settings));
    }

    /**
     * Starts everything.
     *
     * @param stateDir  where mux and the status view keep their Streams state
     * @param overrides options for every service (e.g. {@code model.packs.dir}, {@code render.workers})
     */
    public static EmbeddedPipeline start(Path stateDir, Map<String, String> overrides) {
        return start(stateDir, overrides, client -> {});
    }

    /**
     * Starts everything, running {@code whileServicesStart} with the client settings as soon as the broker,
     * the storage and the topics are ready, side by side with the services' start: a request submitted
     * there waits in its topic for ingest, which is the first service up. Fails as it failed.
     */
    public static EmbeddedPipeline start(
            Path stateDir, Map<String, String> overrides, Consumer<LooplineConfig> whileServicesStart) {
        preloadNativeLibraries();
        EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(Map.of(), EmbeddedS3.inTemporaryDirectory());
        try {
            Map<String, String> cluster = new HashMap<>();
            cluster.put(LooplineConfig.KAFKA_BOOTSTRAP_SERVERS, infra.kafka().bootstrapServers());
            cluster.put(LooplineConfig.S3_ENDPOINT, infra.s3().endpoint());
            cluster.put(LooplineConfig.S3_REGION, infra.s3().region());
            cluster.put(LooplineConfig.S3_ACCESS_KEY, infra.s3().accessKey());
            cluster.put(LooplineConfig.S3_SECRET_KEY, infra.s3().secretKey());
            return startWith(infra, cluster, stateDir, overrides, whileServicesStart);
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    /**
     * Loads native libraries the services use (OpenCV, FFmpeg) on a thread of their own
     * while the broker starts: finding them among the class path's jars takes seconds of one core, and
     * ingest — the first stage a request meets — waited for it.
     */
    private static void preloadNativeLibraries() {
        Thread preload = new Thread(
                () -> {
                    try {
                        Loader.load(org.bytedeco.opencv.global.opencv_dnn.class);
                        Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
                        Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
                        // (ONNX Runtime is not loaded here: created beside the broker's start it crashed the process.)
                    } catch (Throwable e) {
                        // The services load them again and report what fails.
                        log.debug("Preloading native libraries failed: {}", e.toString());
                    }
                },
                "native-preload");
        preload.setDaemon(true);
        preload.start();
    }

    /**
     * Starts the services in this process against a Kafka cluster and S3 store that run elsewhere
     * (e.g. containers), configured by {@code cluster} (bootstrap servers, storage endpoint and keys).
     * Closing stops the services only.
     */
    public static EmbeddedPipeline against(Map<String, String> cluster, Path stateDir, Map<String, String> overrides) {
        return startWith(null, cluster, stateDir, overrides, client -> {});
    }

    private static EmbeddedPipeline startWith(
            EmbeddedInfrastructure infra,
            Map<String, String> cluster,
            Path stateDir,
            Map<String, String> overrides,
            Consumer<LooplineConfig> whileServicesStart) {
        Map<String, String> settings = new HashMap<>(cluster);
        settings.put(LooplineConfig.WORKER_POLL_TIMEOUT_MS, "50");
        // A closing consumer waits for its long-poll fetch: a short wait lets the services stop at once, and an empty
        // fetch costs the local broker next to nothing (figures in docs/performance.md, "Embedded pipeline settings").
        settings.put(LooplineConfig.KAFKA_CLIENT_PREFIX + ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        settings.put(MuxConfig.STATE_DIR, stateDir.toString());
        settings.put(MuxConfig.WORK_DIR, stateDir.resolve("mux-work").toString());
        settings.put(StatusConfig.STATE_DIR, stateDir.toString());
        // Frames live for minutes on the local disk: the fastest Zstandard level is worth its slightly larger objects.
        settings.put(RenderConfig.FRAME_COMPRESSION, "1");
        // The video is encoded while the render workers keep every core busy: x264's own threads would only add their
        // synchronization.
        settings.put(MuxConfig.VIDEO_THREADS, "1");
        // One render worker per core, each running the models on one thread: segments render side by side,
        // which keeps both cores busy through the parts of a segment that are not model runs.
        settings.put(
                RenderConfig.WORKERS,
                Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));
        settings.put(ModelOptions.THREADS, "1");
        settings.putAll(overrides);
        // One render.tasks partition per render worker: a request's segments are dealt round-robin over the
        // partitions, so each worker renders its share in order and mux encodes the video while the rest renders
        // (with more partitions than workers, the first segments could come last).
        settings.putIfAbsent(LooplineConfig.TOPIC_RENDER_TASKS_PARTITIONS, settings.get(RenderConfig.WORKERS));
        // The topics are created once, here, rather than by each of the services as they start side by side.
        TopicAdmin.ensureTopics(new LooplineConfig("cli", settings));
        settings.put(LooplineConfig.TOPICS_CREATE, "false");
        EmbeddedPipeline pipeline = new EmbeddedPipeline(infra, Map.copyOf(settings));
        CompletableFuture<Void> alongside =
                CompletableFuture.runAsync(() -> whileServicesStart.accept(pipeline.clientConfig()));
        try {
            pipeline.startServices();
            alongside.join();
        } catch (CompletionException e) {
            pipeline.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return pipeline;
    }

    private void startServices() {
        services.add(new IngestService(new IngestConfig(settings)));
        services.add(new FeatureService(new FeatureConfig(settings)));
        // A render worker that joins its group late gets its partitions when the first one hears of the rebalance, at
        // its next heartbeat: render's workers beat often so that comes soon; the other services have one worker each.
        Map<String, String> renderSettings = new HashMap<>(settings);
        renderSettings.put(LooplineConfig.KAFKA_CLIENT_PREFIX + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "250");
        services.add(new RenderService(new RenderConfig(renderSettings)));
        services.add(new MuxService(new MuxConfig(settings)));
        services.add(status);
        try {
            sideBySide(s -> {
                long started = System.nanoTime();
                s.start();
                log.info("{} started in {} ms", s.name(), (System.nanoTime() - started) / 1_000_000);
            });
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Runs {@code action} on every service at once (they start and stop independently); fails as the first failure did. */
    private void sideBySide(Consumer<Service> action) {
        SideBySide.run(services, action);
    }

    /**
     * For a run that is being interrupted (Ctrl-C): stops the broker and the storage server, which delete their
     * folders, and leaves the services' threads to the JVM's halt — closing their ONNX Runtime sessions now would
     * race ONNX Runtime's own shutdown hook, which frees its environment (a native crash).
     */
    public void abandon() {
        infrastructure.close();
    }

    /** Settings a client of this pipeline uses (bootstrap servers, storage endpoint and keys, topic prefix). */
    public LooplineConfig clientConfig() {
        return new LooplineConfig("cli", settings);
    }

    /** The status view: its in-process store answers {@link StatusService#status} without reading the topic. */
    public StatusService status() {
        return status;
    }

    /** A running service by name (ingest, feature, render, mux, status): ops-style tests stop and start one. */
    public Service service(String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    @Override
    public void close() {
        // Side by side: each service only finishes its own work in hand and commits its own offsets.
        sideBySide(s -> {
            long started = System.nanoTime();
            try {
                s.stop();
                log.info("{} stopped in {} ms", s.name(), (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed: {}", s.name(), e.toString());
            }
        });
        if (infrastructure != null) {
            long started = System.nanoTime();
            infrastructure.close();
            log.info("Broker and storage stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
    }
}
