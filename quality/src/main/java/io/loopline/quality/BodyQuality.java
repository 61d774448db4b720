package io.loopline.quality;

import io.loopline.tensor.Masks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The half-body figures of a video, measured on the luminance of every {@code sampleInterval}-th frame as it is
 * assembled:
 * <ul>
 *   <li>{@value #HAND_CLARITY} — CyberHost's Hand Clarity Score: the variance of the Laplacian in each hand's box,
 *       relative to the same box of the reference, averaged over hands and frames (1 = as sharp as the reference,
 *       below: blurred hands);
 *   <li>{@value #BACKGROUND_CHANGE} — how much the background moves: the mean absolute luminance difference from
 *       the reference over the pixels well away from the person (the person mask, grown by
 *       {@value #MASK_GROWTH} of the frame's width), in [0, 1].
 * </ul>
 * Frames are I420 as stored by render (luminance first), the reference in the same encoding.
 */
public final class BodyQuality {

    public static final String HAND_CLARITY = "hand_clarity";
    public static final String BACKGROUND_CHANGE = "background_change";
    /** How far beyond the person the background starts (the person's outline moves with breathing and the head). */
    static final double MASK_GROWTH = 0.04;

    private final int width;
    private final int height;
    private final byte[] referenceLuma;
    private final int[] background;
    private final List<int[]> hands;
    private final double[] referenceSharpness;
    private final int sampleInterval;
    private double clarity;
    private int clarityCount;
    private double change;
    private int changeCount;

    /**
     * @param referenceLuma the reference's luminance, {@code width × height} bytes (an I420 frame's first plane)
     * @param personMask the person mask, {@code width × height} bytes, 255 where the person is
     * @param handBoxes each hand's box {x0, y0, x1, y1} in pixels (exclusive ends)
     */
    public BodyQuality(
            int width, int height, byte[] referenceLuma, byte[] personMask, List<int[]> handBoxes, int sampleInterval) {
        this.width = width;
        this.height = height;
        this.referenceLuma = referenceLuma.clone();
        this.background = backgroundPixels(width, height, personMask, (int) Math.ceil(MASK_GROWTH * width));
        this.hands = handBoxes.stream().map(b -> clip(b, width, height)).toList();
        this.referenceSharpness = new double[hands.size()];
        for (int h = 0; h < hands.size(); h++) {
            referenceSharpness[h] = laplacianVariance(referenceLuma, 0, width, hands.get(h));
        }
        this.sampleInterval = Math.max(1, sampleInterval);
    }

    /** Measures frame {@code index} when it is a sampled one; frames may come in any order. */
    public void accept(int index, byte[] i420, int offset) {
        if (index % sampleInterval != 0) {
            return;
        }
        for (int h = 0; h < hands.size(); h++) {
            if (referenceSharpness[h] > 0) {
                clarity += laplacianVariance(i420, offset, width, hands.get(h)) / referenceSharpness[h];
                clarityCount++;
            }
        }
        if (background.length > 0) {
            long sum = 0;
            for (int p : background) {
                sum += Math.abs((i420[offset + p] & 0xff) - (referenceLuma[p] & 0xff));
            }
            change += sum / (255.0 * background.length);
            changeCount++;
        }
    }

    /**
     * The figures by name, and why each one left out could not be measured (no hand in the frame, no background
     * beside the person).
     */
    public VideoQuality.Figures figures() {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        if (clarityCount > 0) {
            out.put(HAND_CLARITY, round(clarity / clarityCount));
        } else {
            missing.put(HAND_CLARITY, "no hand is whole in the frame");
        }
        if (changeCount > 0) {
            out.put(BACKGROUND_CHANGE, round(change / changeCount));
        } else {
            missing.put(BACKGROUND_CHANGE, "the person fills the frame: there is no background to watch");
        }
        return new VideoQuality.Figures(out, missing);
    }

    /** The pixels (y · width + x) farther than {@code growth} pixels from any person pixel (a square neighbourhood). */
    static int[] backgroundPixels(int width, int height, byte[] mask, int growth) {
        boolean[] person = Masks.grow(Masks.person(mask), width, height, growth);
        int count = 0;
        for (boolean p : person) {
            count += p ? 0 : 1;
        }
        int[] pixels = new int[count];
        int i = 0;
        for (int p = 0; p < person.length; p++) {
            if (!person[p]) {
                pixels[i++] = p;
            }
        }
        return pixels;
    }

    /** The variance of the 4-neighbour Laplacian of the luminance inside a box, its border pixels excluded. */
    static double laplacianVariance(byte[] luma, int offset, int width, int[] box) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = box[1] + 1; y < box[3] - 1; y++) {
            for (int x = box[0] + 1; x < box[2] - 1; x++) {
                int p = offset + y * width + x;
                int laplacian = (luma[p - 1] & 0xff)
                        + (luma[p + 1] & 0xff)
                        + (luma[p - width] & 0xff)
                        + (luma[p + width] & 0xff)
                        - 4 * (luma[p] & 0xff);
                sum += laplacian;
                squares += (double) laplacian * laplacian;
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    private static int[] clip(int[] box, int width, int height) {
        return new int[] {Math.max(0, box[0]), Math.max(0, box[1]), Math.min(width, box[2]), Math.min(height, box[3])};
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
