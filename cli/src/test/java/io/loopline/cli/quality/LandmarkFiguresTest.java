package io.loopline.cli.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.loopline.quality.QualityMetrics;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The benchmark's landmark figures on series whose answer is known. */
class LandmarkFiguresTest {

    @Test
    void aBlinkIsCountedOnceEvenWhenTheEyeFlickersAroundTheThreshold() {
        // Eyes open at 0.30; one blink down to 0.10 whose way back up wobbles around 0.6 × 0.30, then a second blink.
        float[] ear = {
            0.30f, 0.30f, 0.17f, 0.10f, 0.19f, 0.17f, 0.19f, 0.26f, 0.30f, 0.30f, 0.30f, 0.12f, 0.28f, 0.30f, 0.30f,
            0.30f
        };
        assertThat(LandmarkFigures.blinks(ear)).isEqualTo(2);
        float[] open = {0.30f, 0.29f, 0.31f, 0.28f, 0.30f, Float.NaN, 0.30f};
        assertThat(LandmarkFigures.blinks(open)).isZero();
    }

    @Test
    void blinksAreBriefRisesOfTheEyesChangeNotHeldGazesWideEyesOrTrackingNoise() {
        Random random = new Random(1);
        float[] change = new float[200];
        float[] ear = new float[200];
        for (int f = 0; f < change.length; f++) {
            change[f] = 0.05f
                    + 0.005f * (float) random.nextGaussian()
                    + (f >= 120 && f < 170 ? 0.15f : 0f); // gaze held from 120 to 170
            ear[f] = 0.30f + 0.002f * (float) random.nextGaussian();
        }
        for (int f : new int[] {40, 80}) {
            for (int k = 0; k < 4; k++) {
                change[f + k] += 0.2f; // lids over the eyes for 4 frames: the mesh's eye opening falls a little
                ear[f + k] = 0.25f;
            }
        }
        for (int k = 0; k < 4; k++) {
            change[100 + k] += 0.2f; // eyes widened under raised brows: as large a change, but the eye opens
            ear[100 + k] = 0.34f;
        }
        assertThat(LandmarkFigures.blinkPeaks(change, ear, 25, 0.1)).isEqualTo(2);
        // A lid closing over an eye the mesh does not follow at all: a clear rise, the eye aspect ratio unmoved.
        for (int k = 0; k < 4; k++) {
            change[150 + k] += 0.5f;
        }
        assertThat(LandmarkFigures.blinkPeaks(change, ear, 25, 0.1)).isEqualTo(3);
        // The same blinks on an eye tracked ten times as unsteadily are not told from its noise.
        float[] unsteady = new float[200];
        for (int f = 0; f < unsteady.length; f++) {
            unsteady[f] = 0.1f + 0.05f * (float) random.nextGaussian() + (f >= 40 && f < 44 ? 0.12f : 0f);
        }
        assertThat(LandmarkFigures.blinkPeaks(unsteady, ear, 25, 0.1)).isLessThanOrEqualTo(1);
    }

    @Test
    void onlySilencesOfAtLeast300MillisecondsCount() {
        float[] loudness = new float[30];
        Arrays.fill(loudness, -20f);
        for (int f = 5; f < 9; f++) {
            loudness[f] = -80f; // 4 frames = 160 ms: a pause between words
        }
        for (int f = 15; f < 25; f++) {
            loudness[f] = -80f; // 400 ms: silence
        }
        boolean[] silence = LandmarkFigures.silence(loudness, 25);
        assertThat(silence[6]).isFalse();
        assertThat(silence[15]).isTrue();
        assertThat(silence[24]).isTrue();
        assertThat(silence[25]).isFalse();
    }

    @Test
    void theSilentLipRatioCountsOpeningBeyondTheRestingMouth() {
        float[] gap = {0.20f, 0.20f, 0.30f, 0.10f, 0.20f, 0.21f};
        boolean[] speech = {false, false, true, true, false, false};
        boolean[] silence = {true, true, false, false, true, true};
        // A smile whose lips are 0.20 apart at rest and stay so in silence: no silent opening at all.
        assertThat(LandmarkFigures.silentLipRatio(gap, 0.20, speech, silence))
                .isCloseTo(0.0025 / 0.05, Offset.offset(1e-6));
        // Measured from closed lips instead, the same smile would look open in silence.
        assertThat(LandmarkFigures.silentLipRatio(gap, 0.0, speech, silence)).isGreaterThan(0.9);
    }

    @Test
    void lipsThatCloseInAPauseAreAtRestNotTalking() {
        float[] gap = {0.02f, 0.01f, 0.25f, 0.15f, 0.0f, 0.0f};
        boolean[] speech = {false, false, true, true, false, false};
        boolean[] silence = {true, true, false, false, true, true};
        // Lips parted by 0.09 at rest, pressed together in the pauses: nothing opens in silence.
        assertThat(LandmarkFigures.silentLipRatio(gap, 0.09, speech, silence)).isZero();
        // Opening in a pause as wide as in speech reads as talking.
        float[] talking = {0.25f, 0.15f, 0.25f, 0.15f, 0.25f, 0.15f};
        assertThat(LandmarkFigures.silentLipRatio(talking, 0.09, speech, silence))
                .isCloseTo(1.0, Offset.offset(1e-6));
    }

    @Test
    void thevalLipSyncIsZeroForAMouthThatOpensExactlyAsLoudAsTheSoundIs() {
        int fps = 25;
        int frames = 100;
        float[] audio = new float[frames * 16_000 / fps];
        float[] envelope = new float[frames];
        for (int f = 0; f < frames; f++) {
            envelope[f] = (float) (0.1 + 0.9 * Math.abs(Math.sin(f / 6.0)));
        }
        for (int i = 0; i < audio.length; i++) {
            double t = i / 16_000.0;
            double pos = t * fps;
            int f = Math.min(frames - 1, (int) pos);
            audio[i] = (float) (envelope[f] * Math.sin(2 * Math.PI * 200 * t));
        }
        float[] loudness = QualityMetrics.loudnessDb(audio, fps, frames);
        float[] volume = LandmarkFigures.rmsAtFrames(audio, fps, frames);
        double matched = LandmarkFigures.thevalLipSync(volume, audio, loudness, fps);
        float[] reversed = new float[frames];
        for (int f = 0; f < frames; f++) {
            reversed[f] = 1 - volume[f];
        }
        double opposite = LandmarkFigures.thevalLipSync(reversed, audio, loudness, fps);
        assertThat(matched).isLessThan(1e-6);
        assertThat(opposite).isGreaterThan(0.3);
    }
}
