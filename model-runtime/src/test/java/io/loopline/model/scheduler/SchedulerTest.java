package io.loopline.model.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.loopline.model.scheduler.NoiseSchedule.BetaSchedule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerTest {

    private static final NoiseSchedule SD = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, 0.00085, 0.012, 1000);

    static List<Scheduler> schedulers() {
        return List.of(
                new DdimScheduler(SD, PredictionType.EPSILON, 25, 0.0),
                new DdimScheduler(SD, PredictionType.V_PREDICTION, 25, 0.0),
                new DdimScheduler(SD, PredictionType.EPSILON, 10, 1.0),
                new DdimScheduler(SD, PredictionType.V_PREDICTION, 10, 0.5),
                new EulerScheduler(SD, PredictionType.EPSILON, 20),
                new EulerScheduler(SD, PredictionType.V_PREDICTION, 20),
                new DdimScheduler(SD, PredictionType.SAMPLE, 25, 0.0),
                new DdimScheduler(SD, PredictionType.SAMPLE, 10, 0.5),
                new EulerScheduler(SD, PredictionType.SAMPLE, 20),
                new DdimScheduler(
                        NoiseSchedule.of(BetaSchedule.LINEAR, 0.0001, 0.02, 1000), PredictionType.EPSILON, 1, 0.0));
    }

    /** A denoiser that knows the clean sample recovers it exactly, whatever the sampler. */
    @ParameterizedTest
    @MethodSource("schedulers")
    void anOracleDenoiserRecoversTheCleanSample(Scheduler scheduler) {
        float[] target = SeededNoise.of(7, 1).gaussian(4096);
        SeededNoise noise = SeededNoise.of(7, 2);
        float[] x = scheduler.initialSample(noise.gaussian(target.length));
        for (int i = 0; i < scheduler.steps(); i++) {
            float[] out = scheduler.idealOutput(x, target, i);
            scheduler.step(out, i, x, noise);
        }
        for (int k = 0; k < target.length; k++) {
            assertThat(x[k]).isCloseTo(target[k], within(2e-3f));
        }
    }

    @Test
    void ddimStepMatchesItsClosedForm() {
        DdimScheduler ddim = new DdimScheduler(SD, PredictionType.EPSILON, 4, 0.0);
        assertThat(ddim.timestep(0)).isEqualTo(750);
        assertThat(ddim.timestep(3)).isEqualTo(0);
        double a = SD.alphaBar(750);
        double aNext = SD.alphaBar(500);
        float[] x = {0.7f};
        float eps = 0.3f;
        ddim.step(new float[] {eps}, 0, x, SeededNoise.of(0));
        double x0 = (0.7 - Math.sqrt(1 - a) * eps) / Math.sqrt(a);
        assertThat((double) x[0]).isCloseTo(Math.sqrt(aNext) * x0 + Math.sqrt(1 - aNext) * eps, within(1e-6));
    }

    @Test
    void scheduleValuesAreTheKnownOnes() {
        // Stable Diffusion's scaled-linear schedule: ᾱ_0 = 1 − 0.00085, ᾱ_999 ≈ 0.00466.
        assertThat(SD.alphaBar(0)).isCloseTo(0.99915, within(1e-9));
        assertThat(SD.alphaBar(999)).isCloseTo(0.0046, within(1e-4));
        assertThat(SD.alphaBar(-1)).isEqualTo(1.0);
        assertThat(SD.timesteps(5)).containsExactly(800, 600, 400, 200, 0);
    }

    @Test
    void sameSeedSameBitsAndStreamsAreIndependent() {
        float[] a = SeededNoise.of(42, 3, 7).gaussian(1001);
        float[] b = SeededNoise.of(42, 3, 7).gaussian(1001);
        float[] c = SeededNoise.of(42, 3, 8).gaussian(1001);
        assertThat(Arrays.equals(a, b)).isTrue();
        assertThat(Arrays.equals(a, c)).isFalse();
        double mean = 0;
        double var = 0;
        float[] big = SeededNoise.of(1).gaussian(200_000);
        for (float v : big) {
            mean += v;
        }
        mean /= big.length;
        for (float v : big) {
            var += (v - mean) * (v - mean);
        }
        var /= big.length;
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(var).isCloseTo(1, within(0.01));
    }

    @Test
    void theTailsHaveTheNormalsWeight() {
        // Includes the ziggurat's base-layer tail (beyond 3.44) and its wedges.
        float[] big = SeededNoise.of(9).gaussian(400_000);
        int beyond2 = 0;
        int beyond3 = 0;
        int beyond35 = 0;
        for (float v : big) {
            double a = Math.abs(v);
            beyond2 += a > 2 ? 1 : 0;
            beyond3 += a > 3 ? 1 : 0;
            beyond35 += a > 3.5 ? 1 : 0;
        }
        assertThat(beyond2 / 400_000.0).as("P(|z| > 2)").isCloseTo(0.0455, within(0.002));
        assertThat(beyond3 / 400_000.0).as("P(|z| > 3)").isCloseTo(0.0027, within(0.0003));
        assertThat(beyond35 / 400_000.0).as("P(|z| > 3.5)").isCloseTo(4.65e-4, within(8e-5));
    }

    @ParameterizedTest
    @MethodSource("schedulers")
    void samplingIsBitIdenticalForTheSameSeed(Scheduler scheduler) {
        float[] first = sample(scheduler, 99);
        float[] second = sample(scheduler, 99);
        assertThat(Arrays.equals(first, second)).isTrue();
        assertThat(Arrays.equals(first, sample(scheduler, 100))).isFalse();
    }

    private static float[] sample(Scheduler scheduler, long seed) {
        SeededNoise noise = SeededNoise.of(seed);
        float[] x = scheduler.initialSample(noise.gaussian(257));
        for (int i = 0; i < scheduler.steps(); i++) {
            float[] in = scheduler.scaleInput(x, i);
            float[] out = new float[in.length];
            for (int k = 0; k < out.length; k++) {
                out[k] = (float) Math.tanh(in[k]) * 0.5f; // some fixed, non-trivial "model"
            }
            scheduler.step(out, i, x, noise);
        }
        return x;
    }

    @Test
    void guidanceCombinesTwoConditions() {
        Guidance g = new Guidance(3f, 2f);
        float[] out = g.combine(new float[] {1f}, new float[] {2f}, new float[] {4f});
        // 1 + 2·(2 − 1) + 3·(4 − 2) = 9
        assertThat(out[0]).isEqualTo(9f);
        assertThat(Guidance.NONE.combine(new float[] {1f}, new float[] {2f}, new float[] {4f})[0])
                .isEqualTo(4f);
        assertThat(Guidance.NONE.needsExtraPasses()).isFalse();
    }
}
