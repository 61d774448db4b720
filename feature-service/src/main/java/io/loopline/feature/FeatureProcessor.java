package io.loopline.feature;

import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.MediaValidated;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.events.SegmentMode;
import io.loopline.events.Stage;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackRegistry;
import io.loopline.packstage.ModelOptions;
import io.loopline.packstage.PackStageService;
import io.loopline.packstage.SegmentPlan;
import io.loopline.schemas.EventFields;
import io.loopline.schemas.Topics;
import io.loopline.tensor.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature's work on one validated request: audio features and motion latents of the whole audio
 * with the request's pack, stored as {@code .npy} tensors; the segment plan; the render tasks (all
 * of them in independent mode, keyed request/segment so they spread over partitions; only the first
 * in chained mode, where render publishes each next one).
 */
public final class FeatureProcessor implements StageProcessor<MediaValidated> {

    private static final Logger log = LoggerFactory.getLogger(FeatureProcessor.class);

    static final String FEATURES = "features.npy";
    static final String MOTION = "motion.npy";

    private final FeatureConfig config;
    private final ObjectStore store;
    private final PackRegistry packs;
    /** One generator per pack: this processor runs on one worker thread, and a generator keeps that thread's buffers. */
    private final Map<String, PortraitGenerator> generators = new HashMap<>();

    public FeatureProcessor(FeatureConfig config, ObjectStore store, PackRegistry packs) {
        this.config = config;
        this.store = store;
        this.packs = packs;
    }

    @Override
    public List<OutboundEvent<?>> process(InboundEvent<MediaValidated> event)
            throws RequestRejectedException, IOException, ObjectNotFoundException {
        MediaValidated media = event.value();
        String packName = media.getOptions().getModelPack() != null
                ? media.getOptions().getModelPack()
                : ModelOptions.defaultPack(config);
        ModelPack pack = PackStageService.packFor(packs, packName);

        float[] audio;
        try (InputStream in = store.open(media.getAudio())) {
            audio = Npy.read(in).data();
        }
        // By the name it is installed under, which render looks it up by too: a user's pack folder may carry any
        // name in its pack.json, the name of a built-in one included.
        PortraitGenerator generator = generators.computeIfAbsent(
                packName, n -> new PortraitGenerator(pack, packs.sessions().environment()));
        PortraitGenerator.Conditioning c =
                generator.condition(audio, media.getOptions().getSeed());
        ObjectRef features = store.put(
                store.workBucket(),
                key(media, FEATURES),
                Npy.toBytes(new Npy.FloatTensor(new int[] {c.frames(), c.featureDim()}, c.features())),
                "application/x-npy");
        ObjectRef motion = store.put(
                store.workBucket(),
                key(media, MOTION),
                Npy.toBytes(new Npy.FloatTensor(new int[] {c.frames(), c.motionDim()}, c.motion())),
                "application/x-npy");

        var clip = pack.manifest().clip();
        SegmentPlan plan = SegmentPlan.of(c.frames(), clip);
        SegmentMode mode = SegmentMode.valueOf(pack.manifest().segmentation().name());
        List<OutboundEvent<?>> tasks = new ArrayList<>();
        for (SegmentPlan.Segment s : plan.segments()) {
            if (mode == SegmentMode.CHAINED && s.index() > 0) {
                break; // render publishes each next task once the previous segment exists
            }
            RenderTask task = renderTask(media, packName, mode, plan, s, features, motion);
            tasks.add(OutboundEvent.of(Topics.RENDER_TASKS, Topics.renderTaskKey(media.getRequestId(), s.index()), task)
                    .spread(Topics.renderTaskSpread(media.getRequestId(), s.index())));
        }
        log.info(
                "Request {}: {} frames, {} segments ({} mode) with pack {}",
                media.getRequestId(),
                c.frames(),
                plan.segments().size(),
                mode,
                packName);
        return tasks;
    }

    /** The task of segment {@code s}; in chained mode render builds the following tasks from the same plan. */
    static RenderTask renderTask(
            MediaValidated media,
            String pack,
            SegmentMode mode,
            SegmentPlan plan,
            SegmentPlan.Segment s,
            ObjectRef features,
            ObjectRef motion) {
        return EventFields.copyEnvelope(media, RenderTask.newBuilder())
                .setOptions(media.getOptions())
                .setModelPack(pack)
                .setSegmentMode(mode)
                .setSegmentIndex(s.index())
                .setSegmentCount(plan.segments().size())
                .setFrameStart(s.frameStart())
                .setFrameCount(s.frameCount())
                .setOverlapFrames(plan.overlapOf(s.index()))
                .setTotalFrames(plan.totalFrames())
                .setReference(media.getImage())
                .setFace(media.getFace())
                .setBody(media.getBody())
                .setFeatures(features)
                .setMotion(motion)
                .setOriginalAudio(media.getOriginalAudio())
                .setAudio(media.getAudio())
                .setAudioDurationMs(media.getAudioDurationMs())
                .setMotionHistory(List.of())
                .build();
    }

    private static String key(MediaValidated media, String name) {
        return ObjectKeys.derived(media.getTenant(), media.getRequestId(), Stage.FEATURE, name);
    }
}
