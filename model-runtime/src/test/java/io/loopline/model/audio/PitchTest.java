package io.loopline.model.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PitchTest {

    private static final int FPS = 25;

    /** A voice-like tone: a fundamental and four harmonics of falling strength. */
    private static void tone(float[] audio, int from, int to, double hz) {
        for (int i = from; i < to; i++) {
            double t = i / (double) Pitch.SAMPLE_RATE;
            double v = 0;
            for (int h = 1; h <= 5; h++) {
                v += Math.sin(2 * Math.PI * hz * h * t) / h;
            }
            audio[i] = (float) (0.2 * v);
        }
    }

    @Test
    void aRisingVoiceReadsAsHigherThanTheSpeakersOwnPitchAndNoiseAndSilenceAsUnvoiced() {
        int rate = Pitch.SAMPLE_RATE;
        float[] audio = new float[3 * rate];
        tone(audio, 0, rate * 12 / 10, 150); // 0–1.2 s: the speaker's usual pitch
        tone(audio, rate * 12 / 10, rate * 2, 200); // 1.2–2.0 s: a rise of log2(200/150) = 0.415 octave
        Random random = new Random(3); // 2.0–2.5 s: silence; 2.5–3.0 s: a hiss
        for (int i = rate * 5 / 2; i < audio.length; i++) {
            audio[i] = (float) (0.1 * random.nextGaussian());
        }
        float[][] pitch = new Pitch().perVideoFrame(audio, FPS, 75);

        assertThat(pitch[10][Pitch.VOICED]).isEqualTo(1f);
        assertThat(pitch[10][Pitch.RELATIVE]).isCloseTo(0f, offset(0.02f));
        assertThat(pitch[40][Pitch.VOICED]).isEqualTo(1f);
        assertThat(pitch[40][Pitch.RELATIVE]).isCloseTo(0.415f, offset(0.02f));
        assertThat(pitch[56][Pitch.VOICED]).isZero();
        assertThat(pitch[70][Pitch.VOICED]).isZero();
        assertThat(pitch[70][Pitch.RELATIVE]).isZero();
    }

    @Test
    void aDeepVoiceIsFoundAtItsFundamentalNotAnOctaveUp() {
        float[] audio = new float[Pitch.SAMPLE_RATE];
        tone(audio, 0, audio.length, 85);
        double[] scratch = new double[Pitch.SAMPLE_RATE];
        assertThat(Pitch.fundamental(audio, 4000, scratch)).isCloseTo(85, offset(1.0));
    }
}
