package io.loopline.ingest;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.loopline.core.kafka.StageWorker;
import io.loopline.core.kafka.TopicAdmin;
import io.loopline.core.service.Service;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.GenerationRequest;
import io.loopline.events.Stage;
import io.loopline.schemas.Topics;

/** The ingest service: {@code requests} → {@code media.validated} | {@code requests.failed}. */
public final class IngestService implements Service {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final List<StageWorker<GenerationRequest>> workers = new ArrayList<>();
    private final List<IngestProcessor> processors = new ArrayList<>();

    public IngestService(IngestConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public synchronized void start() {
        if (!workers.isEmpty()) {
            return;
        }
        log.info("ingest configuration:\n{}", config.describe());
        if (config.createTopics()) {
            TopicAdmin.ensureTopics(config);
        }
        ObjectStore store = new ObjectStore(config.storageSettings());
        store.ensureBuckets();
        for (int i = 0; i < config.workers(); i++) {
            IngestProcessor processor = new IngestProcessor(config, store);
            processors.add(processor);
            StageWorker<GenerationRequest> worker = new StageWorker<>(config, Stage.INGEST, Topics.REQUESTS, processor);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public synchronized void stop() {
        workers.forEach(StageWorker::stop);
        boolean idle = workers.stream().allMatch(StageWorker::isTerminated);
        workers.clear();
        if (idle) {
            processors.forEach(IngestProcessor::close);
        } else {
            // Freeing the face models under a running detection crashes the process; the OS reclaims them on exit.
            log.warn("Face models left loaded: a worker is still inside a detection");
        }
        processors.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !workers.isEmpty() && workers.stream().allMatch(StageWorker::isRunning);
    }
}
