package io.loopline.cli.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VideoAnalysisTest {

    /** A fine texture, like an engraving's hatching, sampled at (x + dx, y + dy). */
    private static float[] hatching(double dx, double dy) {
        return hatching(dx, dy, 1);
    }

    /** The same texture sampled at (s·x + dx, s·y + dy): {@code s} > 1 shows it smaller, as a crop of a face scaled up. */
    private static float[] hatching(double dx, double dy, double s) {
        float[] out = new float[VideoAnalysis.ALIGNED_WIDTH * VideoAnalysis.ALIGNED_HEIGHT];
        for (int y = 0; y < VideoAnalysis.ALIGNED_HEIGHT; y++) {
            for (int x = 0; x < VideoAnalysis.ALIGNED_WIDTH; x++) {
                double u = s * x + dx;
                double v = s * y + dy;
                out[y * VideoAnalysis.ALIGNED_WIDTH + x] = (float) (128 + 60 * Math.sin(0.9 * u + 0.4 * v) + 40 * Math.cos(0.3 * u - 0.7 * v)
                    + 20 * Math.sin(0.05 * u * v / 10));
            }
        }
        return out;
    }

    @Test
    void aCropOffByAPixelIsRegisteredOntoTheReferenceBeforeItIsCompared() {
        float[] reference = hatching(0, 0);
        float[] jittered = hatching(1.2, -0.7);
        double unregistered = VideoAnalysis.ssim(jittered, reference);
        double registered = VideoAnalysis.ssim(VideoAnalysis.registered(jittered, reference), reference);
        assertThat(unregistered).isLessThan(0.8);
        assertThat(registered).isGreaterThan(0.95);
    }

    @Test
    void aCropScaledByAFewPercentIsRegisteredToo() {
        // The mesh's eye distance shifts with the mouth's opening: the two-point alignment then scales the crop.
        float[] reference = hatching(0, 0);
        float[] scaled = hatching(-1.5, -1.0, 1.03);
        assertThat(VideoAnalysis.ssim(scaled, reference)).isLessThan(0.6);
        assertThat(VideoAnalysis.ssim(VideoAnalysis.registered(scaled, reference), reference)).isGreaterThan(0.9);
    }
}
