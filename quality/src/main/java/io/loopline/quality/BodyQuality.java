package io.loopline.quality;

import io.loopline.tensor.Masks;
import java.util.Arrays;
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
 *       {@value #MASK_GROWTH} of the frame's width), in [0, 1];
 *   <li>{@value #HAND_MOTION} — how much the hands move: their mean speed in frame widths per second (hands that
 *       rest on the face are left out: they move with it);
 *   <li>{@value #HAND_ONSET_CORRELATION} — whether they move with the speech's rhythm: the Pearson correlation of
 *       the hands' speed with the audio's onset strength (the rise of its loudness from frame to frame), both
 *       smoothed over a few frames, over the whole video.
 * </ul>
 * Each hand is found in every frame by matching the reference's hand box around where it was (sum of absolute
 * luminance differences, coarse then fine, within {@value #HAND_SEARCH} of the frame's width): its clarity is
 * measured where it is, and its path gives the speed. Frames are I420 as stored by render (luminance first), the
 * reference in the same encoding.
 */
public final class BodyQuality {

    public static final String HAND_CLARITY = "hand_clarity";
    public static final String BACKGROUND_CHANGE = "background_change";
    public static final String HAND_MOTION = "hand_motion";
    public static final String HAND_ONSET_CORRELATION = "hand_onset_correlation";
    /** How far from its place in the reference a hand is looked for, as a share of the frame's width. */
    static final double HAND_SEARCH = 0.1;
    /** The coarse search's step in pixels; the fine one then looks within it. */
    private static final int COARSE_STEP = 4;
    /** Both signals of the onset correlation are smoothed by a Gaussian of this many frames. */
    private static final double SMOOTHING_FRAMES = 2;
    /** How far beyond the person the background starts (the person's outline moves with breathing and the head). */
    static final double MASK_GROWTH = 0.04;

    private final int width;
    private final int height;
    private final byte[] referenceLuma;
    private final int[] background;
    private final List<int[]> hands;
    private final double[] referenceSharpness;
    private final int sampleInterval;
    private final int fps;
    private final double[] onsets;
    /** Each hand's offset from its reference box, per frame: x then y. */
    private final int[][] handOffsets;

    private final boolean[] tracked;
    /** Hands clear of the face: their motion is theirs. */
    private final boolean[] gesturing;

    private double clarity;
    private int clarityCount;
    private double change;
    private int changeCount;

    /**
     * @param referenceLuma the reference's luminance, {@code width × height} bytes (an I420 frame's first plane)
     * @param personMask the person mask, {@code width × height} bytes, 255 where the person is
     * @param handBoxes each hand's box {x0, y0, x1, y1} in pixels (exclusive ends)
     * @param faceBox the face's box {x0, y0, x1, y1}: a hand that touches it (on the chin, at the cheek) moves with
     *     the face, so its motion says nothing of gestures and is left out of {@value #HAND_MOTION} and
     *     {@value #HAND_ONSET_CORRELATION}
     * @param audio16k the request's audio, 16 kHz mono, for the onsets
     */
    public BodyQuality(
            int width,
            int height,
            byte[] referenceLuma,
            byte[] personMask,
            List<int[]> handBoxes,
            int[] faceBox,
            float[] audio16k,
            int fps,
            int totalFrames,
            int sampleInterval) {
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
        this.fps = fps;
        this.onsets = onsetStrength(QualityMetrics.loudnessDb(audio16k, fps, totalFrames));
        this.handOffsets = new int[hands.size()][2 * totalFrames];
        this.gesturing = new boolean[hands.size()];
        for (int h = 0; h < hands.size(); h++) {
            int[] box = hands.get(h);
            gesturing[h] = box[2] <= faceBox[0] || box[0] >= faceBox[2] || box[3] <= faceBox[1] || box[1] >= faceBox[3];
        }
        this.tracked = new boolean[totalFrames];
    }

    /** Measures frame {@code index} when it is a sampled one; frames may come in any order. */
    public void accept(int index, byte[] i420, int offset) {
        int[][] boxes = new int[hands.size()][];
        if (index >= 0 && index < tracked.length) {
            for (int h = 0; h < hands.size(); h++) {
                int[] found = track(i420, offset, hands.get(h));
                handOffsets[h][2 * index] = found[0];
                handOffsets[h][2 * index + 1] = found[1];
                int[] box = hands.get(h);
                boxes[h] = new int[] {box[0] + found[0], box[1] + found[1], box[2] + found[0], box[3] + found[1]};
            }
            tracked[index] = true;
        }
        if (index % sampleInterval != 0) {
            return;
        }
        for (int h = 0; h < hands.size(); h++) {
            if (referenceSharpness[h] > 0 && boxes[h] != null) {
                clarity += laplacianVariance(i420, offset, width, boxes[h]) / referenceSharpness[h];
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
        double[] speed = handSpeed();
        if (speed != null) {
            out.put(HAND_MOTION, round(Arrays.stream(speed).average().orElse(0) * fps / width));
            double r = pearson(smooth(speed), smooth(onsets));
            if (Double.isFinite(r)) {
                out.put(HAND_ONSET_CORRELATION, round(r));
            } else {
                missing.put(HAND_ONSET_CORRELATION, "the hands or the audio's loudness never change");
            }
        } else {
            String why = hands.isEmpty()
                    ? "no hand is whole in the frame"
                    : "every hand in the frame rests on the face and moves with it";
            missing.put(HAND_MOTION, why);
            missing.put(HAND_ONSET_CORRELATION, why);
        }
        return new VideoQuality.Figures(out, missing);
    }

    /**
     * Where a hand's box is in a frame: the offset {dx, dy} from its reference place with the least sum of
     * absolute luminance differences, searched every {@value #COARSE_STEP} pixels on every other pixel of the box,
     * then pixel by pixel around the best.
     */
    private int[] track(byte[] i420, int offset, int[] box) {
        int reach = (int) Math.ceil(HAND_SEARCH * width);
        int[] best = {0, 0};
        long bestCost = Long.MAX_VALUE;
        for (int dy = -reach; dy <= reach; dy += COARSE_STEP) {
            for (int dx = -reach; dx <= reach; dx += COARSE_STEP) {
                long cost = difference(i420, offset, box, dx, dy, 2, bestCost);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new int[] {dx, dy};
                }
            }
        }
        int[] coarse = best;
        bestCost = Long.MAX_VALUE;
        for (int dy = coarse[1] - COARSE_STEP + 1; dy < coarse[1] + COARSE_STEP; dy++) {
            for (int dx = coarse[0] - COARSE_STEP + 1; dx < coarse[0] + COARSE_STEP; dx++) {
                long cost = difference(i420, offset, box, dx, dy, 1, bestCost);
                if (cost < bestCost
                        || (cost == bestCost && Math.abs(dx) + Math.abs(dy) < Math.abs(best[0]) + Math.abs(best[1]))) {
                    bestCost = cost;
                    best = new int[] {dx, dy};
                }
            }
        }
        return best;
    }

    /**
     * The sum of absolute differences between the reference's box and the frame's box moved by (dx, dy), on every
     * {@code step}-th pixel; a box moved partly out of the frame costs the most. Stops early past {@code limit}.
     */
    private long difference(byte[] i420, int offset, int[] box, int dx, int dy, int step, long limit) {
        if (box[0] + dx < 0 || box[1] + dy < 0 || box[2] + dx > width || box[3] + dy > height) {
            return Long.MAX_VALUE;
        }
        long sum = 0;
        for (int y = box[1]; y < box[3]; y += step) {
            int row = y * width;
            int moved = offset + (y + dy) * width + dx;
            for (int x = box[0]; x < box[2]; x += step) {
                sum += Math.abs((referenceLuma[row + x] & 0xff) - (i420[moved + x] & 0xff));
            }
            if (sum >= limit) {
                return sum;
            }
        }
        return sum;
    }

    /** Per frame, the mean speed of the hands clear of the face, in pixels per frame (0 for the first frame); null without any. */
    private double[] handSpeed() {
        int count = 0;
        for (boolean g : gesturing) {
            count += g ? 1 : 0;
        }
        if (count == 0) {
            return null;
        }
        double[] speed = new double[tracked.length];
        for (int f = 1; f < tracked.length; f++) {
            if (!tracked[f] || !tracked[f - 1]) {
                continue;
            }
            for (int h = 0; h < hands.size(); h++) {
                if (gesturing[h]) {
                    int[] path = handOffsets[h];
                    speed[f] += Math.hypot(path[2 * f] - path[2 * f - 2], path[2 * f + 1] - path[2 * f - 1]) / count;
                }
            }
        }
        return speed;
    }

    /** Per frame, how much the audio's loudness rises from the frame before (dB, 0 when it falls). */
    static double[] onsetStrength(float[] loudnessDb) {
        float max = -Float.MAX_VALUE;
        for (float v : loudnessDb) {
            max = Math.max(max, v);
        }
        double[] out = new double[loudnessDb.length];
        for (int f = 1; f < out.length; f++) {
            // Below 40 dB under the loudest frame is the recording's noise: its flicker is no onset.
            float now = Math.max(loudnessDb[f], max - 40);
            float before = Math.max(loudnessDb[f - 1], max - 40);
            out[f] = Math.max(0, now - before);
        }
        return out;
    }

    private static double[] smooth(double[] x) {
        int radius = (int) Math.ceil(3 * SMOOTHING_FRAMES);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double sum = 0;
            double weights = 0;
            for (int k = -radius; k <= radius; k++) {
                int j = i + k;
                if (j >= 0 && j < x.length) {
                    double w = Math.exp(-k * k / (2 * SMOOTHING_FRAMES * SMOOTHING_FRAMES));
                    sum += w * x[j];
                    weights += w;
                }
            }
            out[i] = sum / weights;
        }
        return out;
    }

    /** Pearson's correlation; NaN when either signal is constant. */
    static double pearson(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < n; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Double.NaN;
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
