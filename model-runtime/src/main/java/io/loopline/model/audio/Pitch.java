package io.loopline.model.audio;

import java.util.Arrays;

/**
 * Audio → the voice's pitch at video frame rate, for packs that move with intonation (brows on pitch
 * peaks). Per frame, two values: whether the frame is voiced (0 or 1), and the pitch relative to the
 * speaker's own, in octaves from the median pitch of the clip's voiced frames (0 where unvoiced), so
 * a deep and a high voice rise the same way on an emphasised word.
 * <p>
 * Fundamental frequency by YIN (de Cheveigné and Kawahara, "YIN, a fundamental frequency estimator
 * for speech and music", JASA 2002): the cumulative-mean-normalised difference function over a 30 ms
 * window centred on the frame, its first dip under {@value #THRESHOLD} between 70 and 500 Hz,
 * refined by a parabola through the dip; then a median over ±2 frames, and frames more than
 * {@value #MAX_EXCURSION} octave from the clip's median dropped as likely octave errors. No maintained pitch tracker is published on Maven Central,
 * hence this one.
 */
public final class Pitch {

    /** Columns per frame. */
    public static final int COUNT = 2;

    public static final int VOICED = 0;
    public static final int RELATIVE = 1;

    static final int SAMPLE_RATE = 16_000;
    private static final int WINDOW = 480;
    private static final int MIN_LAG = SAMPLE_RATE / 500;
    private static final int MAX_LAG = SAMPLE_RATE / 70;
    /** A dip of the normalised difference under this is a period (YIN's absolute threshold). */
    private static final double THRESHOLD = 0.15;
    /** The best dip must still be under this for the frame to count as voiced. */
    private static final double VOICED_AT_MOST = 0.3;
    /** Octaves from the clip's median pitch beyond which a frame counts as unvoiced (an octave error). */
    private static final double MAX_EXCURSION = 0.8;
    /** Frames quieter than this RMS (about −50 dBFS) are silence, not voice. */
    private static final double SILENT_RMS = 0.003;

    /** [frames][{@value #COUNT}]: voiced, pitch in octaves relative to the clip's median voiced pitch. */
    public float[][] perVideoFrame(float[] audio16k, int fps, int frames) {
        double[] hz = new double[frames];
        double[] difference = new double[MAX_LAG + 2];
        for (int f = 0; f < frames; f++) {
            int start = (int) Math.round((f + 0.5) * SAMPLE_RATE / fps) - (WINDOW + MAX_LAG) / 2;
            hz[f] = fundamental(audio16k, start, difference);
        }
        double[] octaves = smoothed(hz);
        double[] voiced =
                Arrays.stream(octaves).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double median = voiced.length == 0 ? 0 : voiced[voiced.length / 2];
        float[][] out = new float[frames][COUNT];
        for (int f = 0; f < frames; f++) {
            double relative = octaves[f] - median;
            // Further than this from the voice's own pitch, a halved or doubled period is likelier than a real leap.
            if (!Double.isNaN(relative) && Math.abs(relative) <= MAX_EXCURSION) {
                out[f][VOICED] = 1;
                out[f][RELATIVE] = (float) relative;
            }
        }
        return out;
    }

    /** log2 of each voiced frame's frequency, median-filtered over the voiced frames of ±2 frames; NaN where unvoiced. */
    private static double[] smoothed(double[] hz) {
        double[] out = new double[hz.length];
        double[] window = new double[5];
        for (int f = 0; f < hz.length; f++) {
            out[f] = Double.NaN;
            if (hz[f] <= 0) {
                continue;
            }
            int n = 0;
            for (int k = Math.max(0, f - 2); k <= Math.min(hz.length - 1, f + 2); k++) {
                if (hz[k] > 0) {
                    window[n++] = Math.log(hz[k]) / Math.log(2);
                }
            }
            Arrays.sort(window, 0, n);
            out[f] = window[n / 2];
        }
        return out;
    }

    /** The frequency in Hz of the period found in {@code WINDOW + MAX_LAG} samples from {@code start}, or 0 if unvoiced. */
    static double fundamental(float[] audio, int start, double[] d) {
        double energy = 0;
        for (int j = 0; j < WINDOW; j++) {
            double x = sample(audio, start + j);
            energy += x * x;
        }
        if (Math.sqrt(energy / WINDOW) < SILENT_RMS) {
            return 0;
        }
        d[0] = 1;
        double running = 0;
        for (int lag = 1; lag <= MAX_LAG + 1; lag++) {
            double sum = 0;
            for (int j = 0; j < WINDOW; j++) {
                double diff = sample(audio, start + j) - sample(audio, start + j + lag);
                sum += diff * diff;
            }
            running += sum;
            d[lag] = running > 0 ? sum * lag / running : 1;
        }
        int best = -1;
        for (int lag = MIN_LAG; lag <= MAX_LAG; lag++) {
            if (d[lag] < THRESHOLD) {
                while (lag + 1 <= MAX_LAG && d[lag + 1] < d[lag]) {
                    lag++;
                }
                best = lag;
                break;
            }
        }
        if (best < 0) {
            best = MIN_LAG;
            for (int lag = MIN_LAG + 1; lag <= MAX_LAG; lag++) {
                if (d[lag] < d[best]) {
                    best = lag;
                }
            }
        }
        if (d[best] > VOICED_AT_MOST) {
            return 0;
        }
        double a = d[best - 1];
        double b = d[best];
        double c = d[best + 1];
        double curvature = a - 2 * b + c;
        double lag = curvature > 0 ? best + 0.5 * (a - c) / curvature : best;
        return SAMPLE_RATE / lag;
    }

    private static double sample(float[] audio, int i) {
        return i >= 0 && i < audio.length ? audio[i] : 0;
    }
}
