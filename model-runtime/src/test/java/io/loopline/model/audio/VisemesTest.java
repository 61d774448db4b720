package io.loopline.model.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VisemesTest {

    private final Visemes visemes = new Visemes();

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private static int[] counts(float[][] frames) {
        int[] counts = new int[Visemes.COUNT];
        for (float[] f : frames) {
            counts[argmax(f)]++;
        }
        return counts;
    }

    @Test
    void theModelHasItsThirtyNinePrototypes() {
        assertThat(visemes.prototypeCount()).isEqualTo(39);
    }

    @Test
    void probabilitiesAreDistributionsPerVideoFrame() throws Exception {
        float[] audio = WavFiles.read("/audio/sentence.wav");
        int frames = audio.length * 25 / 16000;
        float[][] p = visemes.perVideoFrame(audio, 25, frames);
        assertThat(p).hasNumberOfRows(frames);
        for (float[] f : p) {
            double sum = 0;
            for (float v : f) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-4));
        }
        Set<Integer> distinct = new HashSet<>();
        for (float[] f : p) {
            distinct.add(argmax(f));
        }
        assertThat(distinct).as("a sentence moves through many mouth shapes").hasSizeGreaterThanOrEqualTo(8);
        assertThat(argmax(p[frames - 1])).as("trailing silence").isEqualTo(Visemes.SILENCE);
    }

    @Test
    void openVowelsAreOpenAndSpreadVowelsAreSpread() throws Exception {
        int[] aa = counts(visemes.perVideoFrame(WavFiles.read("/audio/aa.wav"), 25, 16));
        assertThat(aa[Visemes.NAMES.indexOf("aa")]).as("\"ah\" frames").isGreaterThanOrEqualTo(8);
        int[] ee = counts(visemes.perVideoFrame(WavFiles.read("/audio/ee.wav"), 25, 15));
        assertThat(ee[Visemes.NAMES.indexOf("I")] + ee[Visemes.NAMES.indexOf("E")])
                .as("\"ee\" frames")
                .isGreaterThanOrEqualTo(7);
        assertThat(ee[Visemes.NAMES.indexOf("aa")]).isZero();
    }

    @Test
    void silenceIsSilence() {
        float[][] p = visemes.perVideoFrame(new float[16000], 25, 25);
        for (float[] f : p) {
            assertThat(argmax(f)).isEqualTo(Visemes.SILENCE);
        }
    }
}
