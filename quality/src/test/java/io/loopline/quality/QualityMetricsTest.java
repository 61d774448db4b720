package io.loopline.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.tensor.FrameCodec;
import io.loopline.tensor.Images;
import io.loopline.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mouth signal and the lip-sync figures on videos made from a real portrait (the Grace Hopper
 * photo at 256×256 and its face mesh) whose mouth is painted open by a known amount per frame, with
 * audio whose loudness is known per frame: a mouth that moves with the sound correlates clearly, one
 * that does not move gives no figure instead of a 0, a lag of a few frames is found, and a reference
 * that shows its teeth at rest does not read as an open mouth in silence.
 */
class QualityMetricsTest {

    private static final int S = 256;
    private static final int FPS = 25;
    private static final int FRAMES = 150;

    private static float[] reference;
    private static float[] landmarks;

    @BeforeAll
    static void load() throws Exception {
        BufferedImage image = ImageIO.read(QualityMetricsTest.class.getResource("/portrait/reference-256.png"));
        reference = Images.toRgbMinusOneToOne(image);
        try (InputStream in = QualityMetricsTest.class.getResourceAsStream("/portrait/landmarks-256.npy")) {
            landmarks = Npy.read(in).data();
        }
    }

    /**
     * Per frame, how loud the audio is (0 silent, 1 loudest): 1.2 s of silence, then syllables at 4 Hz
     * whose peaks vary, a pause, more syllables, and silence at the end.
     */
    private static float[] envelope() {
        float[] e = new float[FRAMES];
        Random random = new Random(3);
        for (int f = 0; f < FRAMES; f++) {
            double t = f / (double) FPS;
            boolean speaking = (t >= 1.2 && t < 3.0) || (t >= 3.6 && t < 5.4);
            if (speaking) {
                double syllable = 0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t);
                e[f] = (float) (0.15 + 0.85 * syllable * (0.6 + 0.4 * random.nextDouble()));
            }
        }
        return e;
    }

    /** 16 kHz audio: a 180 Hz buzz (voiced speech's pitch) whose amplitude follows {@code envelope}. */
    private static float[] audio(float[] envelope) {
        float[] audio = new float[FRAMES * 16_000 / FPS];
        for (int i = 0; i < audio.length; i++) {
            int f = i * FPS / 16_000;
            audio[i] = (float) (0.5 * envelope[f] * Math.sin(2 * Math.PI * 180 * i / 16_000.0));
        }
        return audio;
    }

    /**
     * A video of the reference whose mouth opens by {@code opening[f]} (0 closed, 1 wide): a dark oval
     * between the lip corners, its height growing with the opening, drawn over {@code base}.
     */
    private static float[] video(float[] base, float[] opening, int shiftX) {
        float[] video = new float[3 * FRAMES * S * S];
        float cx = (landmarks[3 * 61] + landmarks[3 * 291]) / 2;
        float cy = (landmarks[3 * 13 + 1] + landmarks[3 * 14 + 1]) / 2;
        float halfWidth = (landmarks[3 * 291] - landmarks[3 * 61]) * 0.4f;
        for (int f = 0; f < FRAMES; f++) {
            float halfHeight = opening[f] * 9f;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < S; y++) {
                    for (int x = 0; x < S; x++) {
                        int sx = Math.max(0, Math.min(S - 1, x - shiftX));
                        float v = base[(c * S + y) * S + sx];
                        if (halfHeight > 0.5f) {
                            double dx = (x - shiftX - cx) / halfWidth;
                            double dy = (y - cy - halfHeight * 0.6) / halfHeight;
                            if (dx * dx + dy * dy < 1) {
                                v = -0.85f; // the mouth's dark interior
                            }
                        }
                        video[((c * FRAMES + f) * S + y) * S + x] = v;
                    }
                }
            }
        }
        return video;
    }

    /** The reference with its lips parted over a row of teeth: a smiling portrait at rest. */
    private static float[] smilingReference() {
        float[] smiling = reference.clone();
        float cy = (landmarks[3 * 13 + 1] + landmarks[3 * 14 + 1]) / 2;
        int x0 = Math.round(landmarks[3 * 61] + 3);
        int x1 = Math.round(landmarks[3 * 291] - 3);
        for (int y = Math.round(cy) - 1; y <= Math.round(cy) + 4; y++) {
            for (int x = x0; x <= x1; x++) {
                boolean gap = (x - x0) % 6 == 0; // the dark lines between teeth
                for (int c = 0; c < 3; c++) {
                    smiling[(c * S + y) * S + x] = gap ? -0.3f : 0.85f;
                }
            }
        }
        return smiling;
    }

    /** Mouth opening that follows the loudness {@code lag} frames later. */
    private static float[] following(float[] envelope, int lag) {
        float[] opening = new float[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            int source = f - lag;
            opening[f] = source >= 0 && source < FRAMES ? envelope[source] : 0;
        }
        return opening;
    }

    @Test
    void aMouthThatMovesWithTheSoundCorrelatesClearly() {
        float[] envelope = envelope();
        float[] loudness = QualityMetrics.loudnessDb(audio(envelope), FPS, FRAMES);
        float[] mouth = QualityMetrics.mouthOpenness(video(reference, envelope, 0), FRAMES, S, S, reference, landmarks);

        QualityMetrics.Measured sync = QualityMetrics.lipSync(mouth, loudness);
        assertThat(sync.defined()).as(String.valueOf(sync.reason())).isTrue();
        assertThat(sync.value()).isGreaterThan(0.7);
        assertThat(sync.lagFrames()).isZero();
        assertThat(QualityMetrics.silentLipRatio(mouth, loudness)).isLessThan(0.1);
    }

    @Test
    void aMouthThatNeverMovesGivesNoCorrelationRatherThanAZero() {
        float[] envelope = envelope();
        float[] loudness = QualityMetrics.loudnessDb(audio(envelope), FPS, FRAMES);
        float[] still = video(reference, new float[FRAMES], 0);
        // The codec's kind of noise: a little, everywhere, different in each frame.
        Random random = new Random(11);
        for (int i = 0; i < still.length; i++) {
            still[i] += (float) (random.nextGaussian() * 0.01);
        }
        float[] mouth = QualityMetrics.mouthOpenness(still, FRAMES, S, S, reference, landmarks);

        QualityMetrics.Measured sync = QualityMetrics.lipSync(mouth, loudness);
        assertThat(sync.defined()).isFalse();
        assertThat(sync.reason()).contains("does not move");
        assertThat(QualityMetrics.lipSyncProxy(mouth, loudness)).isNaN();

        // Mux's figures leave lip_sync out and say why, rather than report a correlation of noise.
        VideoQuality quality = new VideoQuality(S, S, FPS, FRAMES, reference, landmarks, audio(envelope), 5);
        byte[] frames = FrameCodec.toI420(still, FRAMES, S, S);
        int frameBytes = FrameCodec.frameBytes(S, S);
        float[] crop = quality.newCropBuffer();
        for (int f = 0; f < FRAMES; f++) {
            quality.crop(frames, f * frameBytes, crop);
            quality.measure(f, crop, f % 32 == 0);
        }
        VideoQuality.Figures figures = quality.figures();
        assertThat(figures.measured()).doesNotContainKey(VideoQuality.LIP_SYNC).containsKey(VideoQuality.IDENTITY_MEAN);
        assertThat(figures.unmeasured()).containsKey(VideoQuality.LIP_SYNC);
    }

    @Test
    void constantLoudnessOrTooLittleSpeechGivesNoCorrelation() {
        float[] mouth = new float[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            mouth[f] = (float) Math.abs(Math.sin(f / 3.0));
        }
        float[] flat = new float[FRAMES];
        Arrays.fill(flat, -20f);
        assertThat(QualityMetrics.lipSync(mouth, flat).reason()).contains("loudness is constant");
        float[] burst = new float[FRAMES];
        Arrays.fill(burst, -100f);
        burst[40] = -10f;
        assertThat(QualityMetrics.lipSync(mouth, burst).reason()).contains("speech frames");
        assertThat(QualityMetrics.silentLips(mouth, flat).defined())
                .as("no silence, no silent-lip ratio")
                .isFalse();
    }

    @Test
    void aMouthTrailingTheSoundIsFoundAtItsLag() {
        float[] envelope = envelope();
        float[] loudness = QualityMetrics.loudnessDb(audio(envelope), FPS, FRAMES);
        float[] trailing = QualityMetrics.mouthOpenness(
                video(reference, following(envelope, 2), 0), FRAMES, S, S, reference, landmarks);
        QualityMetrics.Measured sync = QualityMetrics.lipSync(trailing, loudness);
        assertThat(sync.lagFrames()).isEqualTo(2);
        assertThat(sync.value()).isGreaterThan(0.7);

        // Three frames is the window: a mouth six frames (240 ms, a syllable) late is out of sync, and says so.
        float[] late = QualityMetrics.mouthOpenness(
                video(reference, following(envelope, 6), 0), FRAMES, S, S, reference, landmarks);
        assertThat(QualityMetrics.lipSync(late, loudness).value()).isLessThan(sync.value() - 0.3);
    }

    @Test
    void aSmilingReferenceAtRestDoesNotReadAsOpenLips() {
        float[] smiling = smilingReference();
        float[] envelope = envelope();
        float[] loudness = QualityMetrics.loudnessDb(audio(envelope), FPS, FRAMES);
        float[] mouth = QualityMetrics.mouthOpenness(video(smiling, envelope, 0), FRAMES, S, S, smiling, landmarks);

        assertThat(QualityMetrics.silentLipRatio(mouth, loudness))
                .as("teeth showing in silence are the rest state")
                .isLessThan(0.1);
        // The first opening already hides most of the teeth, so the signal saturates sooner than on closed lips: still
        // clearly in sync.
        assertThat(QualityMetrics.lipSyncProxy(mouth, loudness)).isGreaterThan(0.5);
    }

    @Test
    void headMotionInSilenceIsNotReadAsMouthMotion() {
        float[] envelope = envelope();
        float[] loudness = QualityMetrics.loudnessDb(audio(envelope), FPS, FRAMES);
        float[] still = QualityMetrics.mouthOpenness(
                video(reference, new float[FRAMES], 4), FRAMES, S, S, reference, landmarks);
        float[] speaking =
                QualityMetrics.mouthOpenness(video(reference, envelope, 0), FRAMES, S, S, reference, landmarks);
        float largestStill = 0;
        float largestSpeaking = 0;
        for (int f = 0; f < FRAMES; f++) {
            largestStill = Math.max(largestStill, still[f]);
            largestSpeaking = Math.max(largestSpeaking, speaking[f]);
        }
        assertThat(largestStill).as("the head 4 px to the side, mouth closed").isLessThan(0.1f * largestSpeaking);
    }
}
