package io.loopline.model.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Audio → viseme probabilities at video frame rate, with the Gaussian prototypes of HeadAudio
 * (npm {@code @met4citizen/headaudio}, MIT; 39 phoneme prototypes over 12 MFCCs, 15 Oculus visemes).
 * Our implementation of its recipe: pre-emphasis 0.97; 512-sample Hamming frames every 256 samples
 * at 16 kHz; power spectrum / N; 40 mel bands 30–7800 Hz; log10; DCT-II coefficients 1–12 scaled
 * √(2/40); lifter 22; tanh. Each frame's squared Mahalanobis distance to each prototype (the
 * silence prototype's divided by 1.2, as HeadAudio does) becomes a soft probability per viseme, and
 * the audio frames under each video frame are averaged.
 */
public final class Visemes {

    /** The 15 Oculus visemes, in the model's order. */
    public static final List<String> NAMES =
            List.of("aa", "E", "I", "O", "U", "PP", "SS", "TH", "DD", "FF", "kk", "nn", "RR", "CH", "sil");

    public static final int COUNT = 15;
    public static final int SILENCE = 14;
    public static final int PP = 5;

    static final int SAMPLE_RATE = 16_000;
    static final int FRAME = 512;
    static final int HOP = 256;
    private static final int MEL_BANDS = 40;
    private static final int COEFFS = 12;
    private static final int LIFTER = 22;
    private static final float PREEMPHASIS = 0.97f;
    private static final float SILENCE_SENSITIVITY = 1.2f;
    /** Softness of the distance → probability map; larger is softer. */
    private static final float TEMPERATURE = 4f;

    private static final String MODEL = "/io/loopline/models/headaudio-model-en-mixed.bin";
    private static final int RECORD_FLOATS = 2 + COEFFS + COEFFS * (COEFFS + 1) / 2;

    private record Prototype(int viseme, float[] mu, float[][] sigmaInv) {}

    private final List<Prototype> prototypes;
    private final Spectra spectra = new Spectra(FRAME);
    private final float[][] melFilters = Spectra.melFilterbank(MEL_BANDS, FRAME, SAMPLE_RATE, 30, 7800);
    private final float[][] dct = new float[COEFFS][MEL_BANDS];
    private final float[] lifter = new float[COEFFS];

    public Visemes() {
        this.prototypes = load();
        double scale = Math.sqrt(2.0 / MEL_BANDS);
        for (int i = 0; i < COEFFS; i++) {
            for (int j = 0; j < MEL_BANDS; j++) {
                dct[i][j] = (float) (scale * Math.cos(Math.PI * (i + 1) * (j + 0.5) / MEL_BANDS));
            }
            lifter[i] = (float) (1 + LIFTER / 2.0 * Math.sin(Math.PI * (i + 1) / LIFTER));
        }
    }

    private static List<Prototype> load() {
        byte[] bytes;
        try (InputStream in = Visemes.class.getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException(
                        "Viseme model " + MODEL + " is missing (built by tools/fetch-npm-models.sh viseme)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Prototype> result = new ArrayList<>();
        int recordBytes = RECORD_FLOATS * 4;
        for (int pos = 0; pos + recordBytes <= bytes.length; pos += recordBytes) {
            int viseme = bytes[pos + 7] & 0xFF;
            ByteBuffer b = ByteBuffer.wrap(bytes, pos + 8, recordBytes - 8).order(ByteOrder.LITTLE_ENDIAN);
            float[] mu = new float[COEFFS];
            for (int i = 0; i < COEFFS; i++) {
                mu[i] = b.getFloat();
            }
            float[][] inv = new float[COEFFS][COEFFS];
            for (int i = 0; i < COEFFS; i++) {
                for (int j = 0; j <= i; j++) {
                    float v = b.getFloat();
                    inv[i][j] = v;
                    inv[j][i] = v;
                }
            }
            if (viseme >= COUNT) {
                throw new IllegalStateException("Viseme model record at byte " + pos + " names viseme " + viseme);
            }
            result.add(new Prototype(viseme, mu, inv));
        }
        return List.copyOf(result);
    }

    public int prototypeCount() {
        return prototypes.size();
    }

    /** MFCC vectors (12, tanh-compressed) of every 256-sample hop, and each hop's log10 energy. */
    record Features(float[][] mfcc, float[] logEnergy) {}

    /** MFCC vectors (12, tanh-compressed) of every 256-sample hop of 16 kHz audio. */
    public float[][] mfcc(float[] audio) {
        return features(audio).mfcc();
    }

    Features features(float[] audio) {
        float[] emphasized = new float[audio.length];
        float previous = 0;
        for (int i = 0; i < audio.length; i++) {
            emphasized[i] = audio[i] - PREEMPHASIS * previous;
            previous = audio[i];
        }
        int frames = Math.max(1, (audio.length + HOP - 1) / HOP);
        float[][] out = new float[frames][COEFFS];
        float[] logEnergy = new float[frames];
        float[] scratch = new float[FRAME];
        for (int f = 0; f < frames; f++) {
            // Frame f covers the FRAME samples ending at hop boundary f+1 (HeadAudio takes the latest block).
            float[] power = spectra.power(emphasized, (f + 1) * HOP - FRAME, scratch);
            double total = 0;
            for (float p : power) {
                total += p;
            }
            logEnergy[f] = (float) Math.log10(total + 1e-10);
            float[] logMel = Spectra.logMel(power, melFilters);
            for (int i = 0; i < COEFFS; i++) {
                double sum = 0;
                for (int j = 0; j < MEL_BANDS; j++) {
                    sum += dct[i][j] * logMel[j];
                }
                out[f][i] = (float) Math.tanh(sum * lifter[i]);
            }
        }
        return new Features(out, logEnergy);
    }

    /**
     * HeadAudio's voice-activity gate, with hysteresis: speech starts above the "active" level and
     * ends below the "inactive" one, 10 dB lower. The levels follow the recording: 30 dB under its
     * loud frames (95th percentile), never below -50 dB.
     */
    static boolean[] voiceActivity(float[] logEnergy) {
        float[] sorted = logEnergy.clone();
        Arrays.sort(sorted);
        float loud = sorted[(int) Math.floor(0.95 * (sorted.length - 1))];
        float activeLevel = Math.max(-5f, loud - 3f);
        float inactiveLevel = activeLevel - 1f;
        boolean[] active = new boolean[logEnergy.length];
        boolean on = false;
        for (int i = 0; i < logEnergy.length; i++) {
            on = on ? logEnergy[i] >= inactiveLevel : logEnergy[i] >= activeLevel;
            active[i] = on;
        }
        return active;
    }

    /** Viseme probabilities [frame][15] of one MFCC vector's frame. */
    float[] probabilities(float[] v) {
        float[] best = new float[COUNT];
        Arrays.fill(best, Float.MAX_VALUE);
        float[] diff = new float[COEFFS];
        for (Prototype p : prototypes) {
            for (int i = 0; i < COEFFS; i++) {
                diff[i] = v[i] - p.mu()[i];
            }
            double d = 0;
            for (int i = 0; i < COEFFS; i++) {
                double row = 0;
                for (int j = 0; j < COEFFS; j++) {
                    row += p.sigmaInv()[i][j] * diff[j];
                }
                d += diff[i] * row;
            }
            if (p.viseme() == SILENCE) {
                d /= SILENCE_SENSITIVITY;
            }
            best[p.viseme()] = (float) Math.min(best[p.viseme()], d);
        }
        float min = Float.MAX_VALUE;
        for (float d : best) {
            min = Math.min(min, d);
        }
        float[] prob = new float[COUNT];
        double total = 0;
        for (int k = 0; k < COUNT; k++) {
            prob[k] = best[k] == Float.MAX_VALUE ? 0 : (float) Math.exp(-(best[k] - min) / TEMPERATURE);
            total += prob[k];
        }
        for (int k = 0; k < COUNT; k++) {
            prob[k] /= (float) total;
        }
        return prob;
    }

    /** Viseme probabilities per video frame [frames][15] for 16 kHz audio. */
    public float[][] perVideoFrame(float[] audio, int fps, int videoFrames) {
        Features features = features(audio);
        float[][] mfcc = features.mfcc();
        boolean[] voiced = voiceActivity(features.logEnergy());
        float[][] perHop = new float[mfcc.length][];
        for (int h = 0; h < mfcc.length; h++) {
            if (voiced[h]) {
                perHop[h] = probabilities(mfcc[h]);
            } else {
                perHop[h] = new float[COUNT];
                perHop[h][SILENCE] = 1f;
            }
        }
        float[][] out = new float[videoFrames][COUNT];
        for (int f = 0; f < videoFrames; f++) {
            // Hops whose centre falls within the video frame's span.
            double start = f * (double) SAMPLE_RATE / fps;
            double end = (f + 1) * (double) SAMPLE_RATE / fps;
            int n = 0;
            for (int h = 0; h < perHop.length; h++) {
                double centre = (h + 1) * HOP - FRAME / 2.0;
                if (centre >= start && centre < end) {
                    for (int k = 0; k < COUNT; k++) {
                        out[f][k] += perHop[h][k];
                    }
                    n++;
                }
            }
            if (n == 0) {
                int h = (int) Math.min(perHop.length - 1, Math.max(0, Math.round((start + end) / 2 / HOP)));
                System.arraycopy(perHop[h], 0, out[f], 0, COUNT);
            } else {
                for (int k = 0; k < COUNT; k++) {
                    out[f][k] /= n;
                }
            }
        }
        return out;
    }
}
