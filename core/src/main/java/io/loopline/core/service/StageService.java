package io.loopline.core.service;

import io.loopline.core.config.LooplineConfig;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.kafka.StageWorker;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.Stage;
import io.loopline.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline stage as a service: logs its configuration, ensures topics and buckets, then runs
 * {@code workers} {@link StageWorker}s on one input topic, each with its own processor. Subclasses
 * provide the processors and the resources they share; those are released on stop only when no
 * worker is still inside them (native code freed under a running thread crashes the process).
 */
public abstract class StageService<V extends SpecificRecord> implements Service {

    private static final Logger log = LoggerFactory.getLogger(StageService.class);

    private final LooplineConfig config;
    private final Stage stage;
    private final TopicSpec<V> input;
    private final int workerCount;
    private final List<StageWorker<V>> workers = new ArrayList<>();

    protected StageService(LooplineConfig config, Stage stage, TopicSpec<V> input, int workerCount) {
        this.config = config;
        this.stage = stage;
        this.input = input;
        this.workerCount = workerCount;
    }

    /** Opens what the processors share (e.g. model sessions); called once at start, after topics and buckets. */
    protected abstract void openShared(ObjectStore store);

    /** A processor for one worker thread. */
    protected abstract StageProcessor<V> newProcessor(ObjectStore store);

    /** Releases what was opened; {@code idle} is false when a worker may still be inside it. */
    protected abstract void closeShared(boolean idle);

    @Override
    public String name() {
        return config.service();
    }

    @Override
    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        log.info("{} configuration:\n{}", name(), config.describe());
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        openShared(store);
        // Every processor first (they may load models for a second), then every worker: started one by one, the first
        // took all partitions and was mid-record when the next joined and the group rebalanced.
        for (int i = 0; i < workerCount; i++) {
            workers.add(new StageWorker<>(config, stage, input, newProcessor(store)));
        }
        workers.forEach(StageWorker::start);
    }

    @Override
    public synchronized void stop() {
        // Side by side: one after the other, each leaving worker would make the group rebalance onto the rest.
        SideBySide.run(workers, StageWorker::stop);
        boolean idle = workers.stream().allMatch(StageWorker::isTerminated);
        workers.clear();
        if (!idle) {
            log.warn("{}: a worker is still busy; shared resources are left for the process exit to reclaim", name());
        }
        closeShared(idle);
    }

    @Override
    public synchronized boolean isRunning() {
        return !workers.isEmpty() && workers.stream().allMatch(StageWorker::isRunning);
    }
}
