package io.loopline.model.quality;

/**
 * Training-free quality metrics of a rendered talking portrait, computed from the frames, the
 * reference, its face-mesh landmarks and the audio. Frames are RGB in [-1, 1], layout [3, F, H, W].
 * <ul>
 *   <li>{@link #lipSyncProxy}: correlation between mouth openness measured on the frames and the
 *       audio loudness envelope over speech frames (the proxy THEval uses).</li>
 *   <li>{@link #silentLipRatio}: mouth openness during silence relative to speech (0 is ideal).</li>
 *   <li>{@link #upperFaceSimilarity}: per-frame similarity of the upper face (eyes, brows) to the
 *       reference — identity drift shows as it falling over time.</li>
 *   <li>{@link #seamFlicker}: frame-to-frame change across segment boundaries relative to inside
 *       segments (1 means seams are invisible).</li>
 * </ul>
 */
public final class QualityMetrics {

    private static final int CHIN = 152;
    private static final int FOREHEAD = 10;

    private QualityMetrics() {
    }

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
    record Box(int x0, int y0, int x1, int y1) {
    }

    private static float lm(float[] landmarks, int id, int axis) {
        return landmarks[3 * id + axis];
    }

    private static Box clamp(float x0, float y0, float x1, float y1, int width, int height) {
        return new Box(Math.max(0, (int) x0), Math.max(0, (int) y0), Math.min(width, (int) Math.ceil(x1)), Math.min(height, (int) Math.ceil(y1)));
    }

    /** Where the mouth opens: between the lip corners, from the upper lip down to below the resting lower lip. */
    static Box mouthBox(float[] landmarks, int width, int height) {
        float face = Math.abs(lm(landmarks, CHIN, 1) - lm(landmarks, FOREHEAD, 1));
        float left = lm(landmarks, 61, 0);
        float right = lm(landmarks, 291, 0);
        float inset = (right - left) * 0.15f;
        return clamp(left + inset, lm(landmarks, 13, 1) - face * 0.01f, right - inset, lm(landmarks, 14, 1) + face * 0.12f, width, height);
    }

    /** Brows, forehead and nose bridge: identity-bearing, and left alone by blinks and speech. */
    static Box upperFaceBox(float[] landmarks, int width, int height) {
        float face = Math.abs(lm(landmarks, CHIN, 1) - lm(landmarks, FOREHEAD, 1));
        float lids = Math.min(lm(landmarks, 159, 1), lm(landmarks, 386, 1));
        return clamp(lm(landmarks, 70, 0), lm(landmarks, 105, 1) - face * 0.08f, lm(landmarks, 300, 0), lids - face * 0.03f, width, height);
    }

    private static float luma(float[] img, int planeOffset, int planeStride, int index) {
        return 0.299f * img[planeOffset + index] + 0.587f * img[planeOffset + planeStride + index] + 0.114f * img[planeOffset + 2 * planeStride + index];
    }

    /**
     * Per frame: the fraction of the mouth box darker than anything in it at rest (the reference's lip
     * line) — the mouth's interior showing. Warping moves pixels but darkens none, so head motion
     * hardly raises it; an opening mouth does. (The box's surroundings are not part of the threshold:
     * in real photos they hold shadows as dark as a mouth's interior.)
     */
    public static float[] mouthOpenness(float[] frames, int count, int height, int width, float[] reference, float[] landmarks) {
        Box box = mouthBox(landmarks, width, height);
        int plane = height * width;
        float darkest = Float.MAX_VALUE;
        for (int y = box.y0(); y < box.y1(); y++) {
            for (int x = box.x0(); x < box.x1(); x++) {
                darkest = Math.min(darkest, luma(reference, 0, plane, y * width + x));
            }
        }
        float threshold = darkest - 0.03f;
        float[] out = new float[count];
        int n = Math.max(1, (box.x1() - box.x0()) * (box.y1() - box.y0()));
        for (int f = 0; f < count; f++) {
            int dark = 0;
            for (int y = box.y0(); y < box.y1(); y++) {
                for (int x = box.x0(); x < box.x1(); x++) {
                    int i = y * width + x;
                    float cur = 0.299f * frames[f * plane + i] + 0.587f * frames[(count + f) * plane + i] + 0.114f * frames[(2 * count + f) * plane + i];
                    if (cur < threshold) {
                        dark++;
                    }
                }
            }
            out[f] = dark / (float) n;
        }
        return out;
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
    static boolean[] speech(float[] loudnessDb) {
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

    /** Pearson correlation of mouth openness and loudness over speech frames. */
    public static double lipSyncProxy(float[] openness, float[] loudnessDb) {
        boolean[] speech = speech(loudnessDb);
        double n = 0, sx = 0, sy = 0;
        for (int i = 0; i < openness.length; i++) {
            if (speech[i]) {
                n++;
                sx += openness[i];
                sy += loudnessDb[i];
            }
        }
        if (n < 3) {
            return 0;
        }
        double mx = sx / n, my = sy / n, cov = 0, vx = 0, vy = 0;
        for (int i = 0; i < openness.length; i++) {
            if (speech[i]) {
                cov += (openness[i] - mx) * (loudnessDb[i] - my);
                vx += (openness[i] - mx) * (openness[i] - mx);
                vy += (loudnessDb[i] - my) * (loudnessDb[i] - my);
            }
        }
        return vx == 0 || vy == 0 ? 0 : cov / Math.sqrt(vx * vy);
    }

    /** Mean mouth openness in silent frames over mean openness in speech frames. */
    public static double silentLipRatio(float[] openness, float[] loudnessDb) {
        boolean[] speech = speech(loudnessDb);
        double silent = 0, spoken = 0;
        int ns = 0, np = 0;
        for (int i = 0; i < openness.length; i++) {
            if (speech[i]) {
                spoken += openness[i];
                np++;
            } else {
                silent += openness[i];
                ns++;
            }
        }
        if (ns == 0 || np == 0 || spoken == 0) {
            return 0;
        }
        return (silent / ns) / (spoken / np);
    }

    /** How far (pixels) the upper face may have moved with the head when it is compared to the reference. */
    private static final int SEARCH = 8;

    /**
     * Per frame: normalized cross-correlation of the upper face with the reference's, at the best
     * offset within ±{@value #SEARCH} pixels (the head moves; the face should stay the same face).
     */
    public static float[] upperFaceSimilarity(float[] frames, int count, int height, int width, float[] reference, float[] landmarks) {
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

    private static float ncc(float[] frames, int f, int count, int plane, int width, int height, float[] reference, Box box, int ox, int oy) {
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
                double b = 0.299f * frames[f * plane + j] + 0.587f * frames[(count + f) * plane + j] + 0.114f * frames[(2 * count + f) * plane + j];
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
        float[] b = io.loopline.core.tensor.Landmarks.bounds(landmarks);
        Box box = clamp(Math.max(1, b[0]), Math.max(1, b[1]), Math.min(width - 1, b[2]), Math.min(height - 1, b[3]), width, height);
        int plane = height * width;
        float[] out = new float[count];
        for (int f = 0; f < count; f++) {
            double sum = 0;
            int n = 0;
            for (int y = box.y0(); y < box.y1(); y++) {
                for (int x = box.x0(); x < box.x1(); x++) {
                    float centre = luma(frames, f * plane, count * plane, y * width + x);
                    float around = luma(frames, f * plane, count * plane, (y - 1) * width + x) + luma(frames, f * plane, count * plane, (y + 1) * width + x)
                        + luma(frames, f * plane, count * plane, y * width + x - 1) + luma(frames, f * plane, count * plane, y * width + x + 1);
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
        java.util.Set<Integer> seams = new java.util.HashSet<>();
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
