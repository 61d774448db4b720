package io.loopline.model.reference;

import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.Pitch;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.quality.QualityMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * Prints the reference pack's motion latents for an audio file: each channel's percentiles, and the
 * frames where blinks and saccades start, and how the jaw keeps time with the loudness as the quality
 * benchmark measures lips (Pearson r over speech frames at the best lag within ±3 frames) — for tuning
 * the A2L model without rendering. Arguments: 16 kHz mono 16-bit WAV files.
 * <pre>./mvnw -q -pl model-runtime exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.loopline.model.reference.MotionStats -Dexec.args=speech.wav</pre>
 */
public final class MotionStats {

    private MotionStats() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("reference-pack");
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            ModelPack pack = PackLoader.load(ReferencePack.writeTo(dir), sessions);
            PortraitGenerator generator = new PortraitGenerator(pack, sessions.environment());
            for (String file : args) {
                System.out.println("== " + file);
                float[] audio = WavFilesAccess.read(Path.of(file));
                print(generator.condition(audio, 0), audio, pack.manifest().fps());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void print(PortraitGenerator.Conditioning c, float[] audio, int fps) {
        for (int k = 0; k < Motion.COUNT; k++) {
            float[] v = channel(c, k);
            Arrays.sort(v);
            System.out.printf(
                    "%-7s p10 %6.3f  p50 %6.3f  p90 %6.3f  min %6.3f  max %6.3f%n",
                    Motion.NAMES.get(k),
                    v[v.length / 10],
                    v[v.length / 2],
                    v[v.length * 9 / 10],
                    v[0],
                    v[v.length - 1]);
        }
        System.out.println("blinks start at frames " + starts(channel(c, Motion.BLINK), 0.3f));
        float[] gaze = channel(c, Motion.GAZE);
        StringBuilder shifts = new StringBuilder();
        for (int f = 1; f < gaze.length; f++) {
            if (Math.abs(gaze[f] - gaze[f - 1]) > 0.05f && (f < 2 || Math.abs(gaze[f - 1] - gaze[f - 2]) <= 0.05f)) {
                shifts.append(f).append(' ');
            }
        }
        System.out.println("gaze shifts at frames " + shifts);
        double[] voiced = Arrays.stream(new Pitch().perVideoFrame(audio, fps, c.frames()))
                .filter(p -> p[Pitch.VOICED] > 0)
                .mapToDouble(p -> p[Pitch.RELATIVE])
                .sorted()
                .toArray();
        if (voiced.length > 0) {
            System.out.printf(
                    "voice   voiced %.0f%% of frames; octaves from the median p10 %.2f p90 %.2f max %.2f%n",
                    100.0 * voiced.length / c.frames(),
                    voiced[voiced.length / 10],
                    voiced[voiced.length * 9 / 10],
                    voiced[voiced.length - 1]);
        }
        float[] loudness = QualityMetrics.loudnessDb(audio, fps, c.frames());
        float[] jaw = channel(c, Motion.JAW);
        float[] close = channel(c, Motion.CLOSE);
        float[] opening = new float[jaw.length];
        for (int f = 0; f < jaw.length; f++) {
            opening[f] = jaw[f] * (1 - close[f]);
        }
        System.out.printf("jaw-loudness r %s, jaw*(1-close) r %s%n", sync(jaw, loudness), sync(opening, loudness));
    }

    private static String sync(float[] mouth, float[] loudness) {
        QualityMetrics.Measured m = QualityMetrics.lipSync(mouth, loudness, QualityMetrics.MAX_LAG_FRAMES, 1e-3);
        return m.defined() ? String.format(Locale.ROOT, "%.3f (%+d)", m.value(), m.lagFrames()) : m.reason();
    }

    private static float[] channel(PortraitGenerator.Conditioning c, int k) {
        float[] v = new float[c.frames()];
        for (int f = 0; f < c.frames(); f++) {
            v[f] = c.motion()[f * c.motionDim() + k];
        }
        return v;
    }

    private static String starts(float[] v, float threshold) {
        StringBuilder s = new StringBuilder();
        for (int f = 0; f < v.length; f++) {
            if (v[f] >= threshold && (f == 0 || v[f - 1] < threshold)) {
                s.append(f).append(' ');
            }
        }
        return s.toString();
    }
}
