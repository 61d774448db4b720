package io.loopline.cli.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import java.util.Random;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

class LipTrackerTest {

    private static final int SIZE = 256;
    /** Where the lips meet, and the eye distance (eyes at y 60, x 78 and 178). */
    private static final int MOUTH_X = 128;

    private static final int MOUTH_Y = 150;
    private static final double EYES = 100;

    @Test
    void theGapGrowsByHowFarTheLowerLipDropsAndNotWithTheHead() {
        float[] landmarks = landmarks();
        try (Mat reference = texture();
                LipTracker lips = new LipTracker(reference, landmarks);
                Mat open = jawDropped(reference, 9);
                Mat moved = shifted(reference, 5, 3)) {
            assertThat(lips.gap(reference, 0, 0)).isCloseTo(0, within(0.003));
            assertThat(lips.gap(open, 0, 0)).isCloseTo(9 / EYES, within(0.015));
            // The mesh's estimate of the head's motion is rarely exact: the flow finds what it leaves.
            assertThat(lips.gap(moved, 4, 2)).isCloseTo(0, within(0.01));
            assertThat(lips.gap(moved, 0, 0)).isCloseTo(0, within(0.01));
        }
    }

    private static float[] landmarks() {
        float[] lm = new float[468 * 3];
        set(lm, 33, 73, 60);
        set(lm, 133, 83, 60);
        set(lm, 362, 173, 60);
        set(lm, 263, 183, 60);
        set(lm, 0, MOUTH_X, MOUTH_Y - 10); // upper lip's outer edge
        set(lm, LandmarkFigures.UPPER_INNER_LIP, MOUTH_X, MOUTH_Y);
        set(lm, LandmarkFigures.LOWER_INNER_LIP, MOUTH_X, MOUTH_Y);
        set(lm, 17, MOUTH_X, MOUTH_Y + 12); // lower lip's outer edge
        for (int[] side : new int[][] {{-8, 37, 82, 87, 84}, {8, 267, 312, 317, 314}}) {
            set(lm, side[1], MOUTH_X + side[0], MOUTH_Y - 9);
            set(lm, side[2], MOUTH_X + side[0], MOUTH_Y);
            set(lm, side[3], MOUTH_X + side[0], MOUTH_Y);
            set(lm, side[4], MOUTH_X + side[0], MOUTH_Y + 11);
        }
        set(lm, 61, MOUTH_X - 25, MOUTH_Y);
        set(lm, 291, MOUTH_X + 25, MOUTH_Y);
        return lm;
    }

    private static void set(float[] lm, int i, float x, float y) {
        lm[3 * i] = x;
        lm[3 * i + 1] = y;
    }

    /** Smoothed noise: texture for the flow to follow everywhere. */
    private static Mat texture() {
        Random random = new Random(7);
        Mat noise = new Mat(SIZE, SIZE, CV_8U);
        UByteIndexer idx = noise.createIndexer();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                idx.put(y, x, 40 + random.nextInt(176));
            }
        }
        idx.release();
        Mat smooth = new Mat();
        GaussianBlur(noise, smooth, new Size(0, 0), 1.5);
        noise.close();
        return smooth;
    }

    /** Everything below the lips' line moved down by {@code drop} pixels, a dark mouth in the gap. */
    private static Mat jawDropped(Mat reference, int drop) {
        Mat out = reference.clone();
        UByteIndexer in = reference.createIndexer();
        UByteIndexer o = out.createIndexer();
        for (int y = MOUTH_Y; y < SIZE; y++) {
            for (int x = MOUTH_X - 60; x < MOUTH_X + 60; x++) {
                o.put(
                        y,
                        x,
                        y < MOUTH_Y + drop && Math.abs(x - MOUTH_X) < 30 ? 20 : in.get(Math.max(MOUTH_Y, y - drop), x));
            }
        }
        in.release();
        o.release();
        return out;
    }

    /** The whole image moved by (dx, dy). */
    private static Mat shifted(Mat reference, int dx, int dy) {
        Mat out = reference.clone();
        UByteIndexer in = reference.createIndexer();
        UByteIndexer o = out.createIndexer();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                o.put(y, x, in.get(Math.max(0, Math.min(SIZE - 1, y - dy)), Math.max(0, Math.min(SIZE - 1, x - dx))));
            }
        }
        in.release();
        o.release();
        return out;
    }
}
