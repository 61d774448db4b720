package io.loopline.ingest.internals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** The ingest tests' media files (src/test/resources/media), as bytes or decoded as ingest decodes them. */
final class TestMedia {

    private static final Path DIR = Path.of("src/test/resources/media");

    private TestMedia() {}

    static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(DIR.resolve(file));
    }

    /** The image as ingest decodes it, header checks first; the caller closes it. */
    static Mat decode(String file) throws Exception {
        byte[] bytes = bytes(file);
        return ImageLoader.decode(bytes, ImageHeader.parse(bytes));
    }
}
