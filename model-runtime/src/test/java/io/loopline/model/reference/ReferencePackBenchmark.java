package io.loopline.model.reference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.LogMel;
import io.loopline.model.audio.Visemes;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelKind;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import io.loopline.tensor.BenchmarkMachine;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Time per second of video for each stage of the reference pack on the CPU (2 threads), at the
 * pack's 512×512 (its denoiser is a direct generator: one pass per segment), on 10 s of speech.
 *
 * <pre>tools/bench.sh model</pre>
 */
public final class ReferencePackBenchmark {

    private static final int S = ReferencePack.SIZE;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loopline-reference-pack");
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            ModelPack pack = PackLoader.load(ReferencePack.writeTo(dir), sessions);
            float[] sentence = WavFilesAccess.read("/audio/sentence.wav");
            float[] audio = new float[10 * 16_000];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = sentence[i % sentence.length];
            }
            double seconds = audio.length / 16_000.0;
            float[] reference = reference512();
            float[] landmarks = landmarks512();
            PortraitGenerator generator = new PortraitGenerator(pack, sessions.environment());
            generator.condition(Arrays.copyOf(audio, 32_000), 1); // warm-up

            long t0 = System.nanoTime();
            int frames = LogMel.videoFrames(audio.length, 25);
            LogMel.perVideoFrame(audio, pack.manifest().audio(), 25, frames);
            long t1 = System.nanoTime();
            new Visemes().perVideoFrame(audio, 25, frames);
            long t2 = System.nanoTime();
            PortraitGenerator.Conditioning c = generator.condition(audio, 1);
            long t3 = System.nanoTime();
            double melMs = (t1 - t0) / 1e6;
            double visemeMs = (t2 - t1) / 1e6;
            double conditionMs = (t3 - t2) / 1e6;

            int segment = pack.manifest().clip().frames();
            int steps = pack.manifest().scheduler().steps();
            generator.render(reference, S, S, landmarks, c, 0, segment, 1, steps, Guidance.NONE); // warm-up
            int segments = 4;
            long r0 = System.nanoTime();
            for (int k = 0; k < segments; k++) {
                generator.render(reference, S, S, landmarks, c, k * segment, segment, 1, steps, Guidance.NONE);
            }
            double renderMsPerFrame = (System.nanoTime() - r0) / 1e6 / (segments * segment);

            double denoiserMs = denoiserCallMs(pack, sessions, reference, landmarks, segment, c);
            double[] encoderAndA2l = encoderAndA2lMs(pack, sessions, audio, frames);
            double vaeMsPerFrame = vaeRoundTripMs(pack, sessions, reference);
            double denoiserMsPerFrame = denoiserMs * steps / segment;

            System.out.printf(
                    Locale.ROOT,
                    "reference pack benchmark: %dx%d, %d fps, %d-frame segments, %d steps, CPU 2 threads, %.0f s speech%n",
                    S,
                    S,
                    25,
                    segment,
                    steps,
                    seconds);
            System.out.printf(
                    Locale.ROOT, "  log-mel (Java)            %7.1f ms per second of video%n", melMs / seconds);
            System.out.printf(
                    Locale.ROOT, "  visemes (Java)            %7.1f ms per second of video%n", visemeMs / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  audio encoder (ONNX)      %7.1f ms per second of video%n",
                    encoderAndA2l[0] / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  A2L (ONNX)                %7.1f ms per second of video%n",
                    encoderAndA2l[1] / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  conditioning in all       %7.1f ms per second of video (log-mel + encoder + visemes + A2L)%n",
                    conditionMs / seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  denoiser (ONNX)           %7.1f ms per second of video (%.0f ms per %d-frame call)%n",
                    denoiserMsPerFrame * 25,
                    denoiserMs,
                    segment);
            System.out.printf(
                    Locale.ROOT, "  VAE encode + decode (ONNX)%7.1f ms per second of video%n", vaeMsPerFrame * 25);
            System.out.printf(
                    Locale.ROOT,
                    "  render in all             %7.1f ms per second of video (VAE encode + %d denoiser calls + VAE decode + scheduler)%n",
                    renderMsPerFrame * 25,
                    steps);
            System.out.println("  machine: " + BenchmarkMachine.describe());
        }
    }

    private static double denoiserCallMs(
            ModelPack pack,
            OnnxSessions sessions,
            float[] reference,
            float[] landmarks,
            int frames,
            PortraitGenerator.Conditioning c)
            throws Exception {
        var env = sessions.environment();
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("reference_latents", OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, S, S}));
        in.put(
                "audio_features",
                OnnxTensor.createTensor(
                        env,
                        FloatBuffer.wrap(Arrays.copyOf(c.features(), frames * c.featureDim())),
                        new long[] {1, frames, c.featureDim()}));
        in.put(
                "motion",
                OnnxTensor.createTensor(
                        env,
                        FloatBuffer.wrap(Arrays.copyOf(c.motion(), frames * c.motionDim())),
                        new long[] {1, frames, c.motionDim()}));
        in.put("landmarks", OnnxTensor.createTensor(env, FloatBuffer.wrap(landmarks), new long[] {1, 468, 3}));
        pack.run(ModelKind.DENOISER, in).values().forEach(OnnxValue::close);
        int runs = 5;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            pack.run(ModelKind.DENOISER, in).values().forEach(OnnxValue::close);
        }
        in.values().forEach(OnnxTensor::close);
        return (System.nanoTime() - t0) / 1e6 / runs;
    }

    /** Audio encoder and A2L run alone on the whole audio's inputs: {encoder ms, a2l ms}. */
    private static double[] encoderAndA2lMs(ModelPack pack, OnnxSessions sessions, float[] audio, int frames)
            throws Exception {
        var env = sessions.environment();
        var a = pack.manifest().audio();
        float[] mel = LogMel.perVideoFrame(audio, a, 25, frames);
        float[] features;
        long t0;
        try (OnnxTensor melTensor = OnnxTensor.createTensor(
                env, FloatBuffer.wrap(mel), new long[] {frames, a.melBands(), a.contextFrames()})) {
            t0 = System.nanoTime();
            Map<String, OnnxValue> out = pack.run(ModelKind.AUDIO_ENCODER, Map.of("mel", melTensor));
            FloatBuffer fb = ((OnnxTensor) out.get("features")).getFloatBuffer();
            features = new float[fb.remaining()];
            fb.get(features);
            out.values().forEach(OnnxValue::close);
        }
        double encoderMs = (System.nanoTime() - t0) / 1e6;
        float[][] v = new Visemes().perVideoFrame(audio, 25, frames);
        float[] visemes = new float[frames * Visemes.COUNT];
        for (int f = 0; f < frames; f++) {
            System.arraycopy(v[f], 0, visemes, f * Visemes.COUNT, Visemes.COUNT);
        }
        try (OnnxTensor ft = OnnxTensor.createTensor(
                        env, FloatBuffer.wrap(features), new long[] {frames, features.length / frames});
                OnnxTensor vt =
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(visemes), new long[] {frames, Visemes.COUNT});
                OnnxTensor nt =
                        OnnxTensor.createTensor(env, FloatBuffer.allocate(frames * 4), new long[] {frames, 4})) {
            long t1 = System.nanoTime();
            pack.run(ModelKind.A2L, Map.of("features", ft, "visemes", vt, "noise", nt))
                    .values()
                    .forEach(OnnxValue::close);
            return new double[] {encoderMs, (System.nanoTime() - t1) / 1e6};
        }
    }

    /** One frame through the VAE encoder and decoder, averaged over 25 frames. */
    private static double vaeRoundTripMs(ModelPack pack, OnnxSessions sessions, float[] reference) throws Exception {
        var env = sessions.environment();
        long t0 = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            try (OnnxTensor image =
                    OnnxTensor.createTensor(env, FloatBuffer.wrap(reference), new long[] {1, 3, S, S})) {
                Map<String, OnnxValue> latents = pack.run(ModelKind.VAE_ENCODER, Map.of("image", image));
                pack.run(ModelKind.VAE_DECODER, Map.of("latents", (OnnxTensor) latents.get("latents")))
                        .values()
                        .forEach(OnnxValue::close);
                latents.values().forEach(OnnxValue::close);
            }
        }
        return (System.nanoTime() - t0) / 1e6 / 25;
    }

    /** The 256-pixel test portrait upscaled to 512 (and its landmarks scaled), as render would feed a 512 pack. */
    private static float[] reference512() throws Exception {
        BufferedImage small = ImageIO.read(ReferencePackBenchmark.class.getResource("/portrait/reference-256.png"));
        BufferedImage big = new BufferedImage(S, S, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(small, 0, 0, S, S, null);
        g.dispose();
        return Images.toRgbMinusOneToOne(big);
    }

    private static float[] landmarks512() throws Exception {
        try (InputStream in = ReferencePackBenchmark.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            float[] lm = Npy.read(in).data();
            for (int i = 0; i < lm.length; i++) {
                lm[i] *= 2;
            }
            return lm;
        }
    }
}
