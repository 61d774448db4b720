package io.loopline.model.audio;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests and tools in other packages read WAV files. */
public final class WavFilesAccess {

    private WavFilesAccess() {}

    public static float[] read(String resource) throws IOException {
        return WavFiles.read(resource);
    }

    public static float[] read(Path file) throws IOException {
        return WavFiles.read(file);
    }
}
