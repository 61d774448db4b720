package io.loopline.quality;

import io.loopline.tensor.Landmarks;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Training-free quality metrics of a rendered talking portrait, computed from the frames, the
 * reference, its face-mesh landmarks and the audio. Frames are RGB in [-1, 1], layout [3, F, H, W].
 * <ul>
 *   <li>{@link #lipSync}: correlation between the mouth's change from rest measured on the frames
 *       and the audio loudness envelope over speech frames, at the best lag within ±3 frames;
 *       undefined (NaN, with a reason), never a made-up 0, when either signal is constant.</li>
 *   <li>{@link #silentLips}: the mouth's change from rest during silence relative to speech (0 is ideal).</li>
 *   <li>{@link #upperFaceSimilarity}: per-frame similarity of the upper face (eyes, brows) to the
 *       reference — identity drift shows as it falling over time.</li>
 *   <li>{@link #seamFlicker}: frame-to-frame change across segment boundaries relative to inside
 *       segments (1 means seams are invisible).</li>
 * </ul>
 */
public final class QualityMetrics {

    private static final int CHIN = 152;
    private static final int FOREHEAD = 10;

    private QualityMetrics() {}

    /** Mean of per-frame values. */
    public static float mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return (float) (sum / values.length);
    }

    /** Smallest of per-frame values. */
    public static float min(float[] values) {
        float m = Float.MAX_VALUE;
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** A pixel box [x0, y0, x1, y1). */
    record Box(int x0, int y0, int x1, int y1) {}

    private static float lm(float[] landmarks, int id, int axis) {
        return landmarks[3 * id + axis];
    }

    private static Box clamp(float x0, float y0, float x1, float y1, int width, int height) {
        return new Box(
                Math.max(0, (int) x0),
                Math.max(0, (int) y0),
                Math.min(width, (int) Math.ceil(x1)),
                Math.min(height, (int) Math.ceil(y1)));
    }

    /** Where the mouth opens: between the lip corners, from the upper lip down to below the resting lower lip. */
    static Box mouthBox(float[] landmarks, int width, int height) {
        float face = Math.abs(lm(landmarks, CHIN, 1) - lm(landmarks, FOREHEAD, 1));
        float left = lm(landmarks, 61, 0);
        float right = lm(landmarks, 291, 0);
        float inset = (right - left) * 0.15f;
        return clamp(
                left + inset,
                lm(landmarks, 13, 1) - face * 0.01f,
                right - inset,
                lm(landmarks, 14, 1) + face * 0.12f,
                width,
                height);
    }

    /** Brows, forehead and nose bridge: identity-bearing, and left alone by blinks and speech. */
    static Box upperFaceBox(float[] landmarks, int width, int height) {
        float face = Math.abs(lm(landmarks, CHIN, 1) - lm(landmarks, FOREHEAD, 1));
        float lids = Math.min(lm(landmarks, 159, 1), lm(landmarks, 386, 1));
        return clamp(
                lm(landmarks, 70, 0),
                lm(landmarks, 105, 1) - face * 0.08f,
                lm(landmarks, 300, 0),
                lids - face * 0.03f,
                width,
                height);
    }

    private static float luma(float[] img, int planeOffset, int planeStride, int index) {
        return 0.299f * img[planeOffset + index]
                + 0.587f * img[planeOffset + planeStride + index]
                + 0.114f * img[planeOffset + 2 * planeStride + index];
    }

    /**
     * How far (pixels) the mouth may have moved with the head when it is compared to the reference's:
     * a twentieth of the face's height (at least 3 px), so that head motion is not read as speech.
     */
    private static int mouthSearch(float[] landmarks) {
        float face = Math.abs(lm(landmarks, CHIN, 1) - lm(landmarks, FOREHEAD, 1));
        return Math.max(3, Math.round(face * 0.05f));
    }

    /**
     * Per frame: how far the mouth looks from the reference's mouth at rest, in either direction — a
     * closed mouth opening (a dark interior appears) or an open, smiling one closing (teeth disappear)
     * both count, so a portrait that shows its teeth at rest is at 0 when it rests. The mouth box is
     * first found in the frame at the offset within ±{@link #mouthSearch} pixels whose luma matches
     * the reference's best (head motion is not speech), then the two boxes' luma distributions, each
     * with its own mean removed (nor is a change of brightness), are compared: the mean absolute
     * difference of their sorted values (the 1-D Wasserstein distance), divided by the reference box's
     * mean absolute deviation so that low- and high-contrast portraits read alike. 0 is the
     * reference's mouth; the video codec alone leaves a few hundredths.
     */
    public static float[] mouthOpenness(
            float[] frames, int count, int height, int width, float[] reference, float[] landmarks) {
        Box box = mouthBox(landmarks, width, height);
        int plane = height * width;
        int bw = box.x1() - box.x0();
        int bh = box.y1() - box.y0();
        float[] out = new float[count];
        if (bw <= 0 || bh <= 0) {
            Arrays.fill(out, Float.NaN);
            return out;
        }
        float[] ref = new float[bw * bh];
        double refMean = 0;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                float v = luma(reference, 0, plane, (box.y0() + y) * width + box.x0() + x);
                ref[y * bw + x] = v;
                refMean += v;
            }
        }
        refMean /= ref.length;
        double contrast = 0;
        for (int i = 0; i < ref.length; i++) {
            ref[i] -= (float) refMean;
            contrast += Math.abs(ref[i]);
        }
        // A flat mouth box (a blank or painted-over mouth) has no structure to compare; a floor keeps the scale finite.
        contrast = Math.max(contrast / ref.length, 0.02);
        float[] refSorted = ref.clone();
        Arrays.sort(refSorted);
        int search = mouthSearch(landmarks);
        // The frame's luma around the box, once per frame, and its integral image: each offset tried then costs one
        // pass of subtractions (its mean comes from four lookups).
        int rw = bw + 2 * search;
        int rh = bh + 2 * search;
        float[] region = new float[rw * rh];
        double[] integral = new double[(rw + 1) * (rh + 1)];
        float[] best = new float[bw * bh];
        for (int f = 0; f < count; f++) {
            for (int y = 0; y < rh; y++) {
                int iy = Math.max(0, Math.min(height - 1, box.y0() - search + y));
                double row = 0;
                for (int x = 0; x < rw; x++) {
                    int i = iy * width + Math.max(0, Math.min(width - 1, box.x0() - search + x));
                    float v = 0.299f * frames[f * plane + i]
                            + 0.587f * frames[(count + f) * plane + i]
                            + 0.114f * frames[(2 * count + f) * plane + i];
                    region[y * rw + x] = v;
                    row += v;
                    integral[(y + 1) * (rw + 1) + x + 1] = integral[y * (rw + 1) + x + 1] + row;
                }
            }
            // Coarse to fine: every second offset within ±search, then the eight around the best of those.
            double[] bestDiff = {Double.MAX_VALUE};
            int[] bestOffset = {0, 0};
            for (int oy = -(search / 2) * 2; oy <= search; oy += 2) {
                for (int ox = -(search / 2) * 2; ox <= search; ox += 2) {
                    tryOffset(
                            ox,
                            oy,
                            box,
                            bw,
                            bh,
                            width,
                            height,
                            search,
                            region,
                            rw,
                            integral,
                            ref,
                            bestDiff,
                            bestOffset);
                }
            }
            int cx = bestOffset[0];
            int cy = bestOffset[1];
            for (int oy = cy - 1; oy <= cy + 1; oy++) {
                for (int ox = cx - 1; ox <= cx + 1; ox++) {
                    if ((ox != cx || oy != cy) && Math.abs(ox) <= search && Math.abs(oy) <= search) {
                        tryOffset(
                                ox,
                                oy,
                                box,
                                bw,
                                bh,
                                width,
                                height,
                                search,
                                region,
                                rw,
                                integral,
                                ref,
                                bestDiff,
                                bestOffset);
                    }
                }
            }
            if (bestDiff[0] == Double.MAX_VALUE) {
                out[f] = Float.NaN;
                continue;
            }
            double mean = boxMean(integral, rw, bestOffset[0] + search, bestOffset[1] + search, bw, bh);
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    best[y * bw + x] =
                            (float) (region[(bestOffset[1] + search + y) * rw + bestOffset[0] + search + x] - mean);
                }
            }
            // The luma distributions, not the pixels, are compared: where the head turns or tilts a little the mouth's
            // pixels move (alignment by translation cannot follow) but the dark, mid and bright parts stay as they
            // were; a mouth that opens adds dark ones, and teeth that disappear take bright ones away.
            Arrays.sort(best);
            double distance = 0;
            for (int i = 0; i < best.length; i++) {
                distance += Math.abs(best[i] - refSorted[i]);
            }
            out[f] = (float) (distance / best.length / contrast);
        }
        return out;
    }

    /** Mean of the {@code bw}×{@code bh} box at ({@code x}, {@code y}) of a region, from its integral image. */
    private static double boxMean(double[] integral, int rw, int x, int y, int bw, int bh) {
        int stride = rw + 1;
        double sum = integral[(y + bh) * stride + x + bw]
                - integral[y * stride + x + bw]
                - integral[(y + bh) * stride + x]
                + integral[y * stride + x];
        return sum / (bw * bh);
    }

    /**
     * The mean absolute difference, both means removed, of the reference's mouth box and the frame's box
     * moved by ({@code ox}, {@code oy}); kept in {@code bestDiff}/{@code bestOffset} when lower. Offsets
     * that take the box out of the frame are not tried. Stops adding once it cannot win.
     */
    private static void tryOffset(
            int ox,
            int oy,
            Box box,
            int bw,
            int bh,
            int width,
            int height,
            int search,
            float[] region,
            int rw,
            double[] integral,
            float[] ref,
            double[] bestDiff,
            int[] bestOffset) {
        if (box.x0() + ox < 0 || box.y0() + oy < 0 || box.x0() + ox + bw > width || box.y0() + oy + bh > height) {
            return;
        }
        int rx = ox + search;
        int ry = oy + search;
        double mean = boxMean(integral, rw, rx, ry, bw, bh);
        double limit = bestDiff[0] * ref.length;
        double diff = 0;
        for (int y = 0; y < bh && diff < limit; y++) {
            int r = (ry + y) * rw + rx;
            for (int x = 0; x < bw; x++) {
                diff += Math.abs(region[r + x] - mean - ref[y * bw + x]);
            }
        }
        if (diff < limit) {
            bestDiff[0] = diff / ref.length;
            bestOffset[0] = ox;
            bestOffset[1] = oy;
        }
    }

    /** Loudness per video frame in dB (RMS of the audio under it). */
    public static float[] loudnessDb(float[] audio16k, int fps, int frames) {
        float[] out = new float[frames];
        for (int f = 0; f < frames; f++) {
            int a = (int) ((long) f * 16_000 / fps);
            int b = (int) Math.min(audio16k.length, (long) (f + 1) * 16_000 / fps);
            double sum = 0;
            for (int i = a; i < b; i++) {
                sum += audio16k[i] * audio16k[i];
            }
            out[f] = (float) (10 * Math.log10(sum / Math.max(1, b - a) + 1e-10));
        }
        return out;
    }

    /** Frames within 30 dB of the loudest are speech. */
    public static boolean[] speech(float[] loudnessDb) {
        float max = -Float.MAX_VALUE;
        for (float v : loudnessDb) {
            max = Math.max(max, v);
        }
        boolean[] speech = new boolean[loudnessDb.length];
        for (int i = 0; i < speech.length; i++) {
            speech[i] = loudnessDb[i] > max - 30;
        }
        return speech;
    }

    /** How many frames the mouth may lag or lead the audio in {@link #lipSync}: ±3 frames is ±120 ms at 25 fps. */
    public static final int MAX_LAG_FRAMES = 3;
    /** Fewer speech frames than this give no correlation worth reporting. */
    static final int MIN_SPEECH_FRAMES = 10;
    /**
     * Below this standard deviation over speech, {@link #mouthOpenness}'s signal is taken to be noise on
     * a mouth that does not move (the codec's, and what alignment by translation leaves of head motion),
     * whose correlation with anything is chance: 1.5% of the reference mouth's own contrast. Measured
     * on reference-pack videos as mux encodes them: σ 0.005–0.012 over silence where the mouth rests,
     * 0.10–0.11 over speech at 512², and 0.023 for the small mouth of a 256² portrait opening a few pixels.
     */
    public static final double STILL_MOUTH_STD = 0.015;

    /**
     * A figure that may be undefined: {@code value} is NaN exactly when {@code reason} says why
     * (a constant signal has no correlation; a clip without silence has no silent-lip ratio).
     */
    public record Measured(double value, int lagFrames, String reason) {
        public static Measured of(double value, int lagFrames) {
            return new Measured(value, lagFrames, null);
        }

        public static Measured undefined(String reason) {
            return new Measured(Double.NaN, 0, reason);
        }

        public boolean defined() {
            return reason == null;
        }
    }

    /**
     * Pearson correlation of a per-frame mouth signal with the loudness envelope over speech frames, at
     * the lag within ±{@code maxLag} frames where it is highest (a renderer whose mouth trails the
     * sound by a frame or two is still in sync to the eye, and the audio features it works from are
     * windows centred on each frame). A positive lag means the mouth follows the sound. Undefined, never
     * 0, when the mouth or the loudness does not vary over speech, or there is too little speech.
     *
     * @param stillMouthStd the mouth signal's standard deviation over speech below which the mouth is
     *                      taken not to move (its variation is measurement noise): it depends on the signal
     */
    public static Measured lipSync(float[] mouth, float[] loudnessDb, int maxLag, double stillMouthStd) {
        boolean[] speech = speech(loudnessDb);
        int n = Math.min(mouth.length, loudnessDb.length);
        int spoken = 0;
        for (int i = 0; i < n; i++) {
            if (speech[i] && Float.isFinite(mouth[i])) {
                spoken++;
            }
        }
        if (spoken < MIN_SPEECH_FRAMES) {
            return Measured.undefined(
                    spoken + " speech frames with a measured mouth; at least " + MIN_SPEECH_FRAMES + " are needed");
        }
        Measured best = null;
        String reason = null;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double count = 0, sx = 0, sy = 0;
            for (int i = 0; i < n; i++) {
                int j = i + lag;
                if (speech[i] && j >= 0 && j < mouth.length && Float.isFinite(mouth[j])) {
                    count++;
                    sx += mouth[j];
                    sy += loudnessDb[i];
                }
            }
            if (count < MIN_SPEECH_FRAMES) {
                continue;
            }
            double mx = sx / count, my = sy / count, cov = 0, vx = 0, vy = 0;
            for (int i = 0; i < n; i++) {
                int j = i + lag;
                if (speech[i] && j >= 0 && j < mouth.length && Float.isFinite(mouth[j])) {
                    cov += (mouth[j] - mx) * (loudnessDb[i] - my);
                    vx += (mouth[j] - mx) * (mouth[j] - mx);
                    vy += (loudnessDb[i] - my) * (loudnessDb[i] - my);
                }
            }
            if (vy <= 0) {
                reason = "the audio's loudness is constant over speech";
                continue;
            }
            if (Math.sqrt(vx / count) < stillMouthStd) {
                reason = String.format(
                        Locale.ROOT,
                        "the mouth does not move during speech (its signal varies by %.4f, under %.4f)",
                        Math.sqrt(vx / count),
                        stillMouthStd);
                continue;
            }
            double r = cov / Math.sqrt(vx * vy);
            if (best == null || r > best.value()) {
                best = Measured.of(r, lag);
            }
        }
        return best != null ? best : Measured.undefined(reason != null ? reason : "too few speech frames at every lag");
    }

    /** {@link #lipSync} of {@link #mouthOpenness} at ±{@value #MAX_LAG_FRAMES} frames. */
    public static Measured lipSync(float[] openness, float[] loudnessDb) {
        return lipSync(openness, loudnessDb, MAX_LAG_FRAMES, STILL_MOUTH_STD);
    }

    /** {@link #lipSync(float[], float[])} as a number: the correlation, NaN when it is undefined. */
    public static double lipSyncProxy(float[] openness, float[] loudnessDb) {
        return lipSync(openness, loudnessDb).value();
    }

    /**
     * Mean mouth signal in silent frames over its mean in speech frames (0: the mouth rests whenever
     * the sound stops). Undefined when the audio has no silence or no speech, or the mouth never
     * moves in speech.
     */
    public static Measured silentLips(float[] openness, float[] loudnessDb) {
        boolean[] speech = speech(loudnessDb);
        double silent = 0, spoken = 0;
        int ns = 0, np = 0;
        for (int i = 0; i < Math.min(openness.length, speech.length); i++) {
            if (!Float.isFinite(openness[i])) {
                continue;
            }
            if (speech[i]) {
                spoken += openness[i];
                np++;
            } else {
                silent += openness[i];
                ns++;
            }
        }
        if (ns == 0) {
            return Measured.undefined("the audio has no silent frame (none 30 dB below its loudest)");
        }
        if (np == 0) {
            return Measured.undefined("the audio has no speech frame");
        }
        if (spoken <= 0) {
            return Measured.undefined("the mouth does not move during speech");
        }
        return Measured.of((silent / ns) / (spoken / np), 0);
    }

    /** {@link #silentLips} as a number, NaN when it is undefined. */
    public static double silentLipRatio(float[] openness, float[] loudnessDb) {
        return silentLips(openness, loudnessDb).value();
    }

    /** How far (pixels) the upper face may have moved with the head when it is compared to the reference. */
    private static final int SEARCH = 8;

    /**
     * Per frame: normalized cross-correlation of the upper face with the reference's, at the best
     * offset within ±{@value #SEARCH} pixels (the head moves; the face should stay the same face).
     */
    public static float[] upperFaceSimilarity(
            float[] frames, int count, int height, int width, float[] reference, float[] landmarks) {
        Box box = upperFaceBox(landmarks, width, height);
        int plane = height * width;
        float[] out = new float[count];
        for (int f = 0; f < count; f++) {
            float best = -1;
            for (int oy = -SEARCH; oy <= SEARCH; oy++) {
                for (int ox = -SEARCH; ox <= SEARCH; ox++) {
                    best = Math.max(best, ncc(frames, f, count, plane, width, height, reference, box, ox, oy));
                }
            }
            out[f] = best;
        }
        return out;
    }

    private static float ncc(
            float[] frames,
            int f,
            int count,
            int plane,
            int width,
            int height,
            float[] reference,
            Box box,
            int ox,
            int oy) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = box.y0(); y < box.y1(); y++) {
            int fy = y + oy;
            if (fy < 0 || fy >= height) {
                continue;
            }
            for (int x = box.x0(); x < box.x1(); x++) {
                int fx = x + ox;
                if (fx < 0 || fx >= width) {
                    continue;
                }
                double a = luma(reference, 0, plane, y * width + x);
                int j = fy * width + fx;
                double b = 0.299f * frames[f * plane + j]
                        + 0.587f * frames[(count + f) * plane + j]
                        + 0.114f * frames[(2 * count + f) * plane + j];
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
                n++;
            }
        }
        if (n == 0) {
            return 0;
        }
        double cov = sab / n - (sa / n) * (sb / n);
        double va = saa / n - (sa / n) * (sa / n);
        double vb = sbb / n - (sb / n) * (sb / n);
        return (float) (va <= 0 || vb <= 0 ? 0 : cov / Math.sqrt(va * vb));
    }

    /** Per frame: mean absolute Laplacian of the luma over the face (blur lowers it). */
    public static float[] faceSharpness(float[] frames, int count, int height, int width, float[] landmarks) {
        float[] b = Landmarks.bounds(landmarks);
        Box box = clamp(
                Math.max(1, b[0]),
                Math.max(1, b[1]),
                Math.min(width - 1, b[2]),
                Math.min(height - 1, b[3]),
                width,
                height);
        int plane = height * width;
        float[] out = new float[count];
        for (int f = 0; f < count; f++) {
            double sum = 0;
            int n = 0;
            for (int y = box.y0(); y < box.y1(); y++) {
                for (int x = box.x0(); x < box.x1(); x++) {
                    float centre = luma(frames, f * plane, count * plane, y * width + x);
                    float around = luma(frames, f * plane, count * plane, (y - 1) * width + x)
                            + luma(frames, f * plane, count * plane, (y + 1) * width + x)
                            + luma(frames, f * plane, count * plane, y * width + x - 1)
                            + luma(frames, f * plane, count * plane, y * width + x + 1);
                    sum += Math.abs(around - 4 * centre);
                    n++;
                }
            }
            out[f] = n == 0 ? 0 : (float) (sum / n);
        }
        return out;
    }

    /**
     * Mean absolute frame-to-frame change entering each segment start (excluding 0) over the mean
     * change inside segments.
     */
    public static double seamFlicker(float[] frames, int count, int height, int width, int[] segmentStarts) {
        int plane = height * width;
        Set<Integer> seams = new HashSet<>();
        for (int s : segmentStarts) {
            if (s > 0 && s < count) {
                seams.add(s);
            }
        }
        double seam = 0, inside = 0;
        int ns = 0, ni = 0;
        for (int f = 1; f < count; f++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                int a = (c * count + f) * plane;
                int b = (c * count + f - 1) * plane;
                for (int i = 0; i < plane; i++) {
                    d += Math.abs(frames[a + i] - frames[b + i]);
                }
            }
            d /= 3.0 * plane;
            if (seams.contains(f)) {
                seam += d;
                ns++;
            } else {
                inside += d;
                ni++;
            }
        }
        return ns == 0 || ni == 0 || inside == 0 ? 1 : (seam / ns) / (inside / ni);
    }
}
