package io.loopline.model.audio;

import org.jtransforms.fft.FloatFFT_1D;

/** Short-time power spectra and mel filterbanks (JTransforms does the FFT). */
public final class Spectra {

    private final int size;
    private final float[] window;
    private final FloatFFT_1D fft;

    /** Power spectra of {@code size}-sample frames under a Hamming window. */
    public Spectra(int size) {
        this.size = size;
        this.window = new float[size];
        for (int i = 0; i < size; i++) {
            window[i] = (float) (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (size - 1)));
        }
        this.fft = new FloatFFT_1D(size);
    }

    public int size() {
        return size;
    }

    /**
     * |FFT|²/N of the windowed frame starting at {@code start} (zero outside the signal), bins 0..N/2-1.
     * Not thread-safe across calls sharing {@code scratch}; pass a buffer of {@code size} floats.
     */
    public float[] power(float[] signal, int start, float[] scratch) {
        for (int i = 0; i < size; i++) {
            int k = start + i;
            scratch[i] = k >= 0 && k < signal.length ? signal[k] * window[i] : 0f;
        }
        fft.realForward(scratch);
        float[] power = new float[size / 2];
        power[0] = scratch[0] * scratch[0] / size;
        for (int k = 1; k < size / 2; k++) {
            float re = scratch[2 * k];
            float im = scratch[2 * k + 1];
            power[k] = (re * re + im * im) / size;
        }
        return power;
    }

    /** HTK mel scale. */
    public static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    public static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /**
     * Triangular mel filters over the bins of an {@code fftSize}-point spectrum: {@code bands} filters
     * evenly spaced in mel between {@code lowHz} and {@code highHz}, each rising from its left
     * neighbour's centre bin and falling to its right neighbour's (bins floored, as in HTK).
     */
    public static float[][] melFilterbank(int bands, int fftSize, int sampleRate, double lowHz, double highHz) {
        double melLow = hzToMel(lowHz);
        double melHigh = hzToMel(highHz);
        int[] bin = new int[bands + 2];
        for (int i = 0; i < bands + 2; i++) {
            double hz = melToHz(melLow + (melHigh - melLow) / (bands + 1) * i);
            bin[i] = (int) Math.floor(hz / sampleRate * fftSize);
        }
        float[][] filters = new float[bands][fftSize / 2];
        for (int m = 0; m < bands; m++) {
            for (int k = bin[m]; k < bin[m + 1]; k++) {
                filters[m][k] = (k - bin[m]) / (float) (bin[m + 1] - bin[m]);
            }
            for (int k = bin[m + 1]; k < bin[m + 2]; k++) {
                filters[m][k] = (bin[m + 2] - k) / (float) (bin[m + 2] - bin[m + 1]);
            }
        }
        return filters;
    }

    /** log10 of each filter's energy (floored at 1e-10). */
    public static float[] logMel(float[] power, float[][] filters) {
        float[] out = new float[filters.length];
        for (int m = 0; m < filters.length; m++) {
            double sum = 0;
            float[] f = filters[m];
            for (int k = 0; k < f.length; k++) {
                sum += power[k] * f[k];
            }
            out[m] = (float) Math.log10(sum + 1e-10);
        }
        return out;
    }
}
