package io.loopline.feature;

import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.MediaValidated;
import io.loopline.events.Stage;
import io.loopline.model.pack.PackRegistry;
import io.loopline.packstage.PackStageService;
import io.loopline.schemas.TopicSpec;
import io.loopline.schemas.Topics;

/** The feature service: {@code media.validated} → {@code render.tasks} | {@code requests.failed}. */
public final class FeatureService extends PackStageService<MediaValidated> {

    /** The topic it consumes (ops replay it: {@code loopline replay}). */
    public static final TopicSpec<MediaValidated> INPUT = Topics.MEDIA_VALIDATED;

    private final FeatureConfig config;

    public FeatureService(FeatureConfig config) {
        super(config, Stage.FEATURE, INPUT, config.workers());
        this.config = config;
    }

    @Override
    protected StageProcessor<MediaValidated> newProcessor(ObjectStore store, PackRegistry packs) {
        return new FeatureProcessor(config, store, packs);
    }
}
