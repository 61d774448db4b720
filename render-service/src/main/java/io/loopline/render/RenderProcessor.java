package io.loopline.render;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.BatchStageProcessor;
import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.events.BodyGeometry;
import io.loopline.events.FaceGeometry;
import io.loopline.events.GenerationOptions;
import io.loopline.events.HandGeometry;
import io.loopline.events.HandSide;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.events.SegmentMode;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.pack.ModelKind;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.scheduler.Guidance;
import io.loopline.packstage.PackStageService;
import io.loopline.packstage.SegmentPlan;
import io.loopline.render.internals.MotionHistoryReader;
import io.loopline.render.internals.MovementMap;
import io.loopline.schemas.EventFields;
import io.loopline.schemas.Topics;
import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Render's work on one segment: load the reference, its landmarks and the segment's rows of the
 * conditioning, run the pack's diffusion loop, store the frames ({@link FrameCodec}) under the
 * segment's deterministic key, and emit {@code segments.rendered} — in chained mode also the next
 * segment's task, and for a pack with motion history the frames its strides name, read from the segments
 * rendered before. Same task and seed ⇒ the same bytes, so a re-render after a crash changes nothing.
 * With {@code render.batch.max} &gt; 1, compatible waiting segments render through one batched model
 * run (see docs/render.md for what that means for re-rendered bytes).
 */
public final class RenderProcessor implements BatchStageProcessor<RenderTask> {

    private static final Logger log = LoggerFactory.getLogger(RenderProcessor.class);

    private final RenderConfig config;
    private final ObjectStore store;
    private final PackRegistry packs;
    /** Per pack; a processor belongs to one worker thread, and a generator reuses its native buffers. */
    private final Map<String, PortraitGenerator> generators = new HashMap<>();
    /** Inputs of the last few requests this worker rendered (a 512² request: about 4 MB plus its conditioning). */
    private final Map<InputRefs, RequestInputs> recentInputs = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InputRefs, RequestInputs> eldest) {
            return size() > RECENT_REQUESTS;
        }
    };

    private static final int RECENT_REQUESTS = 4;

    private final MotionHistoryReader history;

    public RenderProcessor(RenderConfig config, ObjectStore store, PackRegistry packs) {
        this.config = config;
        this.store = store;
        this.packs = packs;
        this.history = new MotionHistoryReader(store::readAllBytes);
    }

    static String framesKey(RenderTask task) {
        return ObjectKeys.derived(
                task.getTenant(),
                task.getRequestId(),
                Stage.RENDER,
                String.format(Locale.ROOT, "segment-%04d%s", task.getSegmentIndex(), FrameCodec.EXTENSION));
    }

    @Override
    public List<OutboundEvent<?>> process(InboundEvent<RenderTask> event)
            throws RequestRejectedException, IOException, ObjectNotFoundException {
        return processBatch(List.of(event)).get(0);
    }

    @Override
    public int maxBatch() {
        return config.batchMax();
    }

    /** Same pack, frame count, size and sampling: one denoiser run can take both. Chained segments wait for their history. */
    @Override
    public boolean compatible(InboundEvent<RenderTask> first, InboundEvent<RenderTask> next) {
        RenderTask a = first.value();
        RenderTask b = next.value();
        GenerationOptions oa = a.getOptions();
        GenerationOptions ob = b.getOptions();
        return a.getSegmentMode() == SegmentMode.INDEPENDENT
                && b.getSegmentMode() == SegmentMode.INDEPENDENT
                && a.getModelPack().equals(b.getModelPack())
                && a.getFrameCount() == b.getFrameCount()
                && Objects.equals(oa.getOutputSize(), ob.getOutputSize())
                && Objects.equals(oa.getSamplingSteps(), ob.getSamplingSteps())
                && Objects.equals(oa.getAudioGuidance(), ob.getAudioGuidance())
                && Objects.equals(oa.getReferenceGuidance(), ob.getReferenceGuidance());
    }

    /** A task with everything loaded that its rendering needs. */
    private record Prepared(
            RenderTask task,
            ModelPack pack,
            SegmentPlan plan,
            int width,
            int height,
            PortraitGenerator.Segment segment,
            int steps,
            Guidance guidance,
            MovementMap movementMap) {}

    @Override
    public List<List<OutboundEvent<?>>> processBatch(List<InboundEvent<RenderTask>> events)
            throws RequestRejectedException, IOException, ObjectNotFoundException {
        long started = System.nanoTime();
        List<Prepared> prepared = new ArrayList<>();
        for (InboundEvent<RenderTask> e : events) {
            prepared.add(prepare(e.value()));
        }
        Prepared first = prepared.get(0);
        for (Prepared p : prepared) {
            if (p.width() != first.width()
                    || p.height() != first.height()
                    || p.pack() != first.pack()
                    || p.steps() != first.steps()) {
                throw new IllegalArgumentException("Segments of different sizes or packs cannot share a batch");
            }
        }
        PortraitGenerator generator = generators.computeIfAbsent(
                first.pack().manifest().name(),
                n -> new PortraitGenerator(first.pack(), packs.sessions().environment()));
        int count = first.task().getFrameCount();
        List<byte[]> encoded = generator.renderBatch(
                prepared.stream().map(Prepared::segment).toList(),
                first.height(),
                first.width(),
                count,
                first.steps(),
                first.guidance(),
                (index, frames) -> {
                    Prepared p = prepared.get(index);
                    if (p.movementMap() != null) {
                        p.movementMap().keepStill(frames, count, p.segment().reference());
                    }
                    return FrameCodec.encode(
                            frames, count, first.height(), first.width(), config.frameCompressionLevel());
                });
        List<List<OutboundEvent<?>>> out = new ArrayList<>();
        for (int k = 0; k < prepared.size(); k++) {
            out.add(store(prepared.get(k), encoded.get(k)));
        }
        log.info(
                "Rendered {} ({} frames at {}×{}, {} steps) in {} ms",
                prepared.stream()
                        .map(p -> p.task().getRequestId() + "/" + p.task().getSegmentIndex())
                        .toList(),
                first.task().getFrameCount(),
                first.width(),
                first.height(),
                first.steps(),
                (System.nanoTime() - started) / 1_000_000);
        return out;
    }

    private Prepared prepare(RenderTask task) throws RequestRejectedException, IOException, ObjectNotFoundException {
        ModelPack pack = PackStageService.packFor(packs, task.getModelPack());
        PackManifest m = pack.manifest();
        SegmentPlan plan = planOf(task, m);
        RequestInputs inputs = inputs(task, m.movesHands());
        if (inputs.width() % m.latent().downsample() != 0
                || inputs.height() % m.latent().downsample() != 0) {
            throw new RequestRejectedException(
                    ErrorCode.OPTION_INVALID,
                    "The output size " + inputs.width() + "×" + inputs.height() + " must be a multiple of "
                            + m.latent().downsample() + " for model pack " + m.name() + ".");
        }
        GenerationOptions o = task.getOptions();
        int steps = o.getSamplingSteps() != null
                ? o.getSamplingSteps()
                : m.scheduler().steps();
        Guidance guidance = new Guidance(
                o.getAudioGuidance() != null
                        ? o.getAudioGuidance()
                        : m.scheduler().audioGuidance(),
                o.getReferenceGuidance() != null
                        ? o.getReferenceGuidance()
                        : m.scheduler().referenceGuidance());
        float[][] pastFrames = null;
        if (pack.hasInput(ModelKind.DENOISER, "motion_frames")) {
            pastFrames = history.read(
                    plan,
                    task.getSegmentIndex(),
                    m.motionHistory().strides(),
                    task.getMotionHistory(),
                    inputs.height(),
                    inputs.width());
        }
        return new Prepared(
                task,
                pack,
                plan,
                inputs.width(),
                inputs.height(),
                new PortraitGenerator.Segment(
                        inputs.reference(),
                        inputs.landmarks(),
                        inputs.conditioning(),
                        task.getFrameStart(),
                        o.getSeed(),
                        pastFrames,
                        inputs.body()),
                steps,
                guidance,
                inputs.movementMap());
    }

    /** What every segment of a request reads: the reference image, its landmarks, the whole track's conditioning. */
    private record RequestInputs(
            int width,
            int height,
            float[] reference,
            float[] landmarks,
            PortraitGenerator.Conditioning conditioning,
            PortraitGenerator.BodyPoints body,
            MovementMap movementMap) {}

    /** The stored objects a task's {@link RequestInputs} come from; refs carry SHA-256, so equal keys mean equal content. */
    private record InputRefs(
            ObjectRef reference,
            ObjectRef landmarks,
            ObjectRef features,
            ObjectRef motion,
            BodyGeometry body,
            boolean handsMove) {}

    /** Far beyond any accepted audio (46 h at 25 fps), and small enough that a forged count plans in milliseconds. */
    static final int MAX_TOTAL_FRAMES = 1 << 22;

    /**
     * The pack's segment plan for the task's video, refusing a task that is not one of its segments (index, first
     * frame, frame count or segment count off): only feature's plan (or render's, chaining) makes a valid task.
     */
    static SegmentPlan planOf(RenderTask task, PackManifest m) throws RequestRejectedException {
        int index = task.getSegmentIndex();
        int total = task.getTotalFrames();
        SegmentPlan plan = total > 0 && total <= MAX_TOTAL_FRAMES ? SegmentPlan.of(total, m.clip()) : null;
        boolean planned = plan != null
                && index >= 0
                && index < plan.segments().size()
                && task.getSegmentCount() == plan.segments().size()
                && task.getFrameStart() == plan.segments().get(index).frameStart()
                && task.getFrameCount() == plan.segments().get(index).frameCount();
        if (!planned) {
            throw new RequestRejectedException(
                    ErrorCode.INTERNAL_ERROR,
                    "The render task for segment " + index + " of " + task.getSegmentCount() + " (frames from "
                            + task.getFrameStart() + ", " + task.getFrameCount() + " of " + task.getTotalFrames()
                            + ") is not a segment of model pack " + m.name() + "'s plan for this video.");
        }
        return plan;
    }

    /**
     * A request's inputs, loaded once per worker rather than once per segment (four downloads and an image
     * decode each time). Never read from the cache is anything but the verified content of the same objects.
     */
    private RequestInputs inputs(RenderTask task, boolean handsMove) throws IOException, ObjectNotFoundException {
        InputRefs refs = new InputRefs(
                task.getReference(),
                task.getFace().getLandmarks(),
                task.getFeatures(),
                task.getMotion(),
                task.getBody(),
                handsMove);
        RequestInputs cached = recentInputs.get(refs);
        if (cached != null) {
            return cached;
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(store.readAllBytes(refs.reference())));
        if (image == null) {
            throw new IllegalStateException(
                    "The stored reference " + refs.reference().getKey() + " is not an image");
        }
        float[] landmarks = readFloats(refs.landmarks()).data();
        Npy.FloatTensor features = readFloats(refs.features());
        Npy.FloatTensor motion = readFloats(refs.motion());
        PortraitGenerator.Conditioning conditioning = new PortraitGenerator.Conditioning(
                features.shape()[0], features.shape()[1], features.data(), motion.shape()[1], motion.data());
        PortraitGenerator.BodyPoints body =
                refs.body() == null ? PortraitGenerator.BodyPoints.NONE : bodyPoints(refs.body());
        RequestInputs loaded = new RequestInputs(
                image.getWidth(),
                image.getHeight(),
                Images.toRgbMinusOneToOne(image),
                landmarks,
                conditioning,
                body,
                refs.body() == null
                        ? null
                        : movementMap(
                                refs.body(), body, task.getFace(), image.getWidth(), image.getHeight(), handsMove));
        recentInputs.put(refs, loaded);
        return loaded;
    }

    /** The body's pose and hand landmarks as the denoiser takes them (the subject's left hand first). */
    private PortraitGenerator.BodyPoints bodyPoints(BodyGeometry body) throws IOException, ObjectNotFoundException {
        float[] pose = readFloats(body.getPoseLandmarks()).data();
        float[] hands = new float[2 * PortraitGenerator.BodyPoints.HAND_VALUES];
        for (HandGeometry hand : body.getHands()) {
            float[] points = readFloats(hand.getLandmarks()).data();
            int at = hand.getSide() == HandSide.LEFT ? 0 : PortraitGenerator.BodyPoints.HAND_VALUES;
            System.arraycopy(points, 0, hands, at, Math.min(points.length, PortraitGenerator.BodyPoints.HAND_VALUES));
        }
        try {
            return new PortraitGenerator.BodyPoints(pose, hands);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The stored body of this request is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * A half body's movement map: the person mask grown; the hands kept still when the pack does not move them,
     * and otherwise the forearms' and hands' reach added.
     */
    private MovementMap movementMap(
            BodyGeometry body,
            PortraitGenerator.BodyPoints points,
            FaceGeometry face,
            int width,
            int height,
            boolean handsMove)
            throws IOException, ObjectNotFoundException {
        byte[] pixels;
        try {
            pixels = Images.grayPixels(store.readAllBytes(body.getPersonMask()), width, height);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "The stored person mask " + body.getPersonMask().getKey() + " is " + e.getMessage(), e);
        }
        List<float[]> hands = new ArrayList<>();
        for (HandGeometry hand : body.getHands()) {
            hands.add(new float[] {
                hand.getBoxX(),
                hand.getBoxY(),
                hand.getBoxX() + hand.getBoxWidth(),
                hand.getBoxY() + hand.getBoxHeight()
            });
        }
        float[] faceBox = {
            face.getBoxX(), face.getBoxY(), face.getBoxX() + face.getBoxWidth(), face.getBoxY() + face.getBoxHeight()
        };
        return handsMove
                ? MovementMap.withMovingArms(pixels, width, height, faceBox, points.pose(), hands)
                : MovementMap.of(pixels, width, height, faceBox, hands);
    }

    /** Stores one segment's encoded frames ({@link FrameCodec}) and returns its events. */
    private List<OutboundEvent<?>> store(Prepared p, byte[] stored) {
        RenderTask task = p.task();
        PackManifest m = p.pack().manifest();
        GenerationOptions o = task.getOptions();
        ObjectRef framesRef = store.put(store.workBucket(), framesKey(task), stored, FrameCodec.CONTENT_TYPE);
        SegmentPlan plan = p.plan();
        int nextIndex = task.getSegmentIndex() + 1;
        SegmentRendered rendered = EventFields.copyEnvelope(task, SegmentRendered.newBuilder())
                .setSegmentIndex(task.getSegmentIndex())
                .setSegmentCount(task.getSegmentCount())
                .setFrameStart(task.getFrameStart())
                .setFrameCount(task.getFrameCount())
                .setOverlapFrames(task.getOverlapFrames())
                .setTotalFrames(task.getTotalFrames())
                .setFps(o.getFps() != null ? o.getFps() : m.fps())
                .setWidth(p.width())
                .setHeight(p.height())
                .setFrames(framesRef)
                .setReference(task.getReference())
                .setLandmarks(task.getFace().getLandmarks())
                .setBody(task.getBody())
                .setAudio(task.getAudio())
                .setOriginalAudio(task.getOriginalAudio())
                .setAudioDurationMs(task.getAudioDurationMs())
                .setNextFrameStart(
                        nextIndex < plan.segments().size()
                                ? plan.segments().get(nextIndex).frameStart()
                                : null)
                // Compute time is not deterministic; it stays out of the event so a re-render emits an equal one.
                .setRenderMillis(0)
                .build();
        List<OutboundEvent<?>> out = new ArrayList<>();
        out.add(OutboundEvent.of(Topics.SEGMENTS_RENDERED, task.getRequestId(), rendered));
        if (task.getSegmentMode() == SegmentMode.CHAINED && task.getSegmentIndex() + 1 < task.getSegmentCount()) {
            RenderTask next = nextTask(task, plan, framesRef);
            out.add(OutboundEvent.of(
                            Topics.RENDER_TASKS,
                            Topics.renderTaskKey(next.getRequestId(), next.getSegmentIndex()),
                            next)
                    .spread(Topics.renderTaskSpread(next.getRequestId(), next.getSegmentIndex())));
        }
        return out;
    }

    /** The next chained segment of the same plan, its history extended with this segment's frames. */
    static RenderTask nextTask(RenderTask task, SegmentPlan plan, ObjectRef framesRef) {
        SegmentPlan.Segment next = plan.segments().get(task.getSegmentIndex() + 1);
        List<ObjectRef> rendered = new ArrayList<>(task.getMotionHistory());
        rendered.add(framesRef);
        return RenderTask.newBuilder(task)
                .setSegmentIndex(next.index())
                .setFrameStart(next.frameStart())
                .setFrameCount(next.frameCount())
                .setOverlapFrames(plan.overlapOf(next.index()))
                .setMotionHistory(rendered)
                .build();
    }

    private Npy.FloatTensor readFloats(ObjectRef ref) throws IOException, ObjectNotFoundException {
        try (InputStream in = store.open(ref)) {
            return Npy.read(in);
        }
    }
}
