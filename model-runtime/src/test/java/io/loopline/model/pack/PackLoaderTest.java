package io.loopline.model.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import io.loopline.model.onnx.GraphBuilder;
import io.loopline.model.runtime.ModelRuntimeException;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackLoaderTest {

    @TempDir
    Path dir;

    private final OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(1));

    @AfterEach
    void close() {
        sessions.close();
    }

    private ModelPack load(UnaryOperator<PackManifest> edit) throws Exception {
        return PackLoader.load(TinyPack.write(dir, edit), sessions);
    }

    @Test
    void aGoodPackLoadsAndRunsByRole() throws Exception {
        ModelPack pack = load(m -> m);
        assertThat(pack.manifest().name()).isEqualTo("tiny");
        OrtEnvironment env = sessions.environment();
        float[] latents = new float[2 * 3 * 16 * 16];
        for (int i = 0; i < latents.length; i++) {
            latents[i] = i;
        }
        try (OnnxTensor noisy = OnnxTensor.createTensor(env, FloatBuffer.wrap(latents), new long[] {1, 3, 2, 16, 16});
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {500}), new long[] {1});
                OnnxTensor ref =
                        OnnxTensor.createTensor(env, FloatBuffer.allocate(3 * 256), new long[] {1, 3, 16, 16});
                OnnxTensor audio = OnnxTensor.createTensor(env, FloatBuffer.allocate(16), new long[] {1, 2, 8});
                OnnxTensor motion = OnnxTensor.createTensor(env, FloatBuffer.allocate(16), new long[] {1, 2, 8})) {
            Map<String, OnnxValue> out = pack.run(
                    ModelKind.DENOISER,
                    Map.of(
                            "noisy_latents",
                            noisy,
                            "timestep",
                            t,
                            "reference_latents",
                            ref,
                            "audio_features",
                            audio,
                            "motion",
                            motion,
                            "landmarks",
                            ref));
            float[] prediction =
                    ((OnnxTensor) out.get("prediction")).getFloatBuffer().array();
            assertThat(prediction[10]).isEqualTo(5f);
            out.values().forEach(OnnxValue::close);
        }
        assertThat(pack.hasInput(ModelKind.DENOISER, "landmarks")).isFalse();
    }

    @Test
    void aWrongTensorNameIsNamedWithWhatTheFileHas() {
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(
                        m,
                        "denoiser",
                        true,
                        "noisy_latents",
                        TinyPack.t("noisy_latents", "noisy", "float32", "batch", 3, "frames", 16, 16))))
                .isInstanceOf(PackValidationException.class)
                .hasMessage(
                        "Model pack tiny, model denoiser: input \"noisy\" (role noisy_latents) is not in denoiser.onnx, whose inputs are "
                                + "[audio_features, motion, noisy_latents, reference_latents, timestep]");
    }

    @Test
    void aWrongShapeOrTypeIsNamedWithExpectedAndFound() {
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(
                        m,
                        "denoiser",
                        true,
                        "noisy_latents",
                        TinyPack.t("noisy_latents", "noisy_latents", "float32", "batch", 4, "frames", 32, 32))))
                .isInstanceOf(PackValidationException.class)
                .hasMessage(
                        "Model pack tiny, model denoiser: input \"noisy_latents\" (role noisy_latents): pack.json declares "
                                + "float32[batch, 4, frames, 32, 32] but denoiser.onnx has float32[batch, 3, frames, 16, 16]");
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(
                        m, "denoiser", true, "timestep", TinyPack.t("timestep", "timestep", "float32", "batch"))))
                .hasMessageContaining("declares float32[batch] but denoiser.onnx has int64[batch]");
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(
                        m,
                        "vae_decoder",
                        false,
                        "image",
                        TinyPack.t("image", "image", "float32", "batch", 3, "height", "width"))))
                .hasMessageContaining(
                        "output \"image\" (role image): pack.json declares float32[batch, 3, height, width] but vae_decoder.onnx has float32[batch, 3, 16, 16]");
    }

    @Test
    void rolesMustBeComplete() {
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(m, "denoiser", true, "motion", null)))
                .hasMessageContaining("pack.json maps no input to the required role(s) [motion]");
        // Without a noisy input the denoiser can only predict the clean sample: an ε-predictor would have nothing to
        // subtract.
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(m, "denoiser", true, "noisy_latents", null)))
                .hasMessageContaining("a denoiser without a noisy_latents input generates the clean sample directly: "
                        + "scheduler.prediction must be sample, not epsilon");
        assertThatThrownBy(() -> load(m -> TinyPack.withTensor(
                        m, "a2l", true, "emotion", TinyPack.t("emotion", "features", "float32", "frames", 8))))
                .hasMessageContaining("input role \"emotion\" is not one of [features, noise, pitch, visemes]");
    }

    private static PackManifest withHistory(PackManifest m, PackManifest.MotionHistory history, String mode) {
        return m.with(m.name(), m.clip(), history, mode, m.models());
    }

    @Test
    void motionHistoryIsDeclaredWhereItIsFedAndRendersChained() {
        PackManifest.TensorSpec frames = TinyPack.t("motion_frames", "motion_frames", "float32", "batch", 3, 2, 16, 16);
        assertThatThrownBy(() -> load(m -> withHistory(m, new PackManifest.MotionHistory(2, List.of(1, 4)), "chained")))
                .hasMessageContaining("motionHistory.count is 2 but the denoiser takes no motion_frames input");
        assertThatThrownBy(() -> load(m -> withHistory(
                        TinyPack.withTensor(m, "denoiser", true, "motion_frames", frames),
                        new PackManifest.MotionHistory(0, List.of()),
                        "chained")))
                .hasMessageContaining("the denoiser takes motion_frames, so motionHistory.count must be at least 1");
        assertThatThrownBy(() -> load(m -> withHistory(
                        TinyPack.withTensor(m, "denoiser", true, "motion_frames", frames),
                        new PackManifest.MotionHistory(2, List.of(1, 4)),
                        "independent")))
                .hasMessageContaining("segmentMode must be chained, not independent");
    }

    @Test
    void motionChannelsNameEveryColumnAndABodyNeedsThePose() throws Exception {
        List<String> face = List.of("jaw", "width", "round", "brow", "blink", "pitch", "yaw", "roll");
        assertThat(load(m -> m.withMotionChannels(face)).manifest().movesHands())
                .isFalse();
        assertThatThrownBy(() -> load(m -> m.withMotionChannels(face.subList(0, 7))))
                .hasMessageContaining("motionChannels names 7 channels but the a2l's motion has 8");
        List<String> body = List.of("jaw", "width", "round", "brow", "blink", "pitch", "shoulders", "arm_left");
        assertThatThrownBy(() -> load(m -> m.withMotionChannels(body)))
                .hasMessageContaining("motionChannels [shoulders, arm_left] move the body, so the denoiser must take"
                        + " the body's pose");
        assertThatThrownBy(() -> load(m -> m.withMotionChannels(List.of("jaw", "jaw", "a", "b", "c", "d", "e", "f"))))
                .hasMessageContaining("motionChannels must be distinct names");
    }

    @Test
    void theManifestIsCheckedOnItsOwn() throws Exception {
        assertThatThrownBy(() -> load(
                        m -> m.with(m.name(), new PackManifest.Clip(4, 4), m.motionHistory(), "sideways", m.models())))
                .isInstanceOf(PackValidationException.class)
                .hasMessageContaining("clip needs frames >= 1 and 0 <= overlap < frames")
                .hasMessageContaining("segmentMode must be one of [independent, chained], not sideways");
        TinyPack.write(dir, m -> m);
        Files.writeString(
                dir.resolve("pack.json"),
                Files.readString(dir.resolve("pack.json")).replace("\"fps\"", "\"framesPerSecond\""));
        assertThatThrownBy(() -> PackLoader.load(dir, sessions))
                .isInstanceOf(PackValidationException.class)
                .hasMessageContaining("pack.json of")
                .hasMessageMatching(".*invalid at \"(fps|framesPerSecond)\".*");
        Files.writeString(dir.resolve("pack.json"), "{\"format\": ");
        assertThatThrownBy(() -> PackLoader.load(dir, sessions)).hasMessageContaining("is not valid JSON");
        Files.delete(dir.resolve("a2l.onnx"));
        Files.writeString(dir.resolve("pack.json"), PackLoader.toJson(TinyPack.manifest()));
        assertThatThrownBy(() -> PackLoader.load(dir, sessions))
                .hasMessageContaining("model a2l: file a2l.onnx is missing");
    }

    @Test
    void aPackExportsToAFolderThatLoadsBack(@TempDir Path target) throws Exception {
        ModelPack pack = load(m -> m);
        pack.exportTo(target);
        ModelPack again = PackLoader.load(target, sessions);
        assertThat(again.manifest()).isEqualTo(pack.manifest());
        assertThat(Files.readAllBytes(target.resolve("denoiser.onnx")))
                .isEqualTo(Files.readAllBytes(dir.resolve("denoiser.onnx")));
    }

    @Test
    void float16ModelsRunFromFloatInputs() throws Exception {
        TinyPack.write(
                dir,
                m -> TinyPack.withTensor(
                        TinyPack.withTensor(
                                m,
                                "vae_encoder",
                                true,
                                "image",
                                TinyPack.t("image", "image", "float16", "batch", 3, 16, 16)),
                        "vae_encoder",
                        false,
                        "latents",
                        TinyPack.t("latents", "latents", "float16", "batch", 3, 16, 16)));
        GraphBuilder g = new GraphBuilder("vae_encoder")
                .input("image", GraphBuilder.ElementType.FLOAT16, "batch", 3, 16, 16)
                .output("latents", GraphBuilder.ElementType.FLOAT16, "batch", 3, 16, 16);
        g.op("Identity", List.of("image"), "latents");
        Files.write(dir.resolve("vae_encoder.onnx"), g.toBytes("test"));
        ModelPack pack = PackLoader.load(dir, sessions);
        float[] image = new float[3 * 16 * 16];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 200) / 100f - 1f;
        }
        try (OnnxTensor in =
                OnnxTensor.createTensor(sessions.environment(), FloatBuffer.wrap(image), new long[] {1, 3, 16, 16})) {
            Map<String, OnnxValue> out = pack.run(ModelKind.VAE_ENCODER, Map.of("image", in));
            FloatBuffer latents = ((OnnxTensor) out.get("latents")).getFloatBuffer();
            for (int i = 0; i < image.length; i++) {
                assertThat(latents.get(i)).isCloseTo(image[i], Assertions.within(1e-3f));
            }
            out.values().forEach(OnnxValue::close);
        }
    }

    @Test
    void cudaWithoutCudaIsAClearErrorOrAnExplicitFallback() throws Exception {
        TinyPack.write(dir, m -> m);
        try (OnnxSessions cuda =
                new OnnxSessions(new RuntimeOptions("cuda", 0, 1L << 30, "kSameAsRequested", 1, 1, false))) {
            assertThatThrownBy(() -> PackLoader.load(dir, cuda))
                    .isInstanceOf(ModelRuntimeException.class)
                    .hasMessageContaining("CUDA was requested")
                    .hasMessageContaining("model.cuda.fallback=true");
        }
        try (OnnxSessions fallback =
                new OnnxSessions(new RuntimeOptions("cuda", 0, 0, "kNextPowerOfTwo", 1, 1, true))) {
            PackLoader.load(dir, fallback);
            assertThat(fallback.activeDevice()).isEqualTo("cpu");
        }
    }
}
