package io.loopline.model.audio;

import java.io.IOException;

/** Lets tests in other packages read the WAV test resources. */
public final class WavFilesAccess {

    private WavFilesAccess() {
    }

    public static float[] read(String resource) throws IOException {
        return WavFiles.read(resource);
    }
}
