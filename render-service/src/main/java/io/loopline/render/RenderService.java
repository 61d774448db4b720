package io.loopline.render;

import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.RenderTask;
import io.loopline.events.Stage;
import io.loopline.model.pack.PackRegistry;
import io.loopline.packstage.PackStageService;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;

/**
 * The render service: {@code render.tasks} → {@code segments.rendered} (+ the next task in chained
 * mode) | {@code requests.failed}. Its workers share one set of model sessions.
 */
public final class RenderService extends PackStageService<RenderTask> {

    /** The topic it consumes (ops replay it: {@code loopline replay}). */
    public static final TopicSpec<RenderTask> INPUT = Topics.RENDER_TASKS;

    private final RenderConfig config;

    public RenderService(RenderConfig config) {
        super(config, Stage.RENDER, INPUT, config.workers());
        this.config = config;
    }

    @Override
    protected StageProcessor<RenderTask> newProcessor(ObjectStore store, PackRegistry packs) {
        return new RenderProcessor(config, store, packs);
    }
}
