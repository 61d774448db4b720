package io.loopline.feature;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.loopline.core.kafka.StageWorker;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.service.Service;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.MediaValidated;
import io.loopline.events.Stage;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.ModelOptions;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.schemas.Topics;

/** The feature service: {@code media.validated} → {@code render.tasks} | {@code requests.failed}. */
public final class FeatureService implements Service {

    private static final Logger log = LoggerFactory.getLogger(FeatureService.class);

    private final FeatureConfig config;
    private final List<StageWorker<MediaValidated>> workers = new ArrayList<>();
    private OnnxSessions sessions;

    public FeatureService(FeatureConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "feature";
    }

    @Override
    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        log.info("feature configuration:\n{}", config.describe());
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        sessions = new OnnxSessions(ModelOptions.runtimeOptions(config));
        PackRegistry packs = ModelOptions.packRegistry(config, sessions);
        packs.require(ModelOptions.defaultPack(config)); // fail at start, not on the first request
        for (int i = 0; i < config.workers(); i++) {
            StageWorker<MediaValidated> worker = new StageWorker<>(config, Stage.FEATURE, Topics.MEDIA_VALIDATED,
                new FeatureProcessor(config, store, packs));
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public synchronized void stop() {
        workers.forEach(StageWorker::stop);
        boolean idle = workers.stream().allMatch(StageWorker::isTerminated);
        workers.clear();
        if (sessions != null) {
            if (idle) {
                sessions.close();
            } else {
                // Closing a session under a running model crashes the process; the OS reclaims it on exit instead.
                log.warn("Model sessions left open: a worker is still inside a model run");
            }
            sessions = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return !workers.isEmpty() && workers.stream().allMatch(StageWorker::isRunning);
    }
}
