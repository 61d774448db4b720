package io.loopline.model.audio;

import io.loopline.model.pack.PackManifest;

/**
 * The log-mel input of a pack's audio encoder, aligned to video frames: for each frame, the
 * {@code contextFrames} mel frames centred on its midpoint (edges repeat the first/last frame).
 * Layout [frames, melBands, contextFrames], values log10(mel energy).
 */
public final class LogMel {

    private LogMel() {}

    /** Number of video frames that cover {@code samples} of 16 kHz audio at {@code fps}. */
    public static int videoFrames(int samples, int fps) {
        return (int) Math.ceil(samples * (double) fps / 16_000);
    }

    public static float[] perVideoFrame(float[] audio, PackManifest.AudioSpec spec, int fps, int videoFrames) {
        int hop = spec.hopSamples();
        int window = spec.windowSamples();
        int fftSize = Integer.highestOneBit(window - 1) << 1;
        Spectra spectra = new Spectra(fftSize);
        float[][] filters =
                Spectra.melFilterbank(spec.melBands(), fftSize, spec.sampleRate(), spec.minHz(), spec.maxHz());
        int melFrames = Math.max(1, (audio.length + hop - 1) / hop);
        float[][] mel = new float[melFrames][];
        float[] scratch = new float[fftSize];
        for (int m = 0; m < melFrames; m++) {
            // Mel frame m is centred on sample m·hop.
            mel[m] = Spectra.logMel(spectra.power(audio, m * hop - fftSize / 2, scratch), filters);
        }
        int bands = spec.melBands();
        int context = spec.contextFrames();
        float[] out = new float[videoFrames * bands * context];
        for (int f = 0; f < videoFrames; f++) {
            double centre = (f + 0.5) * spec.sampleRate() / fps / hop;
            int first = (int) Math.round(centre - context / 2.0);
            for (int c = 0; c < context; c++) {
                int m = Math.max(0, Math.min(melFrames - 1, first + c));
                for (int b = 0; b < bands; b++) {
                    out[(f * bands + b) * context + c] = mel[m][b];
                }
            }
        }
        return out;
    }
}
