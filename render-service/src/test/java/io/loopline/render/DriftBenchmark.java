package io.loopline.render;

import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackRegistry;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import io.loopline.quality.QualityMetrics;
import io.loopline.tensor.BenchmarkMachine;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Long-audio drift check: 60 s of speech (a sentence repeated with pauses) rendered segment by
 * segment with the reference pack at 256×256, as render-service does, then the quality metrics per
 * third of the video — the last third should look like the first.
 *
 * <pre>tools/bench.sh drift</pre>
 */
public final class DriftBenchmark {

    private static final int S = 256;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loopline-drift");
        float[] sentence = WavFilesAccess.read("/audio/sentence.wav");
        int pause = 16_000 * 7 / 10;
        float[] audio = new float[60 * 16_000];
        for (int i = 0, p = 0; i < audio.length; i++, p++) {
            int cycle = sentence.length + pause;
            int at = p % cycle;
            audio[i] = at < sentence.length ? sentence[at] : 0f;
        }
        BufferedImage image = ImageIO.read(DriftBenchmark.class.getResource("/portrait/reference-256.png"));
        float[] reference = Images.toRgbMinusOneToOne(image);
        float[] landmarks;
        try (InputStream in = DriftBenchmark.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
        try (OnnxSessions sessions = new OnnxSessions(RuntimeOptions.cpu(2))) {
            ModelPack pack = new PackRegistry(null, dir, sessions).require("reference");
            PortraitGenerator generator = new PortraitGenerator(pack, sessions.environment());
            PortraitGenerator.Conditioning c = generator.condition(audio, 5);
            int frames = c.frames();
            int clip = pack.manifest().clip().frames();
            int overlap = pack.manifest().clip().overlap();
            int stride = clip - overlap;
            float[] loudness = QualityMetrics.loudnessDb(audio, 25, frames);
            System.out.printf(
                    Locale.ROOT,
                    "drift check: %d s of speech, %d frames at %dx%d, reference pack, %d-frame segments overlapping %d%n",
                    audio.length / 16_000,
                    frames,
                    S,
                    S,
                    clip,
                    overlap);
            System.out.println("  third  frames     lip-sync  silent-lips  upper-face(mean/min)  sharpness  seams");
            int third = (frames + 2) / 3;
            long t0 = System.nanoTime();
            for (int t = 0; t < 3; t++) {
                int from = t * third;
                int to = Math.min(frames, from + third);
                int count = to - from;
                float[] video = new float[3 * count * S * S];
                List<Integer> starts = new ArrayList<>();
                // Segments as render cuts them; frames of an overlap come from the later segment (mux blends them).
                for (int start = (from / stride) * stride; start < to; start += stride) {
                    float[] seg = generator.render(reference, S, S, landmarks, c, start, clip, 5, 2, Guidance.NONE);
                    for (int f = Math.max(start, from); f < Math.min(start + clip, to); f++) {
                        for (int ch = 0; ch < 3; ch++) {
                            System.arraycopy(
                                    seg,
                                    (ch * clip + f - start) * S * S,
                                    video,
                                    (ch * count + f - from) * S * S,
                                    S * S);
                        }
                    }
                    if (start >= from) {
                        starts.add(start - from);
                    }
                }
                float[] open = QualityMetrics.mouthOpenness(video, count, S, S, reference, landmarks);
                float[] loud = Arrays.copyOfRange(loudness, from, to);
                float[] identity = QualityMetrics.upperFaceSimilarity(video, count, S, S, reference, landmarks);
                float[] sharp = QualityMetrics.faceSharpness(video, count, S, S, landmarks);
                System.out.printf(
                        Locale.ROOT,
                        "  %5d  %4d-%4d  %8.2f  %11.2f  %10.3f / %5.3f  %9.4f  %5.2f%n",
                        t + 1,
                        from,
                        to - 1,
                        QualityMetrics.lipSyncProxy(open, loud),
                        QualityMetrics.silentLipRatio(open, loud),
                        QualityMetrics.mean(identity),
                        QualityMetrics.min(identity),
                        QualityMetrics.mean(sharp),
                        QualityMetrics.seamFlicker(
                                video,
                                count,
                                S,
                                S,
                                starts.stream().mapToInt(Integer::intValue).toArray()));
            }
            float[] refFrame = reference.clone();
            System.out.printf(
                    Locale.ROOT,
                    "  reference sharpness %.4f; rendered in %.0f s; machine: %s%n",
                    QualityMetrics.faceSharpness(refFrame, 1, S, S, landmarks)[0],
                    (System.nanoTime() - t0) / 1e9,
                    BenchmarkMachine.describe());
        }
    }
}
