package io.loopline.render;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.loopline.core.kafka.StageWorker;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.service.Service;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.RenderTask;
import io.loopline.events.Stage;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.ModelOptions;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.schemas.Topics;

/** The render service: {@code render.tasks} → {@code segments.rendered} (+ the next task in chained mode) | {@code requests.failed}. Its workers share one set of model sessions. */
public final class RenderService implements Service {

    private static final Logger log = LoggerFactory.getLogger(RenderService.class);

    private final RenderConfig config;
    private final List<StageWorker<RenderTask>> workers = new ArrayList<>();
    private OnnxSessions sessions;

    public RenderService(RenderConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "render";
    }

    @Override
    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        log.info("render configuration:\n{}", config.describe());
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        sessions = new OnnxSessions(ModelOptions.runtimeOptions(config));
        PackRegistry packs = ModelOptions.packRegistry(config, sessions);
        packs.require(ModelOptions.defaultPack(config)); // fail at start, not on the first request
        for (int i = 0; i < config.workers(); i++) {
            StageWorker<RenderTask> worker = new StageWorker<>(config, Stage.RENDER, Topics.RENDER_TASKS,
                new RenderProcessor(config, store, packs));
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
