package io.loopline.model.reference;

import io.loopline.model.audio.Pitch;
import io.loopline.model.audio.Visemes;
import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import io.loopline.model.pack.ManifestNames;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.pack.PackManifest.TensorSpec;
import io.loopline.model.scheduler.NoiseSchedule;
import io.loopline.model.scheduler.PredictionType;
import io.loopline.model.scheduler.SchedulerType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The reference model pack: training-free, built by this code (no download), with the same contract
 * as a learned pack. Audio encoder and A2L turn speech into motion latents (visemes from HeadAudio's
 * prototypes drive the mouth), the oracle denoiser ({@link OracleDenoiser}) warps the reference
 * portrait accordingly, and the VAE is the identity (declared so in the manifest). Writing is
 * deterministic: the same code writes the same bytes.
 */
public final class ReferencePack {

    public static final String NAME = "reference";
    public static final String HISTORY_NAME = "reference-history";
    public static final int FPS = 25;
    public static final int SIZE = 512;

    private ReferencePack() {}

    public static PackManifest manifest() {
        return manifest(false);
    }

    /**
     * The history variant, {@value #HISTORY_NAME}: the same pack rendering chained, its head continuing from the
     * pose measured in the frame before each segment ({@link HeadTracker}) rather than from motion latents computed
     * over the whole audio — Loopy's way of carrying motion across segments, so that the chain is what keeps it.
     */
    public static PackManifest historyManifest() {
        return manifest(true);
    }

    private static PackManifest manifest(boolean history) {
        PackManifest.AudioSpec audio = new PackManifest.AudioSpec(16_000, 400, 160, 40, 60, 7600, 8);
        List<Object> image = List.of("batch", 3, "height", "width");
        return new PackManifest(
                PackManifest.FORMAT,
                history ? HISTORY_NAME : NAME,
                history ? "1.1.0" : "2.2.0",
                "Training-free reference pack: viseme- and prosody-driven motion latents, an oracle denoiser that warps the "
                        + "reference portrait (landmark-anchored deformation, mouth interior, head and breathing motion; a half body's "
                        + "arms, hands and shoulders by a skeleton-driven warp) and predicts the clean frames directly (no noise), identity VAE."
                        + (history
                                ? " Chained: the head continues from the pose measured in the frame before each segment."
                                : ""),
                FPS,
                SIZE,
                SIZE,
                new PackManifest.Latent(3, 1, "identity: latents are the RGB image in [-1, 1], channels first"),
                // 32-frame segments that do not overlap: the oracle gives the same frame wherever a segment starts, so
                // there is no seam to cross-fade, and longer segments mean fewer events and objects per second of video
                // (figures in docs/performance.md, "Reference pack settings").
                new PackManifest.Clip(32, 0),
                history ? new PackManifest.MotionHistory(1, List.of(1)) : new PackManifest.MotionHistory(0, List.of()),
                ManifestNames.name(history ? PackManifest.Segmentation.CHAINED : PackManifest.Segmentation.INDEPENDENT),
                // The oracle knows the clean frames: it predicts them ("sample") from the conditions alone, so the
                // renderer draws no noise and runs no sampler for it.
                new PackManifest.SchedulerSpec(
                        ManifestNames.name(SchedulerType.DDIM),
                        1,
                        ManifestNames.name(PredictionType.SAMPLE),
                        ManifestNames.name(NoiseSchedule.BetaSchedule.SCALED_LINEAR),
                        0.00085,
                        0.012,
                        1000,
                        0.0,
                        1f,
                        1f),
                audio,
                Map.of(
                        "audio_encoder",
                                new PackManifest.ModelSpec(
                                        "audio_encoder.onnx",
                                        List.of(t("mel", "mel", "frames", audio.melBands(), audio.contextFrames())),
                                        List.of(t("features", "features", "frames", AudioEncoderGraph.FEATURES))),
                        "a2l",
                                new PackManifest.ModelSpec(
                                        "a2l.onnx",
                                        List.of(
                                                t("features", "features", "frames", AudioEncoderGraph.FEATURES),
                                                t("visemes", "visemes", "frames", Visemes.COUNT),
                                                t("pitch", "pitch", "frames", Pitch.COUNT),
                                                t("noise", "noise", "frames", A2LGraph.NOISE)),
                                        List.of(t("motion", "motion", "frames", Motion.COUNT))),
                        "denoiser",
                                new PackManifest.ModelSpec(
                                        "denoiser.onnx",
                                        List.of(
                                                        t(
                                                                "reference_latents",
                                                                "reference_latents",
                                                                "batch",
                                                                3,
                                                                "height",
                                                                "width"),
                                                        t(
                                                                "audio_features",
                                                                "audio_features",
                                                                "batch",
                                                                "frames",
                                                                AudioEncoderGraph.FEATURES),
                                                        t("motion", "motion", "batch", "frames", Motion.COUNT),
                                                        t("landmarks", "landmarks", "batch", 468, 3),
                                                        t("pose", "pose", "batch", 33, 4),
                                                        t("hands", "hands", "batch", 2, 21, 3),
                                                        t(
                                                                "motion_frames",
                                                                "motion_frames",
                                                                "batch",
                                                                3,
                                                                1,
                                                                "height",
                                                                "width"))
                                                .subList(0, history ? 7 : 6),
                                        List.of(t(
                                                "prediction", "prediction", "batch", 3, "frames", "height", "width"))),
                        "vae_encoder",
                                new PackManifest.ModelSpec(
                                        "vae_encoder.onnx",
                                        List.of(new TensorSpec("image", "image", "float32", image)),
                                        List.of(new TensorSpec("latents", "latents", "float32", image))),
                        "vae_decoder",
                                new PackManifest.ModelSpec(
                                        "vae_decoder.onnx",
                                        List.of(new TensorSpec("latents", "latents", "float32", image)),
                                        List.of(new TensorSpec("image", "image", "float32", image)))),
                Motion.NAMES);
    }

    private static TensorSpec t(String role, String name, Object... shape) {
        return new TensorSpec(role, name, "float32", List.of(shape));
    }

    /** Writes {@code pack.json} and the five ONNX files into {@code directory}. */
    public static Path writeTo(Path directory) throws IOException {
        return write(directory, false);
    }

    /** Writes the history variant ({@link #historyManifest}) into {@code directory}. */
    public static Path writeHistoryTo(Path directory) throws IOException {
        return write(directory, true);
    }

    private static Path write(Path directory, boolean history) throws IOException {
        PackManifest m = manifest(history);
        Files.createDirectories(directory);
        Files.write(directory.resolve("audio_encoder.onnx"), AudioEncoderGraph.build(m.audio()));
        Files.write(directory.resolve("a2l.onnx"), A2LGraph.build(m.fps(), history));
        Files.write(directory.resolve("denoiser.onnx"), OracleDenoiser.build(AudioEncoderGraph.FEATURES, history));
        Files.write(directory.resolve("vae_encoder.onnx"), identity("reference_vae_encoder", "image", "latents"));
        Files.write(directory.resolve("vae_decoder.onnx"), identity("reference_vae_decoder", "latents", "image"));
        Files.writeString(directory.resolve(PackLoader.MANIFEST), PackLoader.toJson(m));
        return directory;
    }

    private static byte[] identity(String name, String in, String out) {
        GraphBuilder g = new GraphBuilder(name)
                .input(in, ElementType.FLOAT, "batch", 3, "height", "width")
                .output(out, ElementType.FLOAT, "batch", 3, "height", "width");
        g.op("Identity", List.of(in), out);
        return g.toBytes("loopline-reference-pack");
    }
}
