package io.loopline.ingest;

import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.service.StageService;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.GenerationRequest;
import io.loopline.events.Stage;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;
import java.util.ArrayList;
import java.util.List;

/** The ingest service: {@code requests} → {@code media.validated} | {@code requests.failed}. */
public final class IngestService extends StageService<GenerationRequest> {

    /** The topic it consumes (ops replay it: {@code loopline replay}). */
    public static final TopicSpec<GenerationRequest> INPUT = Topics.REQUESTS;

    private final IngestConfig config;
    private final List<IngestProcessor> processors = new ArrayList<>();

    public IngestService(IngestConfig config) {
        super(config, Stage.INGEST, INPUT, config.workers());
        this.config = config;
    }

    @Override
    protected void openShared(ObjectStore store) {
        // Each worker loads its own face models (OpenCV nets are not thread-safe); nothing is shared.
    }

    @Override
    protected StageProcessor<GenerationRequest> newProcessor(ObjectStore store) {
        IngestProcessor processor = new IngestProcessor(config, store);
        processors.add(processor);
        return processor;
    }

    @Override
    protected void closeShared(boolean idle) {
        if (idle) {
            processors.forEach(IngestProcessor::close);
        }
        processors.clear();
    }
}
