package io.loopline.model.pack;

import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.onnx.GraphBuilder.ElementType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** A minimal valid pack (16×16, 3 latent channels) written with the graph builder, for loader tests. */
final class TinyPack {

    private TinyPack() {}

    static PackManifest.TensorSpec t(String role, String name, String dtype, Object... shape) {
        return new PackManifest.TensorSpec(role, name, dtype, List.of(shape));
    }

    static PackManifest manifest() {
        return new PackManifest(
                PackManifest.FORMAT,
                "tiny",
                "1.0.0",
                "test pack",
                25,
                16,
                16,
                new PackManifest.Latent(3, 1, "identity"),
                new PackManifest.Clip(8, 2),
                new PackManifest.MotionHistory(0, List.of()),
                "independent",
                new PackManifest.SchedulerSpec(
                        "ddim", 4, "epsilon", "scaled_linear", 0.00085, 0.012, 1000, 0.0, 1f, 1f),
                new PackManifest.AudioSpec(16000, 400, 160, 8, 60, 7600, 3),
                Map.of(
                        "audio_encoder",
                                new PackManifest.ModelSpec(
                                        "audio_encoder.onnx",
                                        List.of(t("mel", "mel", "float32", "frames", 8, 3)),
                                        List.of(t("features", "features", "float32", "frames", 8))),
                        "a2l",
                                new PackManifest.ModelSpec(
                                        "a2l.onnx",
                                        List.of(t("features", "features", "float32", "frames", 8)),
                                        List.of(t("motion", "motion", "float32", "frames", 8))),
                        "denoiser",
                                new PackManifest.ModelSpec(
                                        "denoiser.onnx",
                                        List.of(
                                                t(
                                                        "noisy_latents",
                                                        "noisy_latents",
                                                        "float32",
                                                        "batch",
                                                        3,
                                                        "frames",
                                                        16,
                                                        16),
                                                t("timestep", "timestep", "int64", "batch"),
                                                t(
                                                        "reference_latents",
                                                        "reference_latents",
                                                        "float32",
                                                        "batch",
                                                        3,
                                                        16,
                                                        16),
                                                t("audio_features", "audio_features", "float32", "batch", "frames", 8),
                                                t("motion", "motion", "float32", "batch", "frames", 8)),
                                        List.of(t(
                                                "prediction", "prediction", "float32", "batch", 3, "frames", 16, 16))),
                        "vae_encoder",
                                new PackManifest.ModelSpec(
                                        "vae_encoder.onnx",
                                        List.of(t("image", "image", "float32", "batch", 3, 16, 16)),
                                        List.of(t("latents", "latents", "float32", "batch", 3, 16, 16))),
                        "vae_decoder",
                                new PackManifest.ModelSpec(
                                        "vae_decoder.onnx",
                                        List.of(t("latents", "latents", "float32", "batch", 3, 16, 16)),
                                        List.of(t("image", "image", "float32", "batch", 3, 16, 16)))),
                null);
    }

    /** Writes the pack's ONNX files (always the same) and the manifest, edited by {@code edit}. */
    static Path write(Path dir, UnaryOperator<PackManifest> edit) throws IOException {
        Files.createDirectories(dir);
        GraphBuilder enc = new GraphBuilder("audio_encoder")
                .input("mel", ElementType.FLOAT, "frames", 8, 3)
                .output("features", ElementType.FLOAT, "frames", 8);
        enc.op("Identity", List.of(enc.reduce("ReduceMean", "mel", false, 2)), "features");
        Files.write(dir.resolve("audio_encoder.onnx"), enc.toBytes("test"));

        GraphBuilder a2l = new GraphBuilder("a2l")
                .input("features", ElementType.FLOAT, "frames", 8)
                .output("motion", ElementType.FLOAT, "frames", 8);
        a2l.op("Identity", List.of("features"), "motion");
        Files.write(dir.resolve("a2l.onnx"), a2l.toBytes("test"));

        GraphBuilder den = new GraphBuilder("denoiser")
                .input("noisy_latents", ElementType.FLOAT, "batch", 3, "frames", 16, 16)
                .input("timestep", ElementType.INT64, "batch")
                .input("reference_latents", ElementType.FLOAT, "batch", 3, 16, 16)
                .input("audio_features", ElementType.FLOAT, "batch", "frames", 8)
                .input("motion", ElementType.FLOAT, "batch", "frames", 8)
                .output("prediction", ElementType.FLOAT, "batch", 3, "frames", 16, 16);
        String half = den.constant("half", new float[] {0.5f});
        den.op("Mul", List.of("noisy_latents", half), "prediction");
        Files.write(dir.resolve("denoiser.onnx"), den.toBytes("test"));

        for (String vae : List.of("vae_encoder", "vae_decoder")) {
            String in = vae.equals("vae_encoder") ? "image" : "latents";
            String out = vae.equals("vae_encoder") ? "latents" : "image";
            GraphBuilder g = new GraphBuilder(vae)
                    .input(in, ElementType.FLOAT, "batch", 3, 16, 16)
                    .output(out, ElementType.FLOAT, "batch", 3, 16, 16);
            g.op("Identity", List.of(in), out);
            Files.write(dir.resolve(vae + ".onnx"), g.toBytes("test"));
        }
        Files.writeString(dir.resolve(PackLoader.MANIFEST), PackLoader.toJson(edit.apply(manifest())));
        return dir;
    }

    /** The manifest with one tensor of one model replaced. */
    static PackManifest withTensor(
            PackManifest m, String model, boolean input, String role, PackManifest.TensorSpec replacement) {
        Map<String, PackManifest.ModelSpec> models = new TreeMap<>(m.models());
        PackManifest.ModelSpec spec = models.get(model);
        List<PackManifest.TensorSpec> tensors = new ArrayList<>(input ? spec.inputs() : spec.outputs());
        tensors.removeIf(x -> x.role().equals(role));
        if (replacement != null) {
            tensors.add(replacement);
        }
        models.put(
                model,
                input
                        ? new PackManifest.ModelSpec(spec.file(), tensors, spec.outputs())
                        : new PackManifest.ModelSpec(spec.file(), spec.inputs(), tensors));
        return m.with(m.name(), m.clip(), m.motionHistory(), m.segmentMode(), models);
    }
}
