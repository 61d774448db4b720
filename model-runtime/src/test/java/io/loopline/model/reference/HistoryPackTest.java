package io.loopline.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.model.PortraitGenerator;
import io.loopline.model.audio.WavFilesAccess;
import io.loopline.model.pack.ModelPack;
import io.loopline.model.pack.PackLoader;
import io.loopline.model.runtime.OnnxSessions;
import io.loopline.model.runtime.RuntimeOptions;
import io.loopline.model.scheduler.Guidance;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history variant carries the head from segment to segment through the frames: chained, it renders
 * the reference pack's video (whose head comes from the whole audio at once) to within a fraction of an
 * 8-bit level; a segment rendered without its past starts the head at rest, a jump the eye sees.
 */
class HistoryPackTest {

    private static final int S = 256;
    private static final int CLIP = 32;

    @TempDir
    static Path dir;

    private static OnnxSessions sessions;
    private static ModelPack reference;
    private static ModelPack history;
    private static float[] image;
    private static float[] landmarks;

    @BeforeAll
    static void load() throws Exception {
        sessions = new OnnxSessions(RuntimeOptions.cpu(2));
        reference = PackLoader.load(ReferencePack.writeTo(dir.resolve("reference")), sessions);
        history = PackLoader.load(ReferencePack.writeHistoryTo(dir.resolve("history")), sessions);
        image = Images.toRgbMinusOneToOne(
                ImageIO.read(HistoryPackTest.class.getResource("/portrait/reference-256.png")));
        try (InputStream in = HistoryPackTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
    }

    @AfterAll
    static void close() {
        sessions.close();
    }

    /** Frame {@code f} of frames [3, F, S, S] as [3, S, S]. */
    private static float[] frame(float[] frames, int count, int f) {
        float[] out = new float[3 * S * S];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(frames, (c * count + f) * S * S, out, c * S * S, S * S);
        }
        return out;
    }

    private static float meanAbsDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return (float) (sum / a.length);
    }

    @Test
    void theChainCarriesTheHeadAndWithoutItTheHeadJumps() throws Exception {
        float[] audio = WavFilesAccess.read("/audio/sentence.wav");
        PortraitGenerator absolute = new PortraitGenerator(reference, sessions.environment());
        PortraitGenerator chained = new PortraitGenerator(history, sessions.environment());
        PortraitGenerator.Conditioning ca = absolute.condition(audio, 7);
        PortraitGenerator.Conditioning ch = chained.condition(audio, 7);
        int segments = ca.frames() / CLIP;
        assertThat(segments).isGreaterThanOrEqualTo(2);
        float[] previous = null;
        float worstChained = 0;
        double withinSegments = 0;
        int withinCount = 0;
        float worstSeam = 0;
        for (int k = 0; k < segments; k++) {
            int start = k * CLIP;
            float[] expected = absolute.render(image, S, S, landmarks, ca, start, CLIP, 7, 1, Guidance.NONE);
            float[] got = render(chained, ch, start, previous);
            for (int f = 0; f < CLIP; f++) {
                worstChained = Math.max(worstChained, meanAbsDifference(frame(got, CLIP, f), frame(expected, CLIP, f)));
                if (f > 0) {
                    withinSegments += meanAbsDifference(frame(got, CLIP, f), frame(got, CLIP, f - 1));
                    withinCount++;
                }
            }
            if (previous != null) {
                worstSeam = Math.max(worstSeam, meanAbsDifference(frame(got, CLIP, 0), previous));
                // The same segment without its past: the head starts at rest.
                float[] alone = render(chained, ch, start, null);
                assertThat(meanAbsDifference(frame(alone, CLIP, 0), frame(expected, CLIP, 0)))
                        .as("segment %d without its past", k)
                        .isGreaterThan(0.05f);
            }
            previous = frame(got, CLIP, CLIP - 1);
        }
        float meanStep = (float) (withinSegments / withinCount);
        System.out.printf(
                "chained vs whole-audio head: worst frame %.4f; seams %.4f, frame to frame %.4f%n",
                worstChained, worstSeam, meanStep);
        // One 8-bit level is 0.0078 in [-1, 1]: within two on average over every frame (the head a fraction of a pixel
        // off where the measurement is), and a seam no larger a step than the frames within a segment take.
        assertThat(worstChained).as("chained against the whole-audio head").isLessThan(0.015f);
        assertThat(worstSeam).as("the step across a seam").isLessThan(2 * meanStep);
    }

    private static float[] render(
            PortraitGenerator generator, PortraitGenerator.Conditioning c, int start, float[] previous) {
        return generator
                .renderBatch(
                        List.of(new PortraitGenerator.Segment(image, landmarks, c, start, 7, new float[][] {previous})),
                        S,
                        S,
                        CLIP,
                        1,
                        Guidance.NONE)
                .get(0);
    }
}
