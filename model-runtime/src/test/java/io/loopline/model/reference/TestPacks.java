package io.loopline.model.reference;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import io.loopline.model.pack.ManifestNames;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.pack.PackManifest;
import io.loopline.model.pack.PackManifest.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Packs for service tests. */
public final class TestPacks {

    public static final String CHAINED = "reference-chained";
    public static final String HISTORY_PROBE = "history-probe";
    /** The probe's segments: short, so that a few seconds of speech make several. */
    public static final PackManifest.Clip PROBE_CLIP = new PackManifest.Clip(16, 0);
    /** The probe's history: the frame just before a segment, and one 20 frames before it (two segments back). */
    public static final List<Integer> PROBE_STRIDES = List.of(1, 20);

    private TestPacks() {}

    /** Installs, under {@code packsDir}, the reference pack renamed {@value #CHAINED} and switched to chained mode. */
    public static Path installChainedReference(Path packsDir) throws IOException {
        Path dir = ReferencePack.writeTo(packsDir.resolve(CHAINED));
        PackManifest m = PackLoader.readManifest(dir);
        write(dir, rebuilt(m, CHAINED, m.clip(), m.motionHistory(), m.models()));
        return packsDir;
    }

    /**
     * Installs, under {@code packsDir}, {@value #HISTORY_PROBE}: the reference pack's audio models and size with a
     * chained denoiser whose every frame is {@link #probeFrame} of its two history frames and the reference — so
     * what render feeds as history shows, to the pixel, in what it renders.
     */
    public static Path installHistoryProbe(Path packsDir) throws IOException {
        Path dir = ReferencePack.writeTo(packsDir.resolve(HISTORY_PROBE));
        PackManifest m = PackLoader.readManifest(dir);
        Map<String, PackManifest.ModelSpec> models = new TreeMap<>(m.models());
        List<Object> image = List.of("batch", 3, "height", "width");
        models.put(
                "denoiser",
                new PackManifest.ModelSpec(
                        "denoiser.onnx",
                        List.of(
                                new TensorSpec("reference_latents", "reference_latents", "float32", image),
                                new TensorSpec(
                                        "audio_features",
                                        "audio_features",
                                        "float32",
                                        List.of("batch", "frames", AudioEncoderGraph.FEATURES)),
                                new TensorSpec("motion", "motion", "float32", List.of("batch", "frames", Motion.COUNT)),
                                new TensorSpec(
                                        "motion_frames",
                                        "motion_frames",
                                        "float32",
                                        List.of("batch", 3, PROBE_STRIDES.size(), "height", "width"))),
                        List.of(new TensorSpec(
                                "prediction",
                                "prediction",
                                "float32",
                                List.of("batch", 3, "frames", "height", "width")))));
        Files.write(dir.resolve("denoiser.onnx"), probeDenoiser());
        write(
                dir,
                rebuilt(
                        m,
                        HISTORY_PROBE,
                        PROBE_CLIP,
                        new PackManifest.MotionHistory(PROBE_STRIDES.size(), PROBE_STRIDES),
                        models));
        return packsDir;
    }

    /** What the probe renders, per value: half the nearest history frame, a quarter the far one, a quarter the reference. */
    public static float probeFrame(float nearest, float far, float reference) {
        return 0.5f * nearest + 0.25f * far + 0.25f * reference;
    }

    private static byte[] probeDenoiser() {
        GraphBuilder g = new GraphBuilder("history_probe")
                .input("reference_latents", ElementType.FLOAT, "batch", 3, "height", "width")
                .input("audio_features", ElementType.FLOAT, "batch", "frames", AudioEncoderGraph.FEATURES)
                .input("motion", ElementType.FLOAT, "batch", "frames", Motion.COUNT)
                .input("motion_frames", ElementType.FLOAT, "batch", 3, PROBE_STRIDES.size(), "height", "width")
                .output("prediction", ElementType.FLOAT, "batch", 3, "frames", "height", "width");
        String nearest = g.gather("motion_frames", g.longScalar(0), 2);
        String far = g.gather("motion_frames", g.longScalar(1), 2);
        String frame = g.add(
                g.add(g.mul(nearest, g.scalar(0.5f)), g.mul(far, g.scalar(0.25f))),
                g.mul("reference_latents", g.scalar(0.25f)));
        // Ones of shape [B, 1, F, 1, 1], from the motion's frames: the frame repeats over the segment.
        String ones = g.add(g.mul(g.reduce("ReduceMean", "motion", true, 2), g.scalar(0f)), g.scalar(1f));
        g.op("Mul", List.of(g.unsqueeze(frame, 2), g.unsqueeze(ones, 1, 4)), "prediction");
        return g.toBytes("loopline-test");
    }

    private static PackManifest rebuilt(
            PackManifest m,
            String name,
            PackManifest.Clip clip,
            PackManifest.MotionHistory history,
            Map<String, PackManifest.ModelSpec> models) {
        // The probe's denoiser takes no pose: it does not move the body, so it names no channels.
        return m.with(name, clip, history, ManifestNames.name(PackManifest.Segmentation.CHAINED), models)
                .withMotionChannels(null);
    }

    private static void write(Path dir, PackManifest m) throws IOException {
        Files.writeString(dir.resolve(PackLoader.MANIFEST), PackLoader.toJson(m));
    }
}
