package io.loopline.mux;

import io.loopline.core.concurrent.DaemonThreads;
import io.loopline.core.storage.ObjectStore;
import io.loopline.mux.internals.AssemblyPool;
import io.loopline.mux.internals.VideoAssembler;
import io.loopline.schemas.TopicCatalog;
import io.loopline.streams.StreamsService;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mux service: a Kafka Streams application ({@link MuxTopology}) plus a small pool that assembles
 * videos beside it.
 */
public final class MuxService extends StreamsService {

    private static final Logger log = LoggerFactory.getLogger(MuxService.class);

    private final MuxConfig config;
    private ExecutorService assemblers;
    private VideoAssembler assembler;

    public MuxService(MuxConfig config) {
        super(config, config.stateDir(), MuxTopology.INPUTS);
        this.config = config;
    }

    @Override
    protected void openResources() {
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        assemblers = Executors.newFixedThreadPool(config.assemblyThreads(), DaemonThreads.numbered("mux-assembly"));
        assembler = new VideoAssembler(config, store, Clock.systemUTC());
    }

    @Override
    protected Topology topology(TopicCatalog catalog) {
        AssemblyPool pool = new AssemblyPool(assemblers, assembler, config.retryPolicy(), config.earlyAssemblies());
        return MuxTopology.build(catalog, pool, config.requestRetention());
    }

    @Override
    protected void closeResources() {
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
}
