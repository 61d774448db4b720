package io.loopline.cli.quality;

import io.loopline.quality.QualityMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's figures that come from the face mesh of every frame of a video and from its audio.
 * Distances are in eye distances (between the eye centres, the mean of each eye's corner points), so
 * that faces framed larger or smaller read alike. Frames where the mesh found no face are NaN and
 * left out of every figure.
 */
final class LandmarkFigures {

    /** Inner-lip midpoints: upper (13) and lower (14). */
    static final int UPPER_INNER_LIP = 13;

    static final int LOWER_INNER_LIP = 14;
    /** THEval's inner-lip points, upper and lower, paired left to right. */
    static final int[] THEVAL_UPPER_LIP = {191, 80, 81, 82, 13, 312, 311, 310};

    static final int[] THEVAL_LOWER_LIP = {95, 88, 178, 87, 14, 317, 402, 318};
    /** Eye corners: the eye on the image's left (outer 33, inner 133), the other (inner 362, outer 263). */
    static final int[] LEFT_EYE_CORNERS = {33, 133};

    static final int[] RIGHT_EYE_CORNERS = {362, 263};
    /** Eye-aspect-ratio points per eye: corners p1, p4, upper lid p2, p3, lower lid p6, p5. */
    static final int[] LEFT_EYE_EAR = {33, 133, 160, 158, 144, 153};

    static final int[] RIGHT_EYE_EAR = {362, 263, 385, 387, 380, 373};
    static final int NOSE_TIP = 1;

    /**
     * Lip-gap standard deviation (eye distances) under which the lips do not move: the mesh's own
     * jitter on a still face is a few thousandths; a mouth that speaks moves by 0.02–0.1.
     */
    static final double STILL_LIP_GAP_STD = 0.004;
    /** Silence shorter than this is a pause between words, where lips are still closing: only longer runs count. */
    static final double MIN_SILENCE_SECONDS = 0.3;
    /** A blink closes the eye below this fraction of its usual opening and ends when it reopens past {@link #BLINK_OPEN}. */
    static final double BLINK_CLOSED = 0.6;

    static final double BLINK_OPEN = 0.8;
    /** A blink's rise in the eyes' change must exceed this many times the signal's own noise. */
    static final double BLINK_NOISE_FACTOR = 4;
    /** During a blink the mesh's eye aspect ratio falls to this share of its local median or below. */
    static final double BLINK_EAR_DROP = 0.97;
    /** A rise this many times the blink threshold is a blink whatever the mesh's eye aspect ratio does. */
    static final double BLINK_SURE_FACTOR = 2.5;

    private LandmarkFigures() {}

    static double x(float[] lm, int i) {
        return lm[3 * i];
    }

    static double y(float[] lm, int i) {
        return lm[3 * i + 1];
    }

    static double distance(float[] lm, int a, int b) {
        return Math.hypot(x(lm, a) - x(lm, b), y(lm, a) - y(lm, b));
    }

    /** {x, y} of the mean of {@code points}. */
    static double[] centre(float[] lm, int[] points) {
        double sx = 0, sy = 0;
        for (int p : points) {
            sx += x(lm, p);
            sy += y(lm, p);
        }
        return new double[] {sx / points.length, sy / points.length};
    }

    static double eyeDistance(float[] lm) {
        double[] a = centre(lm, LEFT_EYE_CORNERS);
        double[] b = centre(lm, RIGHT_EYE_CORNERS);
        return Math.hypot(b[0] - a[0], b[1] - a[1]);
    }

    /** Head roll in degrees: the eye line's angle to the horizontal. */
    static double rollDegrees(float[] lm) {
        double[] a = centre(lm, LEFT_EYE_CORNERS);
        double[] b = centre(lm, RIGHT_EYE_CORNERS);
        return Math.toDegrees(Math.atan2(b[1] - a[1], b[0] - a[0]));
    }

    /** Inner-lip gap (13–14) over the eye distance. */
    static double lipGap(float[] lm) {
        return distance(lm, UPPER_INNER_LIP, LOWER_INNER_LIP) / eyeDistance(lm);
    }

    /** THEval's mouth openness: vertical distance of the mean upper and lower inner lip, over the eye centres' horizontal distance. */
    static double thevalOpenness(float[] lm) {
        double[] up = centre(lm, THEVAL_UPPER_LIP);
        double[] low = centre(lm, THEVAL_LOWER_LIP);
        double[] a = centre(lm, LEFT_EYE_CORNERS);
        double[] b = centre(lm, RIGHT_EYE_CORNERS);
        double interocular = Math.abs(b[0] - a[0]);
        return interocular > 0 ? Math.abs(up[1] - low[1]) / interocular : Double.NaN;
    }

    /** Eye aspect ratio (Soukupová and Čech, 2016) averaged over both eyes: about 0.25–0.35 open, under 0.15 closed. */
    static double eyeAspectRatio(float[] lm) {
        return (ear(lm, LEFT_EYE_EAR) + ear(lm, RIGHT_EYE_EAR)) / 2;
    }

    private static double ear(float[] lm, int[] p) {
        return (distance(lm, p[2], p[4]) + distance(lm, p[3], p[5])) / (2 * distance(lm, p[0], p[1]));
    }

    /** Per-frame values of {@code f}, NaN where the frame has no landmarks. */
    static float[] series(float[][] landmarks, ToDoubleFunction<float[]> f) {
        float[] out = new float[landmarks.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = landmarks[i] == null ? Float.NaN : (float) f.applyAsDouble(landmarks[i]);
        }
        return out;
    }

    /**
     * Frames of silence: loudness more than 30 dB below the loudest (as {@link QualityMetrics#speech}) in
     * runs of at least {@link #MIN_SILENCE_SECONDS}.
     */
    static boolean[] silence(float[] loudnessDb, int fps) {
        boolean[] speech = QualityMetrics.speech(loudnessDb);
        boolean[] silent = new boolean[speech.length];
        int minRun = (int) Math.ceil(MIN_SILENCE_SECONDS * fps);
        for (int i = 0; i < speech.length; ) {
            if (speech[i]) {
                i++;
                continue;
            }
            int end = i;
            while (end < speech.length && !speech[end]) {
                end++;
            }
            if (end - i >= minRun) {
                Arrays.fill(silent, i, end, true);
            }
            i = end;
        }
        return silent;
    }

    /** The finite values of {@code values} where {@code mask} holds. */
    static double[] where(float[] values, boolean[] mask) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.min(values.length, mask.length); i++) {
            if (mask[i] && Float.isFinite(values[i])) {
                out.add((double) values[i]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double std(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    /** The q-quantile (0–1) by linear interpolation; NaN for no values. */
    static double quantile(double[] v, double q) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * How open the lips are in silence compared with speech: the mean opening beyond the reference's own
     * gap in silence over the same in speech. The reference portrait is the rest pose, so a smile that
     * shows its teeth at rest is not counted as an open mouth; lips that close further than at rest in a
     * pause (a parted or smiling portrait pressing its lips together) count as at rest, not as talking.
     * For closed lips the reference's gap is about 0 and this is the plain ratio of mean gaps. NaN
     * without silence or speech.
     */
    static double silentLipRatio(float[] lipGap, double referenceGap, boolean[] speech, boolean[] silence) {
        double silent = mean(openingBeyond(where(lipGap, silence), referenceGap));
        double spoken = mean(openingBeyond(where(lipGap, speech), referenceGap));
        return spoken > 0 ? silent / spoken : Double.NaN;
    }

    private static double[] openingBeyond(double[] v, double rest) {
        return Arrays.stream(v).map(x -> Math.max(0, x - rest)).toArray();
    }

    /**
     * THEval's Lip-Sync figure (Quignon et al., "THEval: Evaluation Framework for Talking Head Video
     * Generation", 2025, arXiv:2511.04520; the authors' {@code Synchronization/lip_sync.py}): over
     * speech frames, the mouth openness ({@link #thevalOpenness}) and the audio's RMS volume (50 ms
     * windows, interpolated at each frame's time) are each min–max normalised, and the figure is the
     * mean absolute difference of the two — 0 when the mouth opens exactly as loud as the sound is;
     * lower is better. THEval finds speech with Silero VAD; here it is the loudness within 30 dB of the
     * loudest ({@link QualityMetrics#speech}). Like THEval: NaN when speech is under 10% of the clip.
     */
    static double thevalLipSync(float[] openness, float[] audio16k, float[] loudnessDb, int fps) {
        boolean[] speech = QualityMetrics.speech(loudnessDb);
        int spoken = 0;
        for (boolean s : speech) {
            spoken += s ? 1 : 0;
        }
        float[] volume = rmsAtFrames(audio16k, fps, openness.length);
        double[] o = where(openness, speech);
        List<Double> vs = new ArrayList<>();
        for (int i = 0; i < Math.min(openness.length, speech.length); i++) {
            if (speech[i] && Float.isFinite(openness[i])) {
                vs.add((double) volume[i]);
            }
        }
        double[] v = vs.stream().mapToDouble(Double::doubleValue).toArray();
        if (spoken < 0.1 * speech.length || o.length < 2) {
            return Double.NaN;
        }
        double[] on = minMax(o);
        double[] vn = minMax(v);
        double sum = 0;
        for (int i = 0; i < on.length; i++) {
            sum += Math.abs(on[i] - vn[i]);
        }
        return sum / on.length;
    }

    private static double[] minMax(double[] v) {
        double lo = Arrays.stream(v).min().orElse(0);
        double hi = Arrays.stream(v).max().orElse(0);
        return Arrays.stream(v).map(x -> (x - lo) / (hi - lo + 1e-8)).toArray();
    }

    /** RMS of the audio in 50 ms windows every 50 ms (centred), linearly interpolated at frame f's time f / fps. */
    static float[] rmsAtFrames(float[] audio16k, int fps, int frames) {
        int hop = 800;
        int windows = audio16k.length / hop + 1;
        double[] rms = new double[windows];
        for (int k = 0; k < windows; k++) {
            int a = Math.max(0, k * hop - hop / 2);
            int b = Math.min(audio16k.length, k * hop + hop / 2);
            double s = 0;
            for (int i = a; i < b; i++) {
                s += audio16k[i] * audio16k[i];
            }
            rms[k] = b > a ? Math.sqrt(s / (b - a)) : 0;
        }
        float[] out = new float[frames];
        for (int f = 0; f < frames; f++) {
            double pos = f / (double) fps * 16_000 / hop;
            int k = (int) Math.floor(pos);
            if (k >= windows - 1) {
                out[f] = (float) rms[windows - 1];
            } else {
                out[f] = (float) (rms[k] + (pos - k) * (rms[k + 1] - rms[k]));
            }
        }
        return out;
    }

    /**
     * THEval's Silent Lip Stability: over silence, the median absolute deviation of the lip opening
     * (THEval's inner-lip pairs, each pair's vertical distance over the outer eye corners' distance,
     * averaged) from its mean — how much the lips wander while nothing is said; lower is better.
     */
    static double thevalSilentLipStability(float[][] landmarks, boolean[] silence) {
        List<Double> openings = new ArrayList<>();
        for (int f = 0; f < Math.min(landmarks.length, silence.length); f++) {
            float[] lm = landmarks[f];
            if (!silence[f] || lm == null) {
                continue;
            }
            double eyes = distance(lm, 33, 263);
            double sum = 0;
            for (int k = 0; k < THEVAL_UPPER_LIP.length; k++) {
                sum += Math.abs(y(lm, THEVAL_UPPER_LIP[k]) - y(lm, THEVAL_LOWER_LIP[k])) / eyes;
            }
            openings.add(sum / THEVAL_UPPER_LIP.length);
        }
        if (openings.size() < 2) {
            return Double.NaN;
        }
        double[] v = openings.stream().mapToDouble(Double::doubleValue).toArray();
        double m = mean(v);
        return quantile(Arrays.stream(v).map(x -> Math.abs(x - m)).toArray(), 0.5);
    }

    /**
     * Blinks: the eye aspect ratio falls below {@link #BLINK_CLOSED} of its median over the clip (the
     * eyes are open most of the time) and a blink ends only when it rises past {@link #BLINK_OPEN} of
     * it again, so that mesh jitter around one threshold is not counted as several blinks.
     */
    static int blinks(float[] ear) {
        double usual = quantile(where(ear, allTrue(ear.length)), 0.5);
        if (!(usual > 0)) {
            return 0;
        }
        int count = 0;
        boolean closed = false;
        for (float v : ear) {
            if (!Float.isFinite(v)) {
                continue;
            }
            if (!closed && v < BLINK_CLOSED * usual) {
                closed = true;
                count++;
            } else if (closed && v > BLINK_OPEN * usual) {
                closed = false;
            }
        }
        return count;
    }

    /**
     * Blinks in a per-frame signal of how far the eyes look from their usual selves ({@link VideoAnalysis#eyeChange}):
     * a blink is a brief rise above the signal's own local level — its median over the surrounding
     * {@code ±fps / 2} frames, so that a held gaze or a head turn, which change the eyes for longer, does
     * not count — by more than {@code minRise} and more than {@value #BLINK_NOISE_FACTOR} times the rises'
     * own noise (1.4826 × their median absolute value: a small or blurred eye that the mesh tracks
     * unsteadily needs a clearer blink); it ends when the rise falls back under half of that. The eyes
     * also change when they widen under raised brows: a rise counts only if the mesh's eye aspect ratio
     * ({@code ear}) falls meanwhile to {@value #BLINK_EAR_DROP} of its own local median or below — the
     * mesh follows a closing lid only part of the way, but in the right direction — unless the rise is
     * {@value #BLINK_SURE_FACTOR} times the threshold or more, which widening eyes do not reach and a lid
     * closing over eyes the mesh does not follow at all (dark skin, deep shadow) does.
     */
    static int blinkPeaks(float[] change, float[] ear, int fps, double minRise) {
        int half = fps / 2;
        double[] rise = new double[change.length];
        for (int f = 0; f < change.length; f++) {
            rise[f] = change[f] - localMedian(change, f, half);
        }
        double[] magnitudes =
                Arrays.stream(rise).filter(r -> !Double.isNaN(r)).map(Math::abs).toArray();
        if (magnitudes.length == 0) {
            return 0;
        }
        double noise = 1.4826 * quantile(magnitudes, 0.5);
        double threshold = Math.max(minRise, BLINK_NOISE_FACTOR * noise);
        int count = 0;
        boolean rising = false;
        double lowestEar = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (int f = 0; f < rise.length; f++) {
            if (Double.isNaN(rise[f])) {
                continue;
            }
            if (!rising && rise[f] > threshold) {
                rising = true;
                lowestEar = Double.POSITIVE_INFINITY;
                highest = 0;
            }
            if (rising) {
                highest = Math.max(highest, rise[f]);
                double relativeEar = ear[f] / localMedian(ear, f, half);
                if (!Double.isNaN(relativeEar)) {
                    lowestEar = Math.min(lowestEar, relativeEar);
                }
                if (rise[f] < threshold / 2 || f == rise.length - 1) {
                    rising = false;
                    if (lowestEar <= BLINK_EAR_DROP || highest >= BLINK_SURE_FACTOR * threshold) {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** The median of the finite values of {@code v} within ±{@code half} of {@code f}; NaN where {@code v[f]} is not finite. */
    private static double localMedian(float[] v, int f, int half) {
        if (!Float.isFinite(v[f])) {
            return Double.NaN;
        }
        float[] around = Arrays.copyOfRange(v, Math.max(0, f - half), Math.min(v.length, f + half + 1));
        return quantile(where(around, allTrue(around.length)), 0.5);
    }

    static boolean[] allTrue(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }
}
