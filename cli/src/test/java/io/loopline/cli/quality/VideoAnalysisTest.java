package io.loopline.cli.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;

import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
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
                out[y * VideoAnalysis.ALIGNED_WIDTH + x] = (float) (128
                        + 60 * Math.sin(0.9 * u + 0.4 * v)
                        + 40 * Math.cos(0.3 * u - 0.7 * v)
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
        assertThat(VideoAnalysis.ssim(VideoAnalysis.registered(scaled, reference), reference))
                .isGreaterThan(0.9);
    }

    @Test
    void aBriefBlinkStandsOutOfTheEyesChangeAndAHeldGazeShiftDoesNot() {
        Random random = new Random(3);
        float[] open = new float[650];
        float[] closed = new float[650];
        float[] lookingAside = new float[650];
        for (int i = 0; i < open.length; i++) {
            open[i] = 60 + 40 * random.nextFloat();
            closed[i] = i % 25 < 12 ? 70 : open[i]; // lids over the upper half of each row: the iris gone
            lookingAside[i] = open[(i + 3) % open.length];
        }
        float[][] patches = new float[60][];
        for (int f = 0; f < patches.length; f++) {
            patches[f] = f >= 10 && f < 15 ? closed : f >= 30 ? lookingAside : open;
        }
        patches[45] = null; // no face found there
        float[] change = VideoAnalysis.eyeChange(patches, 12);
        assertThat(change[12]).isGreaterThan(0.3f);
        for (int f = 20; f < 60; f++) {
            assertThat(f == 45 ? Float.isNaN(change[f]) : change[f] < 0.01f)
                    .as("frame %d", f)
                    .isTrue();
        }
    }

    @Test
    void aFinelyHatchedFaceMovedByHalfAPixelIsAlignedIntoTheSameCrop() {
        // Eyes 100 px apart are shrunk to 48: sampled without a low-pass first, hatching this fine aliases into a moiré
        // that depends on the sub-pixel position.
        float[] landmarks = new float[468 * 3];
        float[] moved = new float[468 * 3];
        for (int[] eye : new int[][] {{33, 73}, {133, 83}, {362, 173}, {263, 183}}) {
            landmarks[3 * eye[0]] = eye[1];
            landmarks[3 * eye[0] + 1] = 100;
            moved[3 * eye[0]] = eye[1] + 0.5f;
            moved[3 * eye[0] + 1] = 100.5f;
        }
        try (Mat still = hatchedImage(0);
                Mat shifted = hatchedImage(0.5)) {
            double similarity = VideoAnalysis.ssim(
                    VideoAnalysis.alignedUpperFace(shifted, moved), VideoAnalysis.alignedUpperFace(still, landmarks));
            assertThat(similarity).isGreaterThan(0.95);
        }
    }

    /** A 256² gray image of hatching 2.3 px apart, its content moved by (d, d). */
    private static Mat hatchedImage(double d) {
        Mat m = new Mat(256, 256, CV_8U);
        UByteIndexer idx = m.createIndexer();
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                double u = x - d;
                double v = y - d;
                idx.put(y, x, (int) Math.round(128
                        + 50 * Math.sin(2 * Math.PI * (u + 0.3 * v) / 2.3)
                        + 30 * Math.sin(u / 17.0) * Math.cos(v / 23.0)));
            }
        }
        idx.release();
        return m;
    }
}
