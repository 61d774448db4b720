package io.loopline.model.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** 16-bit mono WAV files (test resources, or files such as a corpus track) as float samples in [-1, 1]. */
final class WavFiles {

    private WavFiles() {}

    static float[] read(String resource) throws IOException {
        try (InputStream in = WavFiles.class.getResourceAsStream(resource)) {
            return samples(in.readAllBytes());
        }
    }

    static float[] read(Path file) throws IOException {
        return samples(Files.readAllBytes(file));
    }

    /** The samples of the {@code data} chunk, whatever chunks come before it (sox and ffmpeg write a LIST chunk). */
    private static float[] samples(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= wav.length
                && !(wav[pos] == 'd' && wav[pos + 1] == 'a' && wav[pos + 2] == 't' && wav[pos + 3] == 'a')) {
            pos += 8 + b.getInt(pos + 4);
        }
        int n = Math.min(b.getInt(pos + 4), wav.length - pos - 8) / 2;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = b.getShort(pos + 8 + 2 * i) / 32768f;
        }
        return x;
    }
}
