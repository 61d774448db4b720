package io.loopline.model.pack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pack.json}: what a model pack is and how to run it. docs/model-packs.md documents every
 * field; {@link PackLoader} validates it against the ONNX files' own metadata.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PackManifest(
        String format,
        String name,
        String version,
        String description,
        int fps,
        int width,
        int height,
        Latent latent,
        Clip clip,
        MotionHistory motionHistory,
        String segmentMode,
        SchedulerSpec scheduler,
        AudioSpec audio,
        Map<String, ModelSpec> models,
        List<String> motionChannels) {

    /**
     * Motion channels that move the body: a pack that declares any needs the body's pose ({@code pose}) in its
     * denoiser. docs/model-packs.md gives each one's meaning.
     */
    public static final Set<String> BODY_CHANNELS =
            Set.of("shoulders", "lean", "arm_left", "arm_right", "wrist_left", "wrist_right");

    /** Body channels that move the forearms and hands: render then lets the hands move (the body movement map). */
    public static final Set<String> HAND_CHANNELS = Set.of("arm_left", "arm_right", "wrist_left", "wrist_right");

    /** Whether the pack animates the hands: it declares a channel of {@link #HAND_CHANNELS}. */
    public boolean movesHands() {
        return motionChannels != null && motionChannels.stream().anyMatch(HAND_CHANNELS::contains);
    }

    /** This manifest with what a variant of a pack changes: its name, clip, motion history, segment mode and models. */
    public PackManifest with(
            String name, Clip clip, MotionHistory history, String segmentMode, Map<String, ModelSpec> models) {
        return new PackManifest(
                format,
                name,
                version,
                description,
                fps,
                width,
                height,
                latent,
                clip,
                history,
                segmentMode,
                scheduler,
                audio,
                models,
                motionChannels);
    }

    /** This manifest with other {@code motionChannels} (null: the channels are not named). */
    public PackManifest withMotionChannels(List<String> channels) {
        return new PackManifest(
                format,
                name,
                version,
                description,
                fps,
                width,
                height,
                latent,
                clip,
                motionHistory,
                segmentMode,
                scheduler,
                audio,
                models,
                channels);
    }

    /**
     * How a pack's segments relate ({@code segmentMode}): rendered each on its own, or each from the
     * frames of the ones before it (Loopy's motion history).
     */
    public enum Segmentation {
        INDEPENDENT,
        CHAINED
    }

    /** {@code segmentMode} as its constant; IllegalArgumentException if the manifest names none. */
    public Segmentation segmentation() {
        return ManifestNames.parse(Segmentation.class, segmentMode);
    }

    /** The only format this runtime reads. */
    public static final String FORMAT = "loopline-pack/1";

    /**
     * The latent space.
     *
     * @param channels   latent channels
     * @param downsample image pixels per latent pixel, per side
     * @param encoding   what the VAE does, in words (e.g. "identity: latents are the RGB image in [-1, 1]")
     */
    public record Latent(int channels, int downsample, String encoding) {}

    /**
     * Clip segmentation.
     *
     * @param frames  frames rendered per segment, overlap included
     * @param overlap frames shared with the previous segment and blended by mux
     */
    public record Clip(int frames, int overlap) {

        /** Frames from one segment's start to the next's. */
        public int stride() {
            return frames - overlap;
        }
    }

    /**
     * Loopy's Temporal Segment Module: past frames a segment is conditioned on, taken at these
     * strides back from the segment's first frame (e.g. [1, 4, 16, 64] reaches 64 frames back).
     */
    public record MotionHistory(int count, List<Integer> strides) {}

    /**
     * @param type             {@code ddim} or {@code euler}
     * @param prediction       {@code epsilon} or {@code v_prediction}
     * @param betaSchedule     {@code linear} or {@code scaled_linear}
     * @param eta              DDIM's η (0: deterministic)
     * @param audioGuidance    default classifier-free guidance scale of the audio condition
     * @param referenceGuidance default scale of the reference condition
     */
    public record SchedulerSpec(
            String type,
            int steps,
            String prediction,
            String betaSchedule,
            double betaStart,
            double betaEnd,
            int trainTimesteps,
            double eta,
            float audioGuidance,
            float referenceGuidance) {}

    /**
     * The log-mel features the runtime computes for the audio encoder, aligned to video frames.
     *
     * @param sampleRate    audio rate the features are computed at (16000)
     * @param windowSamples STFT window length
     * @param hopSamples    STFT hop
     * @param melBands      mel bands
     * @param contextFrames mel frames given per video frame (centred on it)
     */
    public record AudioSpec(
            int sampleRate,
            int windowSamples,
            int hopSamples,
            int melBands,
            double minHz,
            double maxHz,
            int contextFrames) {}

    /** One ONNX file and the role of each of its tensors. */
    public record ModelSpec(String file, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

    /**
     * A tensor: its role (what the runtime feeds or reads), its name in the ONNX file, element type
     * ({@code float32}, {@code float16}, {@code int64}) and shape — integers for fixed sizes, names for
     * symbolic ones (e.g. {@code ["batch", 3, "frames", 64, 64]}).
     */
    public record TensorSpec(String role, String name, String dtype, List<Object> shape) {}
}
