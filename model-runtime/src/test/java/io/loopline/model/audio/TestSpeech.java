package io.loopline.model.audio;

import io.loopline.tensor.Npy;
import java.io.IOException;

/** The test sentence as ingest would store it: 16 kHz mono float32 samples, as a {@code .npy}. */
public record TestSpeech(float[] samples) {

    public static TestSpeech sentence() throws IOException {
        return new TestSpeech(WavFiles.read("/audio/sentence.wav"));
    }

    public long millis() {
        return samples.length / 16L;
    }

    public byte[] npy() {
        return Npy.toBytes(new Npy.FloatTensor(new int[] {samples.length}, samples));
    }
}
