package io.loopline.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.loopline.model.audio.LogMel;
import io.loopline.model.audio.Pitch;
import io.loopline.model.audio.Visemes;
import io.loopline.model.pack.ManifestNames;
import io.loopline.model.pack.ModelKind;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.runtime.ModelRuntimeException;
import io.loopline.model.scheduler.DdimScheduler;
import io.loopline.model.scheduler.EulerScheduler;
import io.loopline.model.scheduler.Guidance;
import io.loopline.model.scheduler.NoiseSchedule;
import io.loopline.model.scheduler.PredictionType;
import io.loopline.model.scheduler.Scheduler;
import io.loopline.model.scheduler.SchedulerType;
import io.loopline.model.scheduler.SeededNoise;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a model pack: {@link #condition} turns the whole audio into per-frame audio features and
 * motion latents (audio encoder, visemes, A2L), {@link #render} samples the frames of one range with
 * the diffusion loop (VAE encode of the reference, scheduler + denoiser with guidance, VAE decode).
 * Deterministic: the same inputs and seed give bit-identical frames, whichever process renders them.
 *
 * <p>One instance per thread: it keeps the native (direct) buffers its model inputs are copied into
 * and the denoiser writes into, and reuses them from call to call — allocating tens of megabytes of
 * direct memory per call makes the JVM stall in {@code System.gc()} to free the previous ones.
 */
public final class PortraitGenerator {

    /** Noise stream ids, so that conditioning and each range draw independent, reproducible noise. */
    private static final long A2L_NOISE = 1;

    private static final long SAMPLING_NOISE = 2;

    private final ModelPack pack;
    private final OrtEnvironment env;
    private final Visemes visemes;
    private final Pitch pitch;
    /** Reused native buffers: model inputs copied in, model outputs written by ONNX Runtime. */
    private final Map<String, FloatBuffer> directBuffers = new HashMap<>();
    /** Reused heap arrays the denoiser's predictions are read into. */
    private final Map<String, float[]> outputArrays = new HashMap<>();
    /** Frames the VAE decodes per call: batched for speed, bounded for a learned decoder's memory. */
    private static final int DECODE_BATCH = 8;

    public PortraitGenerator(ModelPack pack, OrtEnvironment env) {
        this.pack = pack;
        this.env = env;
        this.visemes = pack.hasInput(ModelKind.A2L, "visemes") ? new Visemes() : null;
        this.pitch = pack.hasInput(ModelKind.A2L, "pitch") ? new Pitch() : null;
    }

    /** Per-frame conditioning of a whole audio track: [frames, featureDim] features and [frames, motionDim] motion. */
    public record Conditioning(int frames, int featureDim, float[] features, int motionDim, float[] motion) {
        float[] featureRows(int start, int count) {
            return rows(features, featureDim, start, count);
        }

        float[] motionRows(int start, int count) {
            return rows(motion, motionDim, start, count);
        }

        private float[] rows(float[] data, int width, int start, int count) {
            float[] out = new float[count * width];
            for (int f = 0; f < count; f++) {
                // Past the end (the last segment's padding) the last frame repeats.
                int src = Math.min(frames - 1, start + f);
                System.arraycopy(data, src * width, out, f * width, width);
            }
            return out;
        }
    }

    public Conditioning condition(float[] audio16k, long seed) {
        PackManifest m = pack.manifest();
        int frames = LogMel.videoFrames(audio16k.length, m.fps());
        PackManifest.AudioSpec a = m.audio();
        float[] mel = LogMel.perVideoFrame(audio16k, a, m.fps(), frames);
        try (OnnxTensor melTensor = tensor("mel", mel, frames, a.melBands(), a.contextFrames())) {
            Map<String, OnnxValue> encoded = pack.run(ModelKind.AUDIO_ENCODER, Map.of("mel", melTensor));
            float[] features = floats(encoded.get("features"));
            encoded.values().forEach(OnnxValue::close);
            int featureDim = features.length / frames;
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("features", tensor("features", features, frames, featureDim));
            if (visemes != null) {
                inputs.put(
                        "visemes",
                        tensor(
                                "visemes",
                                rows(visemes.perVideoFrame(audio16k, m.fps(), frames), Visemes.COUNT),
                                frames,
                                Visemes.COUNT));
            }
            if (pitch != null) {
                inputs.put(
                        "pitch",
                        tensor(
                                "pitch",
                                rows(pitch.perVideoFrame(audio16k, m.fps(), frames), Pitch.COUNT),
                                frames,
                                Pitch.COUNT));
            }
            if (pack.hasInput(ModelKind.A2L, "noise")) {
                int width = a2lNoiseWidth();
                inputs.put("noise", tensor("a2l_noise", a2lNoise(seed, frames, width), frames, width));
            }
            try {
                Map<String, OnnxValue> out = pack.run(ModelKind.A2L, inputs);
                float[] motion = floats(out.get("motion"));
                out.values().forEach(OnnxValue::close);
                return new Conditioning(frames, featureDim, features, motion.length / frames, motion);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    /** Per-frame rows of {@code width} values as one [frames, width] array. */
    private static float[] rows(float[][] perFrame, int width) {
        float[] flat = new float[perFrame.length * width];
        for (int f = 0; f < perFrame.length; f++) {
            System.arraycopy(perFrame[f], 0, flat, f * width, width);
        }
        return flat;
    }

    /** The A2L's noise columns, as its manifest declares them ([frames, N]). */
    private int a2lNoiseWidth() {
        for (PackManifest.TensorSpec t :
                pack.manifest().models().get(ModelKind.A2L.key()).inputs()) {
            if (t.role().equals("noise") && t.shape().size() == 2 && t.shape().get(1) instanceof Number n) {
                return n.intValue();
            }
        }
        throw new IllegalStateException(
                "Model pack " + pack.manifest().name() + ": the A2L's noise input needs a fixed width, [frames, N]");
    }

    /** Column 0 uniform in [0, 1), the others standard normal: the layout the reference A2L documents. */
    private static float[] a2lNoise(long seed, int frames, int width) {
        SeededNoise noise = SeededNoise.of(seed, A2L_NOISE);
        float[] gaussian = noise.gaussian(frames * width);
        for (int f = 0; f < frames; f++) {
            gaussian[f * width] = (float) noise.uniform();
        }
        return gaussian;
    }

    /**
     * Renders frames [start, start + count) as RGB images in [-1, 1], layout [3, count, height, width].
     *
     * @param reference RGB [3, height, width] in [-1, 1]
     * @param landmarks 468 × (x, y, z) in reference pixels (used when the denoiser takes them)
     */
    public float[] render(
            float[] reference,
            int height,
            int width,
            float[] landmarks,
            Conditioning c,
            int start,
            int count,
            long seed,
            int steps,
            Guidance guidance) {
        return renderBatch(
                        List.of(new Segment(reference, landmarks, c, start, seed)),
                        height,
                        width,
                        count,
                        steps,
                        guidance)
                .get(0);
    }

    /**
     * One segment of a batch: its reference, landmarks, conditioning, first frame and seed, and — for a pack
     * whose denoiser takes {@code motion_frames} — its motion history: the {@code motionHistory.count} frames
     * the pack's strides name, each RGB [3, height, width] in [-1, 1], null for a frame before the video's
     * start (its latents are zeros). {@code history} itself is null for a pack without history.
     */
    public record Segment(
            float[] reference,
            float[] landmarks,
            Conditioning conditioning,
            int start,
            long seed,
            float[][] history,
            BodyPoints body) {
        public Segment(float[] reference, float[] landmarks, Conditioning conditioning, int start, long seed) {
            this(reference, landmarks, conditioning, start, seed, null, BodyPoints.NONE);
        }

        public Segment(
                float[] reference,
                float[] landmarks,
                Conditioning conditioning,
                int start,
                long seed,
                float[][] history) {
            this(reference, landmarks, conditioning, start, seed, history, BodyPoints.NONE);
        }
    }

    /**
     * The body of a half-body reference, for a denoiser that takes {@code pose} and {@code hands}: the pose's 33
     * landmarks × (x, y, z, visibility) and each hand's 21 × (x, y, z), the subject's left first, zeros for a hand
     * not found. {@link #NONE} (all zeros) for a portrait.
     */
    public record BodyPoints(float[] pose, float[] hands) {
        public static final int POSE_VALUES = 33 * 4;
        public static final int HAND_VALUES = 21 * 3;
        public static final BodyPoints NONE = new BodyPoints(new float[POSE_VALUES], new float[2 * HAND_VALUES]);

        public BodyPoints {
            if (pose.length != POSE_VALUES || hands.length != 2 * HAND_VALUES) {
                throw new IllegalArgumentException("A body is 33 × 4 pose values and 2 × 21 × 3 hand values, not "
                        + pose.length + " and " + hands.length);
            }
        }
    }

    /**
     * Renders several segments of the same size, length, steps and guidance with one denoiser run per
     * step and pass (the pack's batch dimension). Each segment draws its own noise and is stepped on
     * its own, so a batch of one is exactly {@link #render}; in a larger batch only the model's own
     * arithmetic may round differently (see docs/render.md).
     */
    public List<float[]> renderBatch(
            List<Segment> segments, int height, int width, int count, int steps, Guidance guidance) {
        return frames(segments, height, width, count, steps, guidance, false);
    }

    /**
     * {@link #renderBatch}, handing each segment's frames [3, F, H, W] to {@code use} with the segment's index
     * in {@code segments}, while they are valid, and returning what it makes of them: the frames may be an array
     * this generator reuses for its next segments (a fresh frame-sized array per segment costs more in page
     * faults than using it).
     */
    public <T> List<T> renderBatch(
            List<Segment> segments,
            int height,
            int width,
            int count,
            int steps,
            Guidance guidance,
            BiFunction<Integer, float[], T> use) {
        List<float[]> frames = frames(segments, height, width, count, steps, guidance, true);
        List<T> out = new ArrayList<>(frames.size());
        for (int k = 0; k < frames.size(); k++) {
            out.add(use.apply(k, frames.get(k)));
        }
        return out;
    }

    private List<float[]> frames(
            List<Segment> segments, int height, int width, int count, int steps, Guidance guidance, boolean reusable) {
        PackManifest m = pack.manifest();
        int down = m.latent().downsample();
        int channels = m.latent().channels();
        int lh = height / down;
        int lw = width / down;
        int b = segments.size();
        int sampleSize = channels * count * lh * lw;
        Scheduler scheduler = scheduler(m.scheduler(), steps);
        float[][] refLatents = new float[b][];
        for (int k = 0; k < b; k++) {
            Segment s = segments.get(k);
            if (pack.isIdentity(ModelKind.VAE_ENCODER)) {
                refLatents[k] = s.reference(); // read only from here on
            } else {
                try (OnnxTensor image = tensor("image", s.reference(), 1, 3, height, width)) {
                    refLatents[k] = single(ModelKind.VAE_ENCODER, Map.of("image", image), "latents");
                }
            }
        }
        Conditioning c0 = segments.get(0).conditioning();
        int historyCount = pack.hasInput(ModelKind.DENOISER, "motion_frames")
                ? m.motionHistory().count()
                : 0;
        Inputs in = new Inputs(
                concat(refLatents),
                concat(segments, s -> s.conditioning().featureRows(s.start(), count)),
                concat(segments, s -> s.conditioning().motionRows(s.start(), count)),
                concat(segments, Segment::landmarks),
                concat(segments, s -> s.body().pose()),
                concat(segments, s -> s.body().hands()),
                historyCount == 0
                        ? null
                        : concat(segments, s -> historyLatents(s, historyCount, channels, lh, lw, height, width)),
                new Batch(b, count, channels, lh, lw, c0.featureDim(), c0.motionDim(), historyCount));
        float[][] x = new float[b][];
        if (!pack.hasInput(ModelKind.DENOISER, "noisy_latents")) {
            // A direct generator: one pass gives the clean latents (whatever the steps, a sampler would end on that
            // prediction), so no noise is drawn and no sampler runs.
            float[] out = predict(null, scheduler.timestep(0), in, guidance);
            for (int k = 0; k < b; k++) {
                x[k] = b == 1
                        ? (reusable ? out : out.clone())
                        : Arrays.copyOfRange(out, k * sampleSize, (k + 1) * sampleSize);
            }
        } else {
            SeededNoise[] noise = new SeededNoise[b];
            for (int k = 0; k < b; k++) {
                Segment s = segments.get(k);
                noise[k] = SeededNoise.of(s.seed(), SAMPLING_NOISE, s.start());
                x[k] = scheduler.initialSample(noise[k].gaussian(sampleSize));
            }
            for (int i = 0; i < scheduler.steps(); i++) {
                float[][] scaled = new float[b][];
                for (int k = 0; k < b; k++) {
                    scaled[k] = scheduler.scaleInput(x[k], i);
                }
                float[] out = predict(concat(scaled), scheduler.timestep(i), in, guidance);
                for (int k = 0; k < b; k++) {
                    float[] mine = b == 1 ? out : Arrays.copyOfRange(out, k * sampleSize, (k + 1) * sampleSize);
                    scheduler.step(mine, i, x[k], noise[k]);
                }
            }
        }
        List<float[]> frames = new ArrayList<>(b);
        for (int k = 0; k < b; k++) {
            frames.add(decodeFrames(x[k], count, channels, lh, lw, height, width));
        }
        return frames;
    }

    /** Dimensions of a denoiser batch; {@code history} frames of motion history (0: the denoiser takes none). */
    private record Batch(
            int size, int count, int channels, int lh, int lw, int featureDim, int motionDim, int history) {}

    /**
     * What the denoiser is conditioned on for a batch, the same at every step; {@code history} is the motion
     * frames' latents [B, C, K, h, w], or null.
     */
    private record Inputs(
            float[] references,
            float[] features,
            float[] motion,
            float[] landmarks,
            float[] pose,
            float[] hands,
            float[] history,
            Batch shape) {}

    /**
     * A segment's motion history as the denoiser takes it, [C, K, h, w]: each frame through the VAE encoder
     * (the identity VAE's latents are the frame itself), zeros for a frame that does not exist.
     */
    private float[] historyLatents(Segment s, int k, int channels, int lh, int lw, int height, int width) {
        if (s.history() == null || s.history().length != k) {
            throw new IllegalArgumentException("Model pack " + pack.manifest().name() + " conditions on " + k
                    + " history frames; the segment at frame " + s.start() + " brings "
                    + (s.history() == null ? "none" : s.history().length));
        }
        int plane = lh * lw;
        float[] out = new float[channels * k * plane];
        for (int j = 0; j < k; j++) {
            float[] frame = s.history()[j];
            if (frame == null) {
                continue;
            }
            float[] latents;
            if (pack.isIdentity(ModelKind.VAE_ENCODER)) {
                latents = frame;
            } else {
                try (OnnxTensor image = tensor("image", frame, 1, 3, height, width)) {
                    latents = single(ModelKind.VAE_ENCODER, Map.of("image", image), "latents");
                }
            }
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(latents, ch * plane, out, (ch * k + j) * plane, plane);
            }
        }
        return out;
    }

    /**
     * The denoiser's prediction for the batch at {@code timestep}, guided: with guidance, also without
     * audio and motion, and without anything, combined. {@code noisy} is null for a direct generator.
     * The result may be a reused array, valid until the next call.
     */
    private float[] predict(float[] noisy, int timestep, Inputs in, Guidance guidance) {
        if (Thread.currentThread().isInterrupted()) {
            // A stopping worker abandons the segment; another renders it from the start.
            throw new CancellationException("Rendering interrupted");
        }
        float[] out = denoise(
                "prediction",
                noisy,
                timestep,
                in.references(),
                in.features(),
                in.motion(),
                in,
                in.history(),
                in.shape());
        if (!guidance.needsExtraPasses()) {
            return out;
        }
        float[] zeroFeatures = new float[in.features().length];
        float[] zeroMotion = new float[in.motion().length];
        float[] referenceOnly = denoise(
                "prediction_reference_only",
                noisy,
                timestep,
                in.references(),
                zeroFeatures,
                zeroMotion,
                in,
                in.history(),
                in.shape());
        // Unconditional: without the reference, and without the past frames that carry its look too.
        float[] unconditional = denoise(
                "prediction_unconditional",
                noisy,
                timestep,
                new float[in.references().length],
                zeroFeatures,
                zeroMotion,
                in,
                in.history() == null ? null : new float[in.history().length],
                in.shape());
        return guidance.combine(unconditional, referenceOnly, out);
    }

    private static float[] concat(List<Segment> segments, Function<Segment, float[]> part) {
        float[][] parts = new float[segments.size()][];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = part.apply(segments.get(k));
        }
        return concat(parts);
    }

    private static float[] concat(float[][] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * One denoiser run. Its prediction lands in this instance's reusable array {@code slot}, valid until
     * the next run with that slot: ONNX Runtime writes it into a reused direct buffer (when the pack's
     * outputs are float32) — a fresh frame-sized output and its heap copy per run cost more in page
     * faults than copying out of the buffer. {@code x} is null for a direct generator (no noisy_latents
     * input).
     */
    private float[] denoise(
            String slot,
            float[] x,
            int timestep,
            float[] refLatents,
            float[] features,
            float[] motion,
            Inputs geometry,
            float[] history,
            Batch s) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        int size = s.size() * s.channels() * s.count() * s.lh() * s.lw();
        try {
            if (x != null) {
                inputs.put(
                        "noisy_latents", tensor("noisy_latents", x, s.size(), s.channels(), s.count(), s.lh(), s.lw()));
            }
            if (pack.hasInput(ModelKind.DENOISER, "timestep")) {
                long[] timesteps = new long[s.size()];
                Arrays.fill(timesteps, timestep);
                inputs.put("timestep", OnnxTensor.createTensor(env, LongBuffer.wrap(timesteps), new long[] {s.size()}));
            }
            inputs.put(
                    "reference_latents",
                    tensor("reference_latents", refLatents, s.size(), s.channels(), s.lh(), s.lw()));
            inputs.put("audio_features", tensor("audio_features", features, s.size(), s.count(), s.featureDim()));
            inputs.put("motion", tensor("motion", motion, s.size(), s.count(), s.motionDim()));
            if (pack.hasInput(ModelKind.DENOISER, "landmarks")) {
                inputs.put("landmarks", tensor("landmarks", geometry.landmarks(), s.size(), 468, 3));
            }
            if (pack.hasInput(ModelKind.DENOISER, "pose")) {
                inputs.put("pose", tensor("pose", geometry.pose(), s.size(), 33, 4));
            }
            if (pack.hasInput(ModelKind.DENOISER, "hands")) {
                inputs.put("hands", tensor("hands", geometry.hands(), s.size(), 2, 21, 3));
            }
            if (history != null) {
                inputs.put(
                        "motion_frames",
                        tensor("motion_frames", history, s.size(), s.channels(), s.history(), s.lh(), s.lw()));
            }
            if (!pack.hasFloatOutputs(ModelKind.DENOISER)) {
                return single(ModelKind.DENOISER, inputs, "prediction");
            }
            FloatBuffer target = buffer(slot, size);
            try (OnnxTensor into = OnnxTensor.createTensor(
                    env, target, new long[] {s.size(), s.channels(), s.count(), s.lh(), s.lw()})) {
                pack.runInto(ModelKind.DENOISER, inputs, "prediction", into);
            }
            float[] prediction = outputArrays.get(slot);
            if (prediction == null || prediction.length != size) {
                prediction = new float[size];
                outputArrays.put(slot, prediction);
            }
            target.rewind();
            target.get(prediction);
            return prediction;
        } catch (OrtException e) {
            throw new ModelRuntimeException("Cannot build the denoiser inputs: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The VAE decodes {@value #DECODE_BATCH} frames per call: [k, C, h, w] → [k, 3, H, W]; output [3, F, H, W].
     * An identity VAE (RGB latents) is skipped: the latents already are the frames, in that layout.
     */
    private float[] decodeFrames(float[] all, int count, int channels, int lh, int lw, int height, int width) {
        if (pack.isIdentity(ModelKind.VAE_DECODER) && channels == 3 && lh == height && lw == width) {
            return all;
        }
        float[] out = new float[3 * count * height * width];
        int plane = lh * lw;
        int image = height * width;
        for (int first = 0; first < count; first += DECODE_BATCH) {
            int k = Math.min(DECODE_BATCH, count - first);
            float[] batch = new float[k * channels * plane];
            for (int f = 0; f < k; f++) {
                for (int ch = 0; ch < channels; ch++) {
                    System.arraycopy(all, (ch * count + first + f) * plane, batch, (f * channels + ch) * plane, plane);
                }
            }
            try (OnnxTensor t = tensor("vae_latents", batch, k, channels, lh, lw)) {
                float[] rgb = single(ModelKind.VAE_DECODER, Map.of("latents", t), "image");
                for (int f = 0; f < k; f++) {
                    for (int ch = 0; ch < 3; ch++) {
                        System.arraycopy(rgb, (f * 3 + ch) * image, out, (ch * count + first + f) * image, image);
                    }
                }
            }
        }
        return out;
    }

    private float[] single(ModelKind kind, Map<String, OnnxTensor> inputs, String output) {
        Map<String, OnnxValue> out = pack.run(kind, inputs);
        try {
            return floats(out.get(output));
        } finally {
            out.values().forEach(OnnxValue::close);
        }
    }

    private static Scheduler scheduler(PackManifest.SchedulerSpec s, int steps) {
        NoiseSchedule schedule = NoiseSchedule.of(
                ManifestNames.parse(NoiseSchedule.BetaSchedule.class, s.betaSchedule()),
                s.betaStart(),
                s.betaEnd(),
                s.trainTimesteps());
        PredictionType prediction = ManifestNames.parse(PredictionType.class, s.prediction());
        return switch (ManifestNames.parse(SchedulerType.class, s.type())) {
            case EULER -> new EulerScheduler(schedule, prediction, steps);
            case DDIM -> new DdimScheduler(schedule, prediction, steps, s.eta());
        };
    }

    /** This instance's reusable direct buffer {@code slot}, cleared, limited to {@code size} floats. */
    private FloatBuffer buffer(String slot, int size) {
        FloatBuffer buffer = directBuffers.get(slot);
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(size * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            directBuffers.put(slot, buffer);
        }
        buffer.clear().limit(size);
        return buffer;
    }

    /** A tensor over this instance's reusable direct buffer {@code slot}, holding a copy of {@code data}. */
    private OnnxTensor tensor(String slot, float[] data, long... shape) {
        FloatBuffer buffer = buffer(slot, data.length);
        buffer.put(data).flip();
        try {
            return OnnxTensor.createTensor(env, buffer, shape);
        } catch (OrtException e) {
            throw new ModelRuntimeException("Cannot create a tensor: " + e.getMessage(), e);
        }
    }

    private static float[] floats(OnnxValue value) {
        FloatBuffer buffer =
                ((OnnxTensor) value).getFloatBuffer(); // already a heap copy: take its array when it is whole
        if (buffer.hasArray()
                && buffer.arrayOffset() == 0
                && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
