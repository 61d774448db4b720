package io.loopline.mux;

import io.loopline.core.concurrent.DaemonThreads;
import io.loopline.core.service.Service;
import io.loopline.core.storage.ObjectStore;
import io.loopline.mux.internals.AssemblyPool;
import io.loopline.mux.internals.VideoAssembler;
import io.loopline.streams.StreamsApplication;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mux service: a Kafka Streams application ({@link MuxTopology}, run as a {@link StreamsApplication})
 * plus a small pool that assembles videos beside it.
 */
public final class MuxService implements Service {

    private static final Logger log = LoggerFactory.getLogger(MuxService.class);

    private final MuxConfig config;
    private StreamsApplication app;
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
        if (app != null) {
            return;
        }
        log.info("{} configuration:\n{}", name(), config.describe());
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        assemblers = Executors.newFixedThreadPool(config.assemblyThreads(), DaemonThreads.numbered("mux-assembly"));
        assembler = new VideoAssembler(config, store, Clock.systemUTC());
        AssemblyPool pool = new AssemblyPool(assemblers, assembler, config.retryPolicy(), config.earlyAssemblies());
        try {
            app = StreamsApplication.start(
                    config,
                    config.stateDir(),
                    MuxTopology.INPUTS,
                    catalog -> MuxTopology.build(catalog, pool, config.requestRetention()));
        } catch (RuntimeException e) {
            stopAssembly();
            throw e;
        }
    }

    @Override
    public synchronized void stop() {
        if (app == null) {
            return;
        }
        app.close(Duration.ofSeconds(60));
        app = null;
        stopAssembly();
    }

    private void stopAssembly() {
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
        return app != null && app.isRunning();
    }
}
