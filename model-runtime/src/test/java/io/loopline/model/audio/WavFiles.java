package io.loopline.model.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/** 16-bit mono WAV test resources as float samples. */
final class WavFiles {

    private WavFiles() {
    }

    static float[] read(String resource) throws IOException {
        try (InputStream in = WavFiles.class.getResourceAsStream(resource)) {
            byte[] b = in.readAllBytes();
            ShortBuffer s = ByteBuffer.wrap(b, 44, b.length - 44).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
            float[] x = new float[s.remaining()];
            for (int i = 0; i < x.length; i++) {
                x[i] = s.get(i) / 32768f;
            }
            return x;
        }
    }
}
