package io.loopline.render;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.loopline.core.errors.ErrorCode;
import io.loopline.core.errors.RequestRejectedException;
import io.loopline.core.kafka.InboundEvent;
import io.loopline.core.kafka.OutboundEvent;
import io.loopline.core.kafka.StageProcessor;
import io.loopline.core.storage.ObjectKeys;
import io.loopline.core.storage.ObjectNotFoundException;
import io.loopline.core.storage.ObjectStore;
import io.loopline.core.tensor.FrameCodec;
import io.loopline.core.tensor.Npy;
import io.loopline.events.GenerationOptions;
import io.loopline.events.ObjectRef;
import io.loopline.events.RenderTask;
import io.loopline.events.SegmentMode;
import io.loopline.events.SegmentRendered;
import io.loopline.events.Stage;
import io.loopline.model.Images;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.scheduler.Guidance;
import io.loopline.schemas.Topics;

/**
 * Render's work on one segment: load the reference, its landmarks and the segment's rows of the
 * conditioning, run the pack's diffusion loop, store the frames ({@link FrameCodec}) under the
 * segment's deterministic key, and emit {@code segments.rendered} — in chained mode also the next
 * segment's task. Same task and seed ⇒ the same bytes, so a re-render after a crash changes nothing.
 */
public final class RenderProcessor implements StageProcessor<RenderTask> {

    private static final Logger log = LoggerFactory.getLogger(RenderProcessor.class);

    private final RenderConfig config;
    private final ObjectStore store;
    private final PackRegistry packs;
    /** Per pack; a processor belongs to one worker thread, and a generator reuses its native buffers. */
    private final java.util.Map<String, PortraitGenerator> generators = new java.util.HashMap<>();

    public RenderProcessor(RenderConfig config, ObjectStore store, PackRegistry packs) {
        this.config = config;
        this.store = store;
        this.packs = packs;
    }

    static String framesKey(RenderTask task) {
        return ObjectKeys.derived(task.getTenant(), task.getRequestId(), Stage.RENDER,
            String.format(Locale.ROOT, "segment-%04d%s", task.getSegmentIndex(), FrameCodec.EXTENSION));
    }

    @Override
    public List<OutboundEvent<?>> process(InboundEvent<RenderTask> event) throws RequestRejectedException, IOException, ObjectNotFoundException {
        RenderTask task = event.value();
        long started = System.nanoTime();
        ModelPack pack = packs.forRequest(task.getModelPack());
        PackManifest m = pack.manifest();

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(store.readAllBytes(task.getReference())));
        if (image == null) {
            throw new IllegalStateException("The stored reference " + task.getReference().getKey() + " is not an image");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        if (width % m.latent().downsample() != 0 || height % m.latent().downsample() != 0) {
            throw new RequestRejectedException(ErrorCode.OPTION_INVALID, "The output size " + width + "×" + height
                + " must be a multiple of " + m.latent().downsample() + " for model pack " + m.name() + ".");
        }
        float[] reference = Images.toRgbMinusOneToOne(image);
        float[] landmarks = readFloats(task.getFace().getLandmarks()).data();
        Npy.FloatTensor features = readFloats(task.getFeatures());
        Npy.FloatTensor motion = readFloats(task.getMotion());
        PortraitGenerator.Conditioning conditioning = new PortraitGenerator.Conditioning(features.shape()[0], features.shape()[1],
            features.data(), motion.shape()[1], motion.data());

        GenerationOptions o = task.getOptions();
        int steps = o.getSamplingSteps() != null ? o.getSamplingSteps() : m.scheduler().steps();
        Guidance guidance = new Guidance(o.getAudioGuidance() != null ? o.getAudioGuidance() : m.scheduler().audioGuidance(),
            o.getReferenceGuidance() != null ? o.getReferenceGuidance() : m.scheduler().referenceGuidance());
        PortraitGenerator generator = generators.computeIfAbsent(m.name(), n -> new PortraitGenerator(pack, packs.sessions().environment()));
        float[] frames = generator.render(reference, height, width, landmarks, conditioning, task.getFrameStart(), task.getFrameCount(),
            o.getSeed(), steps, guidance);
        byte[] stored = FrameCodec.encode(FrameCodec.toRgb8(frames, task.getFrameCount(), height, width), task.getFrameCount(),
            height, width, config.frameCompressionLevel());
        ObjectRef framesRef = store.put(store.workBucket(), framesKey(task), stored, FrameCodec.CONTENT_TYPE);
        long millis = (System.nanoTime() - started) / 1_000_000;

        SegmentRendered rendered = SegmentRendered.newBuilder()
            .setRequestId(task.getRequestId()).setTenant(task.getTenant()).setRequestedAt(task.getRequestedAt())
            .setSegmentIndex(task.getSegmentIndex()).setSegmentCount(task.getSegmentCount())
            .setFrameStart(task.getFrameStart()).setFrameCount(task.getFrameCount()).setOverlapFrames(task.getOverlapFrames())
            .setTotalFrames(task.getTotalFrames()).setFps(o.getFps() != null ? o.getFps() : m.fps())
            .setWidth(width).setHeight(height).setFrames(framesRef)
            .setOriginalAudio(task.getOriginalAudio()).setAudioDurationMs(task.getAudioDurationMs())
            // Compute time is not deterministic; it stays out of the event so a re-render emits an equal one.
            .setRenderMillis(0)
            .build();
        List<OutboundEvent<?>> out = new ArrayList<>();
        out.add(OutboundEvent.of(Topics.SEGMENTS_RENDERED, task.getRequestId(), rendered));
        if (task.getSegmentMode() == SegmentMode.CHAINED && task.getSegmentIndex() + 1 < task.getSegmentCount()) {
            RenderTask next = nextTask(task, m, framesRef);
            out.add(OutboundEvent.of(Topics.RENDER_TASKS, Topics.renderTaskKey(next.getRequestId(), next.getSegmentIndex()), next)
                .spread(Topics.renderTaskSpread(next.getRequestId(), next.getSegmentIndex())));
        }
        log.info("Rendered {} segment {}/{} ({} frames at {}×{}, {} steps) in {} ms", task.getRequestId(), task.getSegmentIndex() + 1,
            task.getSegmentCount(), task.getFrameCount(), width, height, steps, millis);
        return out;
    }

    /** The next chained segment: same plan, history extended with this segment's frames. */
    static RenderTask nextTask(RenderTask task, PackManifest m, ObjectRef framesRef) {
        int stride = m.clip().frames() - m.clip().overlap();
        List<ObjectRef> history = new ArrayList<>(task.getMotionHistory());
        history.add(framesRef);
        return RenderTask.newBuilder(task)
            .setSegmentIndex(task.getSegmentIndex() + 1)
            .setFrameStart(task.getFrameStart() + stride)
            .setOverlapFrames(m.clip().overlap())
            .setMotionHistory(history)
            .build();
    }

    private Npy.FloatTensor readFloats(ObjectRef ref) throws IOException, ObjectNotFoundException {
        try (InputStream in = store.open(ref)) {
            return Npy.read(in);
        }
    }
}
